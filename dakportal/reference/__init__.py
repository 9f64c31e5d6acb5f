"""The program's reference data as files (#18): `fixtures/reference/*.yaml`, one file per kind, each row with its
source, loaded by `manage.py load_reference` and written back by `manage.py dump_reference`.

`registry.py` lists the files in load order, each with the function that loads its rows and the one that dumps
them; `files.py` reads and writes the YAML; `rows.py` holds what every loader shares (row checks, the models'
validation, the counts); `services.py` runs the load, all files in one transaction, and the dump.
"""

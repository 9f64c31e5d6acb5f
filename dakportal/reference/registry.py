"""Every reference file of the portal, in load order (#18): one line per file.

Each entry names the file (`name`, for the report and the load bookkeeping), its path under `fixtures/`, and the
dotted paths of two functions of the app that owns the data:

- `load(rows: list[dict]) -> (added, changed, unchanged)` (or a `rows.Counts`, which also counts removals): make
  the database hold the file's rows, validated by the models' own rules; on bad data raise
  `rows.ReferenceDataError` (each error naming its row and column) or `ValueError` naming them in its message;
- `dump() -> list[dict]`: the database's rows in the file's order and format, so that a load followed by a dump
  gives back the same file, byte for byte.

The functions are given as dotted paths so that this list can be read before the apps are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReferenceFile:
    name: str
    path: str  # under fixtures/
    load: str  # dotted path of load(rows)
    dump: str  # dotted path of dump()

    def loader(self) -> Callable[[list[dict[str, Any]]], Any]:
        return import_string(self.load)  # type: ignore[no-any-return]

    def dumper(self) -> Callable[[], list[dict[str, Any]]]:
        return import_string(self.dump)  # type: ignore[no-any-return]


REFERENCE_FILES: list[ReferenceFile] = [
    ReferenceFile(
        "former_codes",
        "reference/former_codes.yaml",
        "dakportal.regions.reference.load_former_codes",
        "dakportal.regions.reference.dump_former_codes",
    ),
    ReferenceFile(
        "reference_lists",
        "reference/reference_lists.yaml",
        "allocations.reference.load_reference_lists",
        "allocations.reference.dump_reference_lists",
    ),
    ReferenceFile(
        "national_totals",
        "reference/national_totals.yaml",
        "allocations.reference.load_national_totals",
        "allocations.reference.dump_national_totals",
    ),
]


def fixtures_dir() -> Any:
    """The repository's `fixtures/` folder (beside `templates/` and `tests/`)."""
    return settings.BASE_DIR / "fixtures"

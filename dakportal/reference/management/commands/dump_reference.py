"""`manage.py dump_reference [--output DIR] [NAME ...]`: write the database's reference data back to the files of
fixtures/reference/ (#18), in the same format and order, so that what the ministry changed in the admin can be
reviewed in a diff and kept in the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dakportal.reference.registry import REFERENCE_FILES
from dakportal.reference.services import dump_reference


class Command(BaseCommand):
    help = (
        "Write the reference data of the database to fixtures/reference/ (every file, or the ones named), keeping "
        "each file's comment block: load_reference then dump_reference gives back the same files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "names", nargs="*", metavar="NAME", help=f"Only these files: {', '.join(f.name for f in REFERENCE_FILES)}."
        )
        parser.add_argument("--output", type=Path, help="Write under this folder instead of fixtures/.")

    def handle(self, *args: Any, **options: Any) -> None:
        known = {f.name: f for f in REFERENCE_FILES}
        unknown = [name for name in options["names"] if name not in known]
        if unknown:
            raise CommandError(f"Unknown reference file {', '.join(unknown)}; the files are {', '.join(known)}.")
        selected = [known[name] for name in options["names"]] or None
        for path in dump_reference(selected, output=options["output"]):
            self.stdout.write(f"Wrote {path}.")

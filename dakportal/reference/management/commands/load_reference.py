"""`manage.py load_reference [--dry-run] [--if-changed] [NAME ...]`: load the reference files of
fixtures/reference/ into the database (#18), all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dakportal.reference.registry import REFERENCE_FILES
from dakportal.reference.services import ReferenceLoadError, load_reference


class Command(BaseCommand):
    help = (
        "Load the reference files of fixtures/reference/ (every file, or the ones named): each row is checked with "
        "the models' rules, and each file reports what was added, changed, left unchanged and removed. A bad row "
        "is named with its file, row, line and column, and then nothing is saved. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "names", nargs="*", metavar="NAME", help=f"Only these files: {', '.join(f.name for f in REFERENCE_FILES)}."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, then save nothing.")
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Skip a file unchanged since its last load this year (what setup_portal does at every start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = {f.name: f for f in REFERENCE_FILES}
        unknown = [name for name in options["names"] if name not in known]
        if unknown:
            raise CommandError(f"Unknown reference file {', '.join(unknown)}; the files are {', '.join(known)}.")
        selected = [known[name] for name in options["names"]] or None
        try:
            reports = load_reference(selected, dry_run=options["dry_run"], if_changed=options["if_changed"])
        except ReferenceLoadError as error:
            raise CommandError(
                f"Nothing was loaded: {len(error.errors)} problem(s).\n" + "\n".join(error.errors)
            ) from None
        for report in reports:
            self.stdout.write(report.line())
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")

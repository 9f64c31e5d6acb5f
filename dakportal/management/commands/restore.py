"""`manage.py restore ARCHIVE`: a backup back into an empty database and an empty file storage (#15).

Refuses a database that has any table and a storage that has any file: nothing is ever overwritten. To replace a
portal's data, create a new database (and folder or bucket) and point the portal at it, or drop and create the
database first, deliberately. After restoring, every table's row count and every file's checksum are compared with
the backup's manifest; run `manage.py migrate` afterwards when the portal's code is newer than the backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from dakportal.backup import BackupError, megabytes, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and empty file storage, then verify it."
    requires_system_checks: list[str] = []  # the database is empty: model checks have nothing to check yet

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="A .tar written by manage.py backup.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            report = restore(archive, using=options["database"], storage=default_storage)
        except BackupError as error:
            raise CommandError(str(error)) from None
        summary = f"{report.tables} tables, {report.rows} rows, {report.files} files ({megabytes(report.bytes)})"
        if report.differences:
            raise CommandError(
                f"Restored {archive.name}, but it differs from its manifest ({summary}):\n"
                + "\n".join(f"- {line}" for line in report.differences)
            )
        self.stdout.write(f"Restored {archive.name}: {summary}; every row count and checksum matches the manifest.")

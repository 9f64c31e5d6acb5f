"""`manage.py backup [--output DIR] [--keep N]`: the database and the uploaded files in one dated archive (#15).

Run it daily (deploy/systemd/dakportal-backup.timer) and copy the archives off the host; `manage.py restore` reads
them back. dakportal/backup.py says what an archive holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from dakportal.backup import BackupError, backup, megabytes


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files into one dated .tar with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Folder for the archive (default: DATA_DIR/backups).")
        parser.add_argument("--keep", type=int, help="Then delete all but the newest KEEP archives of the folder.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["output"] or settings.DATA_DIR / "backups"
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be 1 or more: the backup just written is always kept.")
        try:
            path, report = backup(folder, using=options["database"], storage=default_storage)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written: {path} ({megabytes(path.stat().st_size)}): {report.tables} tables, "
            f"{report.rows} rows, {report.files} files ({megabytes(report.bytes)})."
        )
        if options["keep"]:
            for old in sorted(folder.glob("dakportal-backup-*.tar"))[: -options["keep"]]:
                old.unlink()
                self.stdout.write(f"Deleted the older backup {old.name}.")

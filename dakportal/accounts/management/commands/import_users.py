"""`manage.py import_users FILE.csv [--passwords-out FILE]`: onboard users in bulk, all or nothing (#2)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dakportal.accounts.services import CSV_COLUMNS, UserImportError, import_users


class Command(BaseCommand):
    help = (
        f"Create users from a CSV with the columns {','.join(CSV_COLUMNS)} (regions: kab/kota codes for a regional "
        "officer, province codes for a provincial officer, separated by spaces or semicolons). If any row is bad, "
        "every error is listed with its line number and no user is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path)
        parser.add_argument(
            "--passwords-out",
            type=Path,
            help="Give each user a random initial password and write username,password to this file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv_file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text: save the sheet as 'CSV UTF-8'.") from None
        out = Path(options["passwords_out"]) if options["passwords_out"] else None
        try:
            created = import_users(text, with_passwords=out is not None)
        except UserImportError as error:
            raise CommandError(
                f"No user was created: {len(error.errors)} problem(s) in {path}.\n" + "\n".join(error.errors)
            ) from None
        if out is not None:
            with out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["username", "password"])
                writer.writerows(created)
            out.chmod(0o600)
        self.stdout.write(f"Created {len(created)} user(s)." + (f" Initial passwords: {out}" if out else ""))

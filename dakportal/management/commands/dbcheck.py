"""`manage.py dbcheck`: one sentence on whether the database answers (#2, used by the scripts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Check that PostgreSQL answers; start the embedded server when no DATABASE_URL is set."
    requires_system_checks: list[str] = []  # some model checks open a connection: answer before they do

    def handle(self, *args: Any, **options: Any) -> None:
        settings_dict = connection.settings_dict
        where = (
            f"the embedded PostgreSQL in {settings_dict['DATA_DIR']}"
            if "DATA_DIR" in settings_dict
            else f"PostgreSQL at {settings_dict.get('HOST') or 'localhost'}:{settings_dict.get('PORT') or 5432}"
            f"/{settings_dict.get('NAME')}"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
        except OperationalError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
            raise CommandError(
                f"Cannot connect to {where} ({reason}). Check DATABASE_URL, or unset it to use the embedded server."
            ) from None
        except Exception as error:  # embedded server failed to start
            raise CommandError(f"Cannot start {where}: {error}. See {where.split(' in ')[-1]}/log.") from None
        self.stdout.write(f"Database: {where}, PostgreSQL {version}.")

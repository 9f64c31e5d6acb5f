"""`manage.py setup_portal [--demo]`: everything the scripts need before serving or testing (#2).

Idempotent: migrate, load or refresh the regions, load the reference files of fixtures/reference/ that changed
since their last load (#18: `manage.py load_reference`), and with --demo the demo users and each app's demo data through
its services (`dakportal/setup.py`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from dakportal import setup
from dakportal.accounts.services import ensure_demo_users
from dakportal.reference.services import ReferenceLoadError, load_reference
from dakportal.regions.services import regions_from_lokal, sync_regions


class Command(BaseCommand):
    help = "Migrate the database, load the regions and (with --demo) the demo data and users."
    requires_system_checks: list[str] = []  # dbcheck first, so a server that does not answer is one sentence

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Also load the demo data and demo users.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("dbcheck", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        report = sync_regions(regions_from_lokal())
        for step in setup.PREPARE:  # what must hold before the reference files load (the fiscal years)
            step()
        self.stdout.write(
            f"Regions: {'updated' if report.changed else 'up to date'} ({time.monotonic() - started:.1f} s)."
        )
        try:  # #18: a start never undoes what the admin changed: only files changed since their last load
            for file_report in load_reference(if_changed=True):
                self.stdout.write(f"Reference data: {file_report.line()}")
        except ReferenceLoadError as error:
            raise CommandError(f"Reference data refused, nothing was loaded:\n{error}") from None
        if options["demo"]:
            users = ensure_demo_users()
            self.stdout.write(f"Demo users: {', '.join(users)}.")
            self.load_demo_data()

    @override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}},
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},  # the e-mail tasks (#15)
    )
    def load_demo_data(self) -> None:
        """Each app's demo data, through its own services, in the order the apps registered them (their e-mails are
        dropped: the in-app notifications remain); each loader does nothing when it ran before."""
        from dakportal.accounts.models import User

        acting_user = User.objects.get(username="ditjen")
        for loader in setup.DEMO:
            started = time.monotonic()
            created = loader.load(acting_user)
            self.stdout.write(f"{loader.label}: {created} created ({time.monotonic() - started:.1f} s).")

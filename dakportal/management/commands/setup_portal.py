"""`manage.py setup_portal [--demo]`: everything the scripts need before serving or testing (#2).

Idempotent: migrate, load or refresh the regions, load the reference files of fixtures/reference/ that changed
since their last load (#18: `manage.py load_reference`), and with --demo the demo users (later apps add their demo
data here, through their services)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from allocations.reference import ensure_reference_data
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
        ensure_reference_data()
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
        """Each app's demo data, through its own services (their e-mails are dropped: the in-app notifications
        remain); each loader does nothing when it ran before."""
        from allocations import demo as allocations_demo
        from dakportal.accounts.models import User
        from monev import demo as monev_demo
        from sentra import demo as sentra_demo

        acting_user = User.objects.get(username="ditjen")
        started = time.monotonic()
        created = sentra_demo.load(acting_user)
        self.stdout.write(f"Demo sentra: {created} created ({time.monotonic() - started:.1f} s).")
        started = time.monotonic()
        created = allocations_demo.load(acting_user)
        self.stdout.write(f"Demo allocations: {created} created ({time.monotonic() - started:.1f} s).")
        started = time.monotonic()
        created = monev_demo.load(acting_user)
        self.stdout.write(f"Demo monev reports: {created} created ({time.monotonic() - started:.1f} s).")

"""`manage.py generate_national [--scale F] [--seed N] [--force]`: fill the current database with a whole country of
synthetic data (#11; dakportal/national.py says what and how). Use a database of its own, for example
`DATABASE_NAME=national` with the embedded server (README, "Performance")."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dakportal import national


class Command(BaseCommand):
    help = "Fill the database with a whole country of synthetic data (20,000 sentra at --scale 1.0), in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 is a whole country; 0.1 a tenth.")
        parser.add_argument("--seed", type=int, default=2016, help="The same seed gives the same data.")
        parser.add_argument("--force", action="store_true", help="Add to a database that already holds data.")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10 (1.0 is a whole country).")
        existing = national.existing_data()
        if existing and not options["force"]:
            tables = ", ".join(existing)
            raise CommandError(
                f"This database already holds data ({tables}). Generate into an empty portal (for example "
                "DEBUG=1 DATABASE_NAME=national .venv/bin/python manage.py setup_portal first, then this command with "
                "the same DATABASE_NAME), or add --force to add to it."
            )
        plan = national.Plan(scale=scale, seed=options["seed"], today=national.default_today())
        self.stdout.write(f"Generating scale {scale} (seed {plan.seed}): {national.describe(plan)}")
        started = time.monotonic()
        added = national.generate(plan, progress=self.stdout.write)
        self.stdout.write("Rows added: " + ", ".join(f"{table} {n:,}" for table, n in added.items() if n))
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

"""`manage.py send_reminders [--date YYYY-MM-DD]`: the task worker runs this every hour by itself (#15); by hand, it
sends what is due and never sends twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monev.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the reminders of monev reports and follow-ups due in 7 days and in 1 day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Act as if today were this date.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(options["date"])
        self.stdout.write(f"Reminders sent: {sent}.")

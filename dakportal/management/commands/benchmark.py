"""`manage.py benchmark [--repeat N]`: time the main pages and endpoints on the current database (load the demo
data first: ./scripts/run does). In-process through Django's test client, so it measures the portal, not the
network. Prints the machine, then per URL the median and worst time and the number of queries.

`manage.py benchmark --national [--output BENCHMARKS.md]` (#11): on a database made by `generate_national`, every
list, report, dashboard and export against PostgreSQL doing the same work (dakportal/benchmarking.py); the output
is also appended to the file."""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client

from dakportal.benchmarking import timed_get

URLS = [
    "/",
    "/sentra/?page_size=100",
    "/sentra/?completeness=low&page_size=500",
    "/allocations/?page_size=100",
    "/allocations/?export=xlsx",
    "/reports/allocations/",
    "/monev/reports/?page_size=100",
    "/api/v1/regencies/?format=csv",
    "/api/v1/sentra/?page_size=500",
    "/api/v1/ikm-units/?page_size=1000",
    "/api/v1/allocations/?page_size=1000",
    "/api/v1/allocations/summary/?group_by=year",
    "/api/v1/monev/reports/?page_size=100",
    "/history/",
    "/api/v1/history/?page_size=1000",
    "/api/v1/history/?model=sentra.ikmunit&page_size=1000",
]
WRITES_TABLE = "sentra_ikmunit"  # SQL by name (#16: the foundation imports no app)
WRITES = f"UPDATE {WRITES_TABLE} SET workers_male = workers_male + 1"


class Command(BaseCommand):
    help = "Time the main pages and API endpoints on the current data (as the analyst demo user)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--user", default="analis")
        parser.add_argument("--national", action="store_true", help="the national benchmark (#11)")
        parser.add_argument("--output", default="", help="append the national benchmark's output to this file")
        parser.add_argument(
            "--only", choices=["export", "lists", "reports", "risk"], default="",
            help="the national benchmark's one section (all by default)",
        )  # fmt: skip
        parser.add_argument(
            "--writes",
            action="store_true",
            help="also time a bulk update of every IKM unit with and without the history triggers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["national"]:
            self.national(options["repeat"], options["output"], options["only"])
            return
        from dakportal.accounts.models import User

        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=options["user"]))
        version = connection.cursor().connection.server_version
        self.stdout.write(
            f"machine: {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
            f"PostgreSQL {version // 10000}.{version % 10000}"
        )
        self.stdout.write(f"{'url':<48} {'median ms':>10} {'max ms':>8} {'queries':>8} {'bytes':>10}")
        for url in URLS:
            timings, queries, size = [], 0, 0
            for _ in range(options["repeat"]):
                ms, size, captured = timed_get(client, url)
                timings.append(ms)
                queries = len(captured)
            self.stdout.write(
                f"{url:<48} {statistics.median(timings):>10.1f} {max(timings):>8.1f} {queries:>8} {size:>10}"
            )

        if options["writes"]:
            self.time_writes(options["repeat"])

    def national(self, repeat: int, output: str, only: str = "") -> None:
        from datetime import datetime

        from dakportal import benchmarking

        bench = benchmarking.Bench(repeat, self.stdout.write)
        head = [
            f"## {datetime.now():%Y-%m-%d %H:%M}, national scale",
            "",
            f"Machine: {benchmarking.machine()}.",
            f"Data: {benchmarking.scale()}.",
            f"Command: `DEBUG=1 {benchmarking.database()} .venv/bin/python manage.py benchmark --national "
            f"--repeat {repeat}{f' --only {only}' if only else ''}` "
            f"(median of {repeat}; users `{benchmarking.NATIONAL_USER}` and `{benchmarking.REGIONAL_USER}`).",
        ]
        for line in head:
            self.stdout.write(line)
        sections = {"export": bench.export, "lists": bench.lists, "reports": bench.reports, "risk": bench.risk}
        lines = [line for name, section in sections.items() if only in ("", name) for line in section()]
        if output:
            with open(output, "a", encoding="utf-8") as file:
                file.write("\n" + "\n".join(head) + "\n\n```" + "\n".join(lines) + "\n```\n")
            self.stdout.write(f"Appended to {output}.")

    def time_writes(self, repeat: int) -> None:
        """#9: what recording the history costs a write: every IKM unit updated in one statement, with the
        history triggers and with them switched off (`session_replication_role = replica`), rolled back each time."""
        from django.db import transaction

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {WRITES_TABLE}")  # noqa: S608  (our name)
            rows = cursor.fetchone()[0]
        self.stdout.write(f"\nbulk update of {rows} IKM units (rolled back)     median ms   max ms")
        for label, role in (("with history triggers", "origin"), ("triggers off", "replica")):
            timings = []
            for _ in range(repeat):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL session_replication_role = {role}")
                    started = time.perf_counter()
                    cursor.execute(WRITES)
                    timings.append((time.perf_counter() - started) * 1000)
                    transaction.set_rollback(True)
            self.stdout.write(f"{label:<48} {statistics.median(timings):>10.1f} {max(timings):>8.1f}")

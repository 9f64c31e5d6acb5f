"""`manage.py benchmark --national` (#11): every list page and list endpoint, the summary, the exports, the reports
and dashboards, measured in-process on a database made by `generate_national`, each against PostgreSQL doing the
same work (the same SQL replayed on a raw cursor; COPY for the export). Timings live here, never in tests.

A figure is the median of `repeat` runs. "SQL ms" replays the request's SQL on a raw cursor and fetches its rows
into Python; "ratio" is the portal's time over that (1.0 would be the database alone; below 1.0 means the rows
cost more to fetch raw than the portal spends, which happens for wide rows). "peak MB" is the serving process's
resident memory above what it held before.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psutil
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from dakportal.generic import ObjectListView

NATIONAL_USER = "analis"  # the analyst: national scope, read-only
REGIONAL_USER = "perf.000"  # a generated regional officer with one kab/kota
PAGE_SIZES = {"page": (50, 500), "api": (10, 50, 1000)}


@dataclass
class Result:
    label: str
    user: str
    ms: float
    queries: int
    sql_ms: float
    size: int

    @property
    def ratio(self) -> float:
        return self.ms / self.sql_ms if self.sql_ms else 0.0


def machine() -> str:
    version = connection.cursor().connection.server_version
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB · Python {platform.python_version()} · "
        f"PostgreSQL {version // 10000}.{version % 10000}"
    )


def database() -> str:
    """How to name this database in the command that reproduces the run."""
    if os.environ.get("DATABASE_URL"):
        return "DATABASE_URL=..."
    return f"DATABASE_NAME={connection.settings_dict['NAME']}"


def scale() -> str:
    """How much data there is: the rows of the models each app's national generator names (`Generator.counted`)."""
    from django.apps import apps
    from django.utils import translation

    from dakportal.national import GENERATORS

    counted = [apps.get_model(label) for generator in GENERATORS for label in generator.counted]
    with translation.override("en"):  # BENCHMARKS.md is in English
        return ", ".join(f"{model._default_manager.count():,} {model._meta.verbose_name_plural}" for model in counted)


def list_urls() -> tuple[list[str], list[str]]:
    """The list pages (ObjectListView without URL arguments) and the API's list endpoints, from the URLconf."""
    pages, endpoints = [], []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                url = "/" + prefix + route.lstrip("^").rstrip("$")
                view = getattr(pattern.callback, "view_class", None)
                actions = getattr(pattern.callback, "actions", None) or {}
                if view is not None and issubclass(view, ObjectListView):
                    pages.append(url)
                elif actions.get("get") == "list" and url.startswith("/api/v1/"):
                    endpoints.append(url)

    walk(get_resolver().url_patterns, "")
    return sorted(set(pages)), sorted(set(endpoints))


def timed_get(client: Client, url: str) -> tuple[float, int, list[dict[str, Any]]]:
    """One GET, its body read to the end: milliseconds, bytes, and the queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content  # streamed: by chunk
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(body), captured.captured_queries


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """The process's resident memory above its starting point, sampled every 5 ms, in MB."""
    process = psutil.Process()
    found = {"base": process.memory_info().rss / 2**20, "peak": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            found["peak"] = max(found["peak"], process.memory_info().rss / 2**20 - found["base"])
            stop.wait(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()


class Bench:
    def __init__(self, repeat: int, write: Callable[[str], None]) -> None:
        from dakportal.accounts.models import User

        self.repeat, self.write = repeat, write
        self.clients = {}
        for username in (NATIONAL_USER, REGIONAL_USER):
            client = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username=username))
            self.clients[username] = client

    def measure(self, url: str, user: str) -> Result:
        client = self.clients[user]
        timings, sql_timings, queries, size = [], [], 0, 0
        status = client.get(url).status_code  # warm: the first request of a view imports and compiles
        if status in (403, 404):  # this user may not open it: nothing to measure
            return Result(f"{url} ({status})", user, 0.0, 0, 0.0, 0)
        for _ in range(self.repeat):
            ms, size, captured = timed_get(client, url)
            timings.append(ms)
            queries = len(captured)
            sql_timings.append(self.replay([q["sql"] for q in captured]))
        label = url if status == 200 else f"{url} ({status})"
        return Result(label, user, statistics.median(timings), queries, statistics.median(sql_timings), size)

    def replay(self, statements: list[str]) -> float:
        """The same SQL on a raw cursor, rows fetched: what PostgreSQL alone takes (ms)."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                # reads only: a write carries the history context (set_config) and would change the data
                if sql.lstrip().upper().startswith(("SELECT", "WITH")) and "set_config(" not in sql:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    def table(self, title: str, results: list[Result]) -> list[str]:
        lines = [
            f"\n{title}",
            f"{'url':<60} {'user':<9} {'ms':>8} {'SQL ms':>8} {'ratio':>6} {'queries':>7} {'KB':>8}",
        ]
        refused = [r for r in results if r.label.endswith(")")]
        results = [r for r in results if not r.label.endswith(")")]
        for r in results:
            lines.append(
                f"{r.label:<60} {r.user:<9} {r.ms:>8.1f} {r.sql_ms:>8.1f} {r.ratio:>6.1f} {r.queries:>7} "
                f"{r.size / 1024:>8.0f}"
            )
        if refused:
            skipped = ", ".join(f"{r.label} {r.user}" for r in refused)
            lines.append(f"not measured (the user may not open it): {skipped}")
        for line in lines:
            self.write(line)
        return lines

    def lists(self) -> list[str]:
        pages, endpoints = list_urls()
        results = []
        for kind, urls in (("page", pages), ("api", endpoints)):
            for url in urls:
                for size in PAGE_SIZES[kind]:
                    for user in self.clients:
                        results.append(self.measure(f"{url}?page_size={size}", user))
        for url in ("/api/v1/allocations/summary/?group_by=year", "/api/v1/allocations/summary/?group_by=province"):
            results.append(self.measure(url, NATIONAL_USER))
        return self.table("Lists (every list page and list endpoint) and the allocation summary", results)

    def reports(self) -> list[str]:
        from dakportal.reporting.base import REGISTRY

        urls = ["/", "/monev/", "/reports/", "/reports/region/32.73/"]
        urls += [f"/reports/{slug}/" for slug in sorted(REGISTRY)]
        results = [self.measure(url, user) for url in urls for user in self.clients]
        return self.table("Reports and dashboards", results)

    def risk(self) -> list[str]:
        """#17: the risk ranking of the whole country (every rule, every kab/kota and sentra) for the latest year: its
        page, its API at each level, and the assessment alone (the rules' SQL and the scoring, no rendering)."""
        urls = ["/monev/risk/", "/monev/risk/?level=sentra", "/api/v1/risk/regencies/?page_size=1000",
                "/api/v1/risk/sentra/?page_size=1000", "/api/v1/risk/allocations/?page_size=1000"]  # fmt: skip
        results = [self.measure(url, user) for url in urls for user in self.clients]
        lines = self.table("Risk ranking (#17)", results)
        import importlib

        from django.apps import apps

        from dakportal.accounts.models import User

        assessment_class = importlib.import_module("monev.risk").Assessment  # by name: the foundation imports no app
        user = User.objects.get(username=NATIONAL_USER)
        year = apps.get_model("allocations", "Allocation").objects.order_by("-year").values_list("year", flat=True)[0]
        timings, sizes = [], (0, 0, 0)
        for _ in range(self.repeat):
            started = time.perf_counter()
            assessment = assessment_class(user, year)
            sizes = (len(assessment.regencies()), len(assessment.sentra()), len(assessment.hits()))
            timings.append((time.perf_counter() - started) * 1000)
        lines.append(
            f"The assessment alone, TA {year}, national: {statistics.median(timings):.0f} ms (median of "
            f"{self.repeat}) for {sizes[0]} kab/kota and {sizes[1]} sentra ranked from {sizes[2]} hits."
        )
        self.write(lines[-1])
        return lines

    def export(self) -> list[str]:
        """The CSV of every IKM unit (API) against COPY of the same rows, and the largest report's XLSX and PDF."""
        client = self.clients[NATIONAL_USER]
        lines = [
            "\nExports (national user)",
            f"{'export':<48} {'first byte s':>12} {'total s':>8} {'MB':>7} {'peak MB':>8}",
        ]
        runs = []
        for _ in range(self.repeat):
            with peak_memory() as memory:
                started = time.perf_counter()
                response = client.get("/api/v1/ikm-units/?format=csv")
                chunks = iter(response)  # the streamed body, chunk by chunk
                size = len(next(chunks))
                first = time.perf_counter() - started
                size += sum(len(chunk) for chunk in chunks)
                total = time.perf_counter() - started
            runs.append((total, first, size, memory["peak"], response.get("X-Row-Count")))
        total, first, size, peak, rows = sorted(runs)[len(runs) // 2]
        copy_total = statistics.median(self.copy_units() for _ in range(self.repeat))
        lines.append(f"{'API CSV of all IKM units (' + str(rows) + ' rows)':<48} {first:>12.2f} {total:>8.2f} "
                     f"{size / 2**20:>7.2f} {peak:>8.0f}")  # fmt: skip
        lines.append(f"{'COPY sentra_ikmunit TO STDOUT (same order)':<48} {'':>12} {copy_total:>8.2f}")
        lines.append(f"{'speed of the export / speed of COPY':<48} {'':>12} {copy_total / total:>8.2f}")
        for fmt in ("xlsx", "pdf"):
            for slug in ("idle-sentra", "sentra"):
                with peak_memory() as memory:
                    started = time.perf_counter()
                    response = client.get(f"/reports/{slug}/?export={fmt}")
                    body = (
                        b"".join(response) if response.streaming else response.content
                    )  # a streamed body, chunk by chunk
                    total = time.perf_counter() - started
                status = "" if response.status_code == 200 else f" → {response.status_code} (a job)"
                label = f"report {slug} {fmt.upper()}{status}"
                lines.append(f"{label:<48} {'':>12} {total:>8.2f} {len(body) / 2**20:>7.2f} {memory['peak']:>8.0f}")
        for line in lines:
            self.write(line)
        return lines

    def copy_units(self) -> float:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            sink = io.BytesIO()
            cursor.copy_expert(
                "COPY (SELECT u.* FROM sentra_ikmunit u JOIN sentra_sentra s ON s.id = u.sentra_id "
                "ORDER BY s.regency_id, s.name, u.business_name) TO STDOUT WITH (FORMAT csv)",
                sink,
            )
            return time.perf_counter() - started

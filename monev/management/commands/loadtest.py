"""`manage.py loadtest [--serve | --url URL] [--users 500] [--ramp 60]` (#11): the deadline day. Regional officers
`perf.000`... (made by `generate_national`, each with an API token) arrive evenly over `--ramp` seconds; each lists
their sentra, lists their reports, creates a field-visit report and submits it. Prints p50/p95/p99 per step and
overall, requests per second, errors, the server's own time per request (its `Server-Timing` header), and then
looks in the database for every submission the server acknowledged: lost must be 0. A monev command (#16): the
deadline day is the monev report's workflow.

`--serve` starts gunicorn on a free loopback port the way ./scripts/run serves (production settings, the same
configuration file) against the current database, and stops it afterwards. A bounded generator of plain
threads and keep-alive connections, so nothing else needs installing.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from dakportal import national
from monev.choices import ReportStatus
from monev.models import MonevReport

ROOT = Path(settings.BASE_DIR)


class Officer(threading.Thread):
    def __init__(self, run: LoadTest, number: int, start_at: float) -> None:
        super().__init__(daemon=True)
        self.run_, self.username, self.start_at = run, f"perf.{number:03d}", start_at

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        key = national.token_key(self.username, self.run_.seed)
        conn = http.client.HTTPConnection(self.run_.host, self.run_.port, timeout=60)
        headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
        try:
            sentra = self.call(conn, "list sentra", "GET", "/api/v1/sentra/?page_size=50", headers)
            self.call(conn, "list reports", "GET", "/api/v1/monev/reports/?page_size=50", headers)
            if not sentra or not sentra.get("results"):
                return
            today = timezone.localdate()
            body = {
                "sentra": sentra["results"][0]["id"], "period_kind": "visit", "year": today.year,
                "visit_date": today.isoformat(), "operating_score": "sesuai", "compliance_score": "sesuai",
                "sustainability_score": "sebagian", "operating_note": "Uji beban (loadtest)",
            }  # fmt: skip
            report = self.call(conn, "create report", "POST", "/api/v1/monev/reports/", headers, body)
            if report and "id" in report:
                url = f"/api/v1/monev/reports/{report['id']}/submit/"
                done = self.call(conn, "submit report", "POST", url, headers, {"version": report["version"]})
                if done is not None:
                    self.run_.acknowledged.append(report["id"])
        finally:
            conn.close()

    def call(
        self, conn: http.client.HTTPConnection, step: str, method: str, path: str, headers: dict[str, str],
        body: dict[str, Any] | None = None,
    ) -> Any:  # fmt: skip
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers = {**headers, "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.run_.record(step, time.perf_counter() - started, None, f"{type(error).__name__}")
            conn.close()
            return None
        elapsed = time.perf_counter() - started
        server = _server_time(response.getheader("Server-Timing", ""))
        if response.status >= 400:
            self.run_.record(step, elapsed, server, f"{response.status}")
            return None
        self.run_.record(step, elapsed, server, None)
        return json.loads(payload) if payload else {}


def _server_time(header: str) -> float | None:
    for part in header.split(","):
        for item in part.split(";"):
            if item.strip().startswith("dur="):
                return float(item.strip()[4:]) / 1000
    return None


class LoadTest:
    def __init__(self, url: str, users: int, ramp: float, seed: int) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.users, self.ramp, self.seed = users, ramp, seed
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.server: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.acknowledged: list[int] = []

    def record(self, step: str, seconds: float, server: float | None, error: str | None) -> None:
        with self.lock:
            self.times[step].append(seconds)
            if server is not None:
                self.server[step].append(server)
            if error:
                self.errors[f"{step}: {error}"] += 1

    def go(self) -> float:
        begin = time.monotonic()
        officers = [Officer(self, n, begin + self.ramp * n / self.users) for n in range(self.users)]
        for officer in officers:
            officer.start()
        for officer in officers:
            officer.join()
        return time.monotonic() - begin


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


class Command(BaseCommand):
    help = "Regional officers on a deadline day: list, create and submit, concurrently (#11)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="", help="a running portal, e.g. http://127.0.0.1:8000")
        parser.add_argument("--serve", action="store_true", help="start gunicorn for the test and stop it after")
        parser.add_argument("--users", type=int, default=500)
        parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the officers arrive")
        parser.add_argument("--seed", type=int, default=2016, help="the seed generate_national used (the tokens)")

    def handle(self, *args: Any, **options: Any) -> None:
        from dakportal.accounts.models import User

        users = options["users"]
        officers = User.objects.filter(username__startswith="perf.").count()
        if officers < users:
            raise CommandError(
                f"--users {users} needs officers perf.000 to perf.{users - 1:03d}; this database has {officers} "
                "(generate_national makes 500 at --scale 0.1 and above, fewer below): use --users "
                f"{officers or 'N'}{'' if officers else ' after generate_national'}."
            )
        if not options["url"] and not options["serve"]:
            raise CommandError("Give --url of a running portal, or --serve to start one.")
        server = self.serve() if options["serve"] else None
        url = options["url"] or server[1]  # type: ignore[index]
        try:
            test = LoadTest(url, users, options["ramp"], options["seed"])
            wall = test.go()
        finally:
            if server is not None:
                server[0].terminate()
                server[0].wait(timeout=30)
        self.report(test, wall)

    def serve(self) -> tuple[subprocess.Popen[bytes], str]:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
            "LOCAL_HTTP": "1", "DATABASE_NAME": connection.settings_dict["NAME"], "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        # The web server as ./scripts/run starts it: gunicorn with dakportal/gunicorn_conf.py (processes, threads).
        command = [sys.executable, "-m", "gunicorn", "-c", "python:dakportal.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{port}"]
        log = Path(settings.DATA_DIR) / "loadtest-gunicorn.log"  # one JSON line per request: kept, not printed
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            process.terminate()
            raise CommandError("gunicorn did not start within 60 s.")
        self.stdout.write(f"gunicorn (dakportal/gunicorn_conf.py) on 127.0.0.1:{port}; its log: {log}")
        return process, f"http://127.0.0.1:{port}"

    def report(self, test: LoadTest, wall: float) -> None:
        everything = [t for values in test.times.values() for t in values]
        self.stdout.write(f"{test.users} officers over {test.ramp:.0f} s; {len(everything)} requests in {wall:.1f} s")
        self.stdout.write(f"{'step':<16} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'server ms':>10}")
        for step, values in [*test.times.items(), ("all", everything)]:
            server = [s for v in test.server.values() for s in v] if step == "all" else test.server.get(step, [])
            median_server = f"{statistics.median(server) * 1000:>10.1f}" if server else f"{'':>10}"
            self.stdout.write(
                f"{step:<16} {len(values):>5} {_pct(values, 0.5):>8.0f} {_pct(values, 0.95):>8.0f} "
                f"{_pct(values, 0.99):>8.0f} {median_server}"
            )
        errors = sum(test.errors.values())
        found = MonevReport.objects.filter(pk__in=test.acknowledged, status=ReportStatus.SUBMITTED).count()
        self.stdout.write(f"requests per second: {len(everything) / wall:.1f}; errors: {errors}")
        for error, count in sorted(test.errors.items()):
            self.stdout.write(f"  {error}: {count}")
        self.stdout.write(
            f"acknowledged submissions: {len(test.acknowledged)}; found in the database: {found}; "
            f"lost: {len(test.acknowledged) - found}"
        )

"""The embedded PostgreSQL stops with the process that started it, and recovers from one killed (#2).

Each test runs the real development server (`manage.py runserver --noreload`) on its own data folder, waits for
/healthz, signals it and checks that no PostgreSQL is left behind. The whole `./scripts/run` (supervisor, gunicorn,
task worker) started from a background job: tests/dakportal/test_supervisor.py."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().splitlines()[0])
    return pid if psutil.pid_exists(pid) else None


class Portal:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "postgres"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(DEBUG="1", DATA_DIR=str(self.data_dir))
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Ctrl-C in a terminal interrupts the portal, also when this session runs as a background job (as in
            # .ci/run), whose children inherit SIGINT ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the portal did not answer /healthz within 60 s")

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)
        self.process.wait(timeout=60)


def wait_until_gone(pid: int, seconds: float = 40) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    instance = Portal(tmp_path / "data")
    yield instance
    if instance.process and instance.process.poll() is None:
        instance.process.kill()
    pid = postmaster_pid(instance.pgdata)
    if pid:  # never leave a server behind, even when a test fails
        os.kill(pid, signal.SIGTERM)
        wait_until_gone(pid)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_it_stops_the_embedded_server_with_the_portal(portal: Portal, signum: int) -> None:
    portal.start()
    pid = postmaster_pid(portal.pgdata)
    assert pid, "the embedded PostgreSQL should be running"
    portal.signal(signum)
    assert wait_until_gone(pid), "PostgreSQL is still running after the portal stopped"


def test_it_adopts_and_then_stops_a_server_left_by_a_killed_process(portal: Portal) -> None:
    portal.start()
    pid = postmaster_pid(portal.pgdata)
    portal.signal(signal.SIGKILL)  # no exit hook runs: the server and a stale pid are left behind
    assert postmaster_pid(portal.pgdata) == pid
    assert json.loads((portal.pgdata / ".handle_pids.json").read_text()) != []

    portal.start()  # the next start prunes the dead pid and attaches to the running server
    assert postmaster_pid(portal.pgdata) == pid
    portal.signal(signal.SIGTERM)
    assert wait_until_gone(pid)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_dead_embedded_database_is_started_again_by_the_next_request(portal: Portal) -> None:
    """#10: the database dies under a running portal (SIGKILL: no clean shutdown); the next request starts the
    embedded server again and the portal serves, without a restart."""
    portal.start()
    pid = postmaster_pid(portal.pgdata)
    assert pid
    os.kill(pid, signal.SIGKILL)
    assert wait_until_gone(pid)
    status, _headers, body = get(f"http://127.0.0.1:{portal.port}/healthz")
    assert status == 200, body
    assert postmaster_pid(portal.pgdata) not in (None, pid)
    portal.signal(signal.SIGTERM)


def test_an_unreachable_database_is_a_503_with_retry_after_and_no_traceback(tmp_path: Path) -> None:
    """#10: with the database unreachable every page answers a friendly 503 page and every API call a 503 JSON
    body with Retry-After, DEBUG on included."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DATA_DIR=str(tmp_path), DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/none")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")  # runserver itself refuses to start without a database
    process = subprocess.Popen(
        [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "dakportal.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and status != 503:
            try:
                status, _headers, _body = get(f"{base}/healthz")
            except OSError:
                time.sleep(0.2)
        assert status == 503
        status, headers, body = get(f"{base}/api/v1/sentra/", Authorization="Token abc")
        assert status == 503 and headers["Retry-After"] and json.loads(body)["detail"]
        status, headers, body = get(f"{base}/sentra/", Cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
        assert status == 503 and headers["Retry-After"] and b'data-testid="outage"' in body
        assert b"Traceback" not in body
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_command_leaves_no_embedded_server_running(tmp_path: Path) -> None:
    """#10: a management command that started the embedded server stops it when it exits."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="1", DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "dbcheck"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert postmaster_pid(tmp_path / "postgres") is None

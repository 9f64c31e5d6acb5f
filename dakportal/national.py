"""A whole country of synthetic data, made by PostgreSQL itself (#11): `manage.py generate_national`.

Every autonomous kab/kota, 20,000 sentra with 300,000 member units, an allocation per kab/kota and year from 2016
with its plan, contract, disbursement stages and quarterly realisation, five quarters of monev reports per sentra
(100,000), 30,000 Itjen findings with recommendations and follow-ups, and 500 regional officers `perf.000` to
`perf.499` with one kab/kota each, at `scale` 1.0. Each table is one `INSERT ... SELECT` over `generate_series`, so a
whole country takes seconds, not the hour the services would.

Deterministic: every "random" choice is `rnd(row, salt)`, a hash of the row number, a salt per choice and the seed,
so the same seed, scale and day give the same database. The rows keep every rule the models and services keep
(checked by tests/core/test_national.py with the models' own validation on a sample, and every foreign key in
full); the history triggers are switched off for the load (`session_replication_role = replica`), as a bulk load
by the operator is not an edit anyone made, so the generated rows start without history. That setting also skips
foreign-key checks: the statements below build every reference from rows they just made.

Regional officers get a password (the demo password) and an API token each, whose key is `token_key(username)`, so
that `manage.py loadtest` can act as 500 officers without 500 password hashes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

SENTRA = 20_000  # at scale 1.0
UNITS_PER_SENTRA = 15  # on average (3 to 27)
REPORT_QUARTERS = 5  # the last five quarters that are due: 100,000 reports at scale 1.0
FINDINGS = 30_000
OFFICERS = 500
FIRST_YEAR = 2016

# Tables that hold data of the portal's users: the generator fills an empty portal only, unless forced.
DATA_TABLES = (
    "sentra_sentra",
    "allocations_allocation",
    "monev_monevreport",
    "monev_finding",
    "monev_assignment",
)

PRODUCTS = {
    "pangan": ["Keripik", "Kopi", "Tahu Tempe", "Kue Kering", "Olahan Ikan", "Gula Aren", "Kerupuk"],
    "kerajinan": ["Anyaman Bambu", "Gerabah", "Ukiran Kayu", "Perak", "Tenun Ikat", "Batik"],
    "sandang": ["Konveksi", "Bordir", "Sepatu", "Tas Kulit", "Songket"],
    "kimia": ["Batu Bata", "Genteng", "Minyak Atsiri", "Sabun", "Pupuk Organik"],
    "furnitur": ["Mebel Kayu", "Mebel Rotan", "Mebel Bambu"],
    "logam": ["Pandai Besi", "Alat Pertanian", "Kuningan", "Bengkel Las"],
}
CHECKLIST_KEYS = (
    "sk", "ded", "members", "storage", "machines", "asset_owner", "management_sk", "building_permit",
    "management_body", "waste_treatment", "land_certificate", "production_building", "environmental_document",
)  # fmt: skip


def token_key(username: str, seed: int = 2016) -> str:
    """The API key of a generated officer: derived, so the load test can compute it (never a real user's)."""
    return "perf-" + hashlib.sha256(f"dakportal-national:{seed}:{username}".encode()).hexdigest()[:40]


@dataclass
class Plan:
    """What to make: counts from the scale, the days and quarters from `today`."""

    scale: float
    seed: int
    today: date
    sentra: int = 0
    findings: int = 0
    officers: int = 0
    report_quarters: list[tuple[int, int, date]] = field(default_factory=list)

    def __post_init__(self) -> None:
        from monev.models import default_deadline

        self.sentra = max(1, round(SENTRA * self.scale))
        self.findings = round(FINDINGS * self.scale)
        self.officers = min(OFFICERS, max(1, round(OFFICERS * min(self.scale * 10, 1))))
        year, quarter = self.today.year, (self.today.month - 1) // 3 + 1
        while len(self.report_quarters) < REPORT_QUARTERS:
            quarter -= 1
            if quarter == 0:
                year, quarter = year - 1, 4
            deadline = default_deadline(year, quarter)
            if deadline < self.today:
                self.report_quarters.append((year, quarter, deadline))
        self.report_quarters.reverse()


def existing_data() -> dict[str, int]:
    """Rows already in the tables that hold users' data (the generator refuses a portal in use)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in DATA_TABLES:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) t")  # noqa: S608  (our names)
            counts[table] = cursor.fetchone()[0]
    return {table: n for table, n in counts.items() if n}


def generate(plan: Plan, progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Fill the database; returns the rows added per table. One transaction: all or nothing."""
    from dakportal.accounts.services import ensure_demo_users

    ensure_demo_users()  # the national users the benchmark acts as, and an Itjen author for the findings
    started = time.monotonic()
    before = _counts()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for name, sql in _statements(plan):
            step = time.monotonic()
            cursor.execute(sql, _params(plan))
            progress(f"  {name:<32} {time.monotonic() - step:6.1f} s")
        for table in _TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"  # noqa: S608
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress(f"  {'total, with ANALYZE':<32} {time.monotonic() - started:6.1f} s")
    after = _counts()
    return {table: after[table] - before[table] for table in _TABLES}


_TABLES = (
    "accounts_user", "accounts_userregency", "accounts_apitoken",
    "sentra_sentra", "sentra_sentrastatuschange", "sentra_ikmunit", "sentra_facility",
    "allocations_allocation", "allocations_activityitem", "allocations_contract", "allocations_disbursement",
    "allocations_realisation", "allocations_stagedocument", "allocations_quarterlyplan",
    "monev_monevreport", "monev_monevreport_allocations", "monev_reporttransition", "monev_assignment",
    "monev_assignmentregency", "monev_assignmentmember", "monev_finding", "monev_recommendation", "monev_followup",
)  # fmt: skip


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in _TABLES))  # noqa: S608
        return dict(cursor.fetchall())


def _params(plan: Plan) -> dict[str, Any]:
    return {
        "n_sentra": plan.sentra,
        "n_findings": plan.findings,
        "n_officers": plan.officers,
        "today": plan.today,
        "this_year": plan.today.year,
        "first_year": FIRST_YEAR,
        "idle_months": settings.SENTRA_IDLE_MONTHS,
    }


def _statements(plan: Plan) -> list[tuple[str, str]]:
    seed = int(plan.seed)
    products = ", ".join(
        f"('{group}', ARRAY[{', '.join(repr(p) for p in names)}])" for group, names in PRODUCTS.items()
    )
    checklist = ", ".join(f"'{key}', rnd(r.id, {40 + n}) < 0.75" for n, key in enumerate(CHECKLIST_KEYS))
    quarters = ", ".join(f"({y}, {q}, DATE '{d.isoformat()}', {n})" for n, (y, q, d) in enumerate(plan.report_quarters))
    password = make_password("dakportal-demo")
    keys = {f"perf.{n:03d}": token_key(f"perf.{n:03d}", seed) for n in range(plan.officers)}
    officers_tokens = ", ".join(
        f"('{name}', '{hashlib.sha256(key.encode()).hexdigest()}', '{key[:8]}')" for name, key in keys.items()
    )
    statements = [
        # A uniform number in [0, 1) from a row number and a salt: the same seed gives the same country.
        (
            "random function",
            f"""
CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (hashint8extended(i, {seed}::bigint * 1000003 + salt) & 4503599627370495)::float8 / 4503599627370496.0 $$;
""",
        ),
        (
            "kab/kota",
            """
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
  (SELECT coalesce(max(id), 0) FROM sentra_sentra) AS sentra,
  (SELECT coalesce(max(id), 0) FROM sentra_ikmunit) AS unit,
  (SELECT coalesce(max(id), 0) FROM allocations_allocation) AS allocation,
  (SELECT coalesce(max(id), 0) FROM monev_monevreport) AS report,
  (SELECT coalesce(max(id), 0) FROM monev_finding) AS finding,
  (SELECT coalesce(max(id), 0) FROM monev_assignment) AS assignment;
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
        (
            "sentra",
            f"""
CREATE TEMP TABLE g_sentra ON COMMIT DROP AS
WITH s AS (
  SELECT i, (SELECT sentra FROM g_ids) + i AS id, g.code AS regency, g.villages,
         (ARRAY['pangan','kerajinan','sandang','kimia','furnitur','logam'])[1 + floor(rnd(i, 1) * 6)::int] AS grp
  FROM generate_series(1, %(n_sentra)s) i
  JOIN g_regency g ON g.vidx = (i - 1) %% (SELECT count(*) FROM g_regency WHERE villages > 0)
)
SELECT s.*, v.code AS village, v.name AS village_name, v.district,
       p.names[1 + floor(rnd(i, 2) * array_length(p.names, 1))::int] AS product,
       3 + floor(rnd(i, 3) * 25)::int AS units,
       CASE WHEN rnd(i, 4) < 0.70 THEN 'operating' WHEN rnd(i, 4) < 0.78 THEN 'built'
            WHEN rnd(i, 4) < 0.85 THEN 'inactive' WHEN rnd(i, 4) < 0.92 THEN 'construction' ELSE 'planned' END AS status
FROM s
JOIN g_village v ON v.regency_id = s.regency AND v.idx = floor(rnd(s.i, 5) * s.villages)::int
JOIN (VALUES {products}) AS p(grp, names) ON p.grp = s.grp;
CREATE INDEX ON g_sentra (regency, id);
INSERT INTO sentra_sentra (id, created, last_updated, version, name, regency_id, village_id, address, latitude,
  longitude, commodity_group, kbli, products, unit_count, workers, production_capacity, capacity_unit,
  production_value, investment_value, sk_number, sk_date, sk_issuer, land_status, land_certificate, land_area,
  building_permit, environmental_document, ded_available, management_body, management_name, management_sk,
  asset_owner, status, status_since)
SELECT id, now() - (rnd(i, 6) * interval '3000 days'), now() - (rnd(i, 7) * interval '300 days'), 1,
  'Sentra ' || product || ' ' || village_name || ' ' || id, regency, village, 'Jl. Sentra No. ' || (1 + i %% 200),
  CASE WHEN rnd(i, 8) < 0.85 THEN round((-10.5 + rnd(i, 9) * 16)::numeric, 6) END,
  CASE WHEN rnd(i, 8) < 0.85 THEN round((95.5 + rnd(i, 10) * 45)::numeric, 6) END,
  grp, lpad((10000 + floor(rnd(i, 11) * 22000))::int::text, 5, '0'), product, units, units * (2 + floor(rnd(i, 12) * 5)::int),
  CASE WHEN rnd(i, 13) < 0.6 THEN round((100 + rnd(i, 14) * 9900)::numeric, 2) END,
  CASE WHEN rnd(i, 13) < 0.6 THEN 'kg/bulan' ELSE '' END,
  (floor(rnd(i, 15) * 5000) * 1000000)::bigint, (floor(rnd(i, 16) * 3000) * 1000000)::bigint,
  CASE WHEN rnd(i, 17) < 0.8 THEN 'SK/' || i || '/DISPERINDAG' ELSE '' END,
  CASE WHEN rnd(i, 17) < 0.8 THEN DATE '2012-01-01' + floor(rnd(i, 18) * 4000)::int END,
  CASE WHEN rnd(i, 17) < 0.8 THEN 'Bupati/Wali Kota' ELSE '' END,
  (ARRAY['pemda','desa','koperasi','private','lease','loan','unclear'])[1 + floor(rnd(i, 19) * 7)::int],
  CASE WHEN rnd(i, 20) < 0.6 THEN 'SHM ' || i ELSE '' END,
  CASE WHEN rnd(i, 20) < 0.6 THEN round((200 + rnd(i, 21) * 5000)::numeric, 2) END,
  CASE WHEN rnd(i, 22) < 0.5 THEN 'PBG-' || i ELSE '' END,
  (ARRAY['none','sppl','ukl_upl','amdal'])[1 + floor(rnd(i, 23) * 4)::int], rnd(i, 24) < 0.6,
  (ARRAY['none','uptd','koperasi','dinas','pengurus'])[1 + floor(rnd(i, 25) * 5)::int], '', '', '',
  status, %(today)s::date - floor(rnd(i, 26) * 2500)::int
FROM g_sentra;
""",
        ),
        (
            "sentra status changes",
            """
INSERT INTO sentra_sentrastatuschange (from_status, to_status, effective_date, reason, changed_at, sentra_id)
SELECT '', s.status, s.status_since, 'Data awal (generate_national)', s.created, s.id
FROM sentra_sentra s JOIN g_sentra g USING (id);
""",
        ),
        (
            "IKM units",
            """
INSERT INTO sentra_ikmunit (id, created, last_updated, version, nib, business_name, owner_name, owner_nik, contact,
  legal_form, kbli, products, workers_male, workers_female, investment_value, halal_certified, sni_certified,
  trademark_registered, year_joined, sentra_id)
SELECT u.id, now() - (rnd(u.id, 30) * interval '2500 days'), now() - (rnd(u.id, 31) * interval '200 days'), 1,
  lpad((9000000000000 + u.id)::text, 13, '0'), g.product || ' ' || (ARRAY['Makmur','Jaya','Sentosa','Abadi','Lestari',
  'Berkah','Mandiri','Sejahtera'])[1 + floor(rnd(u.id, 32) * 8)::int] || ' ' || u.id,
  (ARRAY['Siti','Budi','Ahmad','Dewi','Agus','Sri','Wayan','Made','Yohanes','Rahmat'])[1 + floor(rnd(u.id, 33) * 10)::int]
    || ' ' || (ARRAY['Rahayu','Santoso','Hidayat','Lestari','Saputra','Wulandari','Siregar','Nainggolan'])[1 + floor(rnd(u.id, 34) * 8)::int],
  CASE WHEN rnd(u.id, 35) < 0.7 THEN replace(g.district, '.', '')
       || lpad((1 + floor(rnd(u.id, 36) * 28)::int + CASE WHEN rnd(u.id, 37) < 0.5 THEN 40 ELSE 0 END)::text, 2, '0')
       || lpad((1 + floor(rnd(u.id, 38) * 12)::int)::text, 2, '0') || lpad((60 + floor(rnd(u.id, 39) * 40)::int)::text, 2, '0')
       || lpad((1 + floor(rnd(u.id, 40) * 9998)::int)::text, 4, '0') ELSE '' END,
  CASE WHEN rnd(u.id, 41) < 0.6 THEN '08' || lpad(floor(rnd(u.id, 42) * 9999999999)::bigint::text, 10, '0') ELSE '' END,
  (ARRAY['perorangan','perorangan','perorangan','ud','cv','pt','koperasi','lainnya'])[1 + floor(rnd(u.id, 43) * 8)::int],
  s.kbli, g.product, floor(rnd(u.id, 44) * 12)::int, floor(rnd(u.id, 45) * 12)::int,
  (floor(rnd(u.id, 46) * rnd(u.id, 47) * 3000) * 1000000)::bigint, rnd(u.id, 48) < 0.3, rnd(u.id, 49) < 0.1,
  rnd(u.id, 50) < 0.2, CASE WHEN rnd(u.id, 51) < 0.8 THEN 2000 + floor(rnd(u.id, 52) * 26)::int END, g.id
FROM g_sentra g JOIN sentra_sentra s USING (id)
CROSS JOIN LATERAL (SELECT (SELECT unit FROM g_ids) + (g.i - 1) * 27 + n AS id FROM generate_series(1, g.units) n) u;
""",
        ),
        (
            "facilities",
            """
INSERT INTO sentra_facility (created, last_updated, version, kind, description, quantity, unit, condition, year_built,
  sentra_id)
SELECT now(), now(), 1,
  (ARRAY['production','warehouse','packaging','machines','ipal','showroom','office','other'])[n],
  '', 1 + floor(rnd(g.id * 8 + n, 60) * 10)::int, CASE WHEN n = 4 THEN 'unit' ELSE 'm²' END,
  (ARRAY['good','good','good','light_damage','heavy_damage','unused'])[1 + floor(rnd(g.id * 8 + n, 61) * 6)::int],
  2010 + floor(rnd(g.id * 8 + n, 62) * 16)::int, g.id
FROM g_sentra g CROSS JOIN generate_series(1, 8) n
WHERE rnd(g.id * 8 + n, 63) < CASE WHEN n <= 2 THEN 0.85 ELSE 0.35 END;
""",
        ),
        (
            "allocations",
            """
CREATE TEMP TABLE g_allocation ON COMMIT DROP AS
SELECT (SELECT allocation FROM g_ids) + row_number() OVER (ORDER BY y, g.idx) AS id, y AS year, g.code AS regency,
       CASE WHEN y < g.changed_in THEN g.former_code ELSE g.code END AS code_then,
       (300 + floor(rnd(g.idx * 100 + y, 70) * 4700)::int)::bigint * 1000000 AS amount,
       CASE WHEN y < %(this_year)s THEN
            CASE WHEN rnd(g.idx * 100 + y, 71) < 0.95 THEN 'approved' WHEN rnd(g.idx * 100 + y, 71) < 0.97 THEN 'returned'
                 ELSE 'submitted' END
            ELSE (ARRAY['approved','approved','submitted','draft'])[1 + floor(rnd(g.idx * 100 + y, 71) * 4)::int]
       END AS plan_status,
       rnd(g.idx * 100 + y, 72) < 0.5 AS build
FROM g_regency g CROSS JOIN generate_series(%(first_year)s, %(this_year)s) y;
INSERT INTO allocations_allocation (id, created, last_updated, version, year, regency_code_then, kind, amount,
  legal_basis, synthetic, plan_status, plan_return_reason, plan_decided_at, regency_id, sub_field_id)
SELECT a.id, make_timestamptz(a.year - 1, 12, 1, 9, 0, 0), make_timestamptz(a.year - 1, 12, 1, 9, 0, 0), 1, a.year,
  a.code_then, 'reguler', a.amount, 'Lampiran Perpres TA ' || a.year, true,
  CASE WHEN EXISTS (SELECT 1 FROM g_sentra s WHERE s.regency = a.regency) THEN a.plan_status ELSE 'draft' END,
  CASE WHEN a.plan_status = 'returned' THEN 'Volume belum sesuai DED' ELSE '' END,
  CASE WHEN a.plan_status IN ('approved', 'returned') THEN make_timestamptz(a.year, 2, 15, 10, 0, 0) END,
  a.regency, ref.id
FROM g_allocation a
JOIN allocations_referenceitem ref ON ref.kind = 'sub_field' AND ref.year = a.year
     AND ref.code = CASE WHEN a.build THEN 'pembangunan' ELSE 'revitalisasi' END
WHERE NOT EXISTS (SELECT 1 FROM allocations_allocation x  -- with --force: a kab/kota's year is there already
                  WHERE x.year = a.year AND x.regency_id = a.regency AND x.sub_field_id = ref.id);
""",
        ),
        (
            "activity items (the plan)",
            """
CREATE TEMP TABLE g_item ON COMMIT DROP AS
WITH place AS (
  SELECT s.regency, s.id, (row_number() OVER (PARTITION BY s.regency ORDER BY s.id) - 1)::int AS idx,
         count(*) OVER (PARTITION BY s.regency)::int AS n
  FROM g_sentra s
), line AS (
  SELECT a.id AS allocation, a.year, a.amount, a.build, l.n AS line, l.detail, l.unit,
         floor(a.amount * (0.85 + rnd(a.id, 80) * 0.14) / 3) AS share,
         CASE WHEN l.unit = 'paket' THEN (ARRAY[1, 2, 4])[1 + floor(rnd(a.id * 3 + l.n, 81) * 3)::int]
              ELSE 80 + floor(rnd(a.id * 3 + l.n, 82) * 320)::int END AS volume,
         (SELECT p.id FROM place p WHERE p.regency = a.regency
            AND p.idx = floor(rnd(a.id * 3 + l.n, 83) * p.n)::int) AS sentra
  FROM g_allocation a
  CROSS JOIN (VALUES (1, 'bangunan_produksi', 'm2'), (2, 'mesin', 'paket'), (3, 'rumah_kemasan', 'm2')) l(n, detail, unit)
  JOIN allocations_allocation al ON al.id = a.id AND al.plan_status <> 'draft'
)
SELECT line.*, (floor(share / volume / 1000) * 1000)::bigint AS unit_cost FROM line WHERE sentra IS NOT NULL;
INSERT INTO allocations_activityitem (created, last_updated, version, volume, unit_cost, allocation_id, detail_id, menu_id,
  sentra_id, unit_id)
SELECT make_timestamptz(i.year, 1, 20, 9, 0, 0), make_timestamptz(i.year, 1, 20, 9, 0, 0), 1, i.volume, i.unit_cost,
  i.allocation, d.id, m.id, i.sentra, u.id
FROM g_item i
JOIN allocations_referenceitem d ON d.kind = 'detail' AND d.year = i.year AND d.code = i.detail
JOIN allocations_referenceitem m ON m.kind = 'menu' AND m.year = i.year
     AND m.code = CASE WHEN i.build THEN 'pembangunan' ELSE 'revitalisasi' END
JOIN allocations_referenceitem u ON u.kind = 'unit' AND u.year = i.year AND u.code = i.unit;
CREATE INDEX ON g_item (allocation, line);
""",
        ),
        (
            "contracts",
            """
-- #13.5: the quarterly plan entered with the activity plan
INSERT INTO allocations_quarterlyplan (created, last_updated, version, funds_q1, funds_q2, funds_q3, funds_q4,
  physical_q1, physical_q2, physical_q3, physical_q4, allocation_id)
SELECT make_timestamptz(a.year, 1, 25, 9, 0, 0), make_timestamptz(a.year, 1, 25, 9, 0, 0), 1,
  floor(p.planned * 0.2), floor(p.planned * 0.55), floor(p.planned * 0.68), floor(p.planned * 0.95), 15, 45, 65, 100, a.id
FROM allocations_allocation a
JOIN (SELECT allocation_id, sum(value) AS planned FROM allocations_activityitem GROUP BY 1) p ON p.allocation_id = a.id
JOIN g_allocation g ON g.id = a.id;
CREATE TEMP TABLE g_contract ON COMMIT DROP AS
SELECT a.id AS allocation, a.year, a.amount, floor(p.planned * (0.9 + rnd(a.id, 90) * 0.1))::bigint AS value,
       make_date(a.year, 3, 1) + floor(rnd(a.id, 91) * 60)::int AS start
FROM allocations_allocation a
JOIN (SELECT allocation_id, sum(value) AS planned FROM allocations_activityitem GROUP BY 1) p ON p.allocation_id = a.id
JOIN g_allocation g ON g.id = a.id
WHERE a.plan_status = 'approved' AND make_date(a.year, 3, 1) < %(today)s;
INSERT INTO allocations_contract (created, last_updated, version, number, date, supplier, value, method, start_date,
  end_date, handover_date, void_reason, allocation_id)
SELECT c.start, c.start, 1, '027/' || c.allocation || '/DISPERINDAG/' || c.year, c.start,
  (ARRAY['CV Karya Mandiri','PT Bangun Sentosa','CV Sinar Jaya','Swakelola Dinas'])[1 + floor(rnd(c.allocation, 92) * 4)::int],
  c.value, CASE WHEN rnd(c.allocation, 92) >= 0.75 THEN 'swakelola' ELSE 'kontraktual' END, c.start, c.start + 150,
  CASE WHEN rnd(c.allocation, 93) < 0.8 AND c.start + 160 < %(today)s THEN c.start + 160 END, '', c.allocation
FROM g_contract c WHERE c.value > 0;
""",
        ),
        (
            "disbursements (stages)",
            """
CREATE TEMP TABLE g_disbursement ON COMMIT DROP AS
WITH stage AS (
  SELECT c.allocation, c.amount, c.value, r.id AS rule, r."order" AS ord, r.share_percent,
         round(c.amount * coalesce(r.share_percent, 0) / 100)::bigint AS by_share,
         count(*) OVER (PARTITION BY c.allocation) AS stages,
         make_date(c.year, r.window_start_month, 15) AS date,  -- #13: each stage in its window
         1 + floor(rnd(c.allocation, 100) * 1.6 * count(*) OVER (PARTITION BY c.allocation))::int AS reached
  FROM g_contract c
  JOIN allocations_fiscalyear fy ON fy.year = c.year
  JOIN allocations_disbursementrule r ON r.fiscal_year_id = c.year
       AND r.single_payment = (c.amount <= fy.single_payment_max AND fy.single_payment_max > 0)
  WHERE c.value > 0
)
SELECT allocation, ord, rule, date,
       CASE WHEN share_percent IS NULL  -- #13: the remaining need, min(pagu, contract) less the stages before
            THEN greatest(0, least(amount, value) - coalesce(sum(by_share) OVER (PARTITION BY allocation ORDER BY ord
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))
            ELSE by_share END AS amount
FROM stage WHERE ord <= reached AND date < %(today)s;
CREATE INDEX ON g_disbursement (allocation, date);
-- #13: a stage is recorded only with its documents verified: uploaded ten days before, verified five days before
INSERT INTO allocations_stagedocument (created, last_updated, version, file, submitted_on, status, decided_on,
  decided_at, reject_reason, allocation_id, requirement_id)
SELECT d.date - 10, d.date - 5, 2, 'national/dokumen.pdf', d.date - 10, 'verified', d.date - 5,
  (d.date - 5)::timestamptz, '', d.allocation, q.id
FROM g_disbursement d JOIN allocations_requireddocument q ON q.rule_id = d.rule WHERE d.amount > 0;
INSERT INTO allocations_disbursement (created, last_updated, version, rule_id, amount, date, void_reason, conditions,
  allocation_id)
SELECT date, date, 1, rule, amount, date, '', '[]'::jsonb, allocation FROM g_disbursement WHERE amount > 0;
""",
        ),
        (
            "realisation (quarterly)",
            """
INSERT INTO allocations_realisation (created, last_updated, version, quarter, spent, physical_progress, note, photo,
  void_reason, allocation_id)
WITH quarter AS (
  SELECT c.allocation, c.value, q,
         (SELECT coalesce(sum(d.amount), 0) FROM g_disbursement d
           WHERE d.allocation = c.allocation AND d.date <= make_date(c.year, 3 * q, 1) + interval '1 month' - interval '1 day') AS received,
         CASE WHEN rnd(c.allocation * 4 + q, 110) < 0.12 THEN 0 ELSE least(0.95, 0.55 + 0.1 * q + rnd(c.allocation * 4 + q, 111) * 0.1) END AS share,
         make_date(c.year, 3 * q, 1) + interval '1 month' - interval '1 day' AS quarter_end
  FROM g_contract c CROSS JOIN generate_series(1, 4) q
  WHERE c.value > 0 AND make_date(c.year, 3 * q, 1) + interval '1 month' <= %(today)s
    AND EXISTS (SELECT 1 FROM g_disbursement d WHERE d.allocation = c.allocation)
), spent AS (
  SELECT allocation, value, q, quarter_end,
         max(floor(least(received, value) * share)::bigint) OVER (PARTITION BY allocation ORDER BY q) AS spent
  FROM quarter
)
SELECT quarter_end + interval '10 days', quarter_end + interval '10 days', 1, q, spent,
       least(100, round(spent * 100.0 / value, 2)), '', '', '', allocation
FROM spent;
""",
        ),
        (
            "monev reports",
            f"""
CREATE TEMP TABLE g_report ON COMMIT DROP AS
SELECT (SELECT report FROM g_ids) + (s.i - 1) * {REPORT_QUARTERS} + q.n + 1 AS id, s.id AS sentra, s.regency,
       q.year, q.quarter, q.deadline, q.n,
       CASE WHEN q.n < {REPORT_QUARTERS - 1} THEN
            CASE WHEN rnd(s.id * 8 + q.n, 120) < 0.90 THEN 'accepted' WHEN rnd(s.id * 8 + q.n, 120) < 0.93 THEN 'returned'
                 WHEN rnd(s.id * 8 + q.n, 120) < 0.97 THEN 'resubmitted' ELSE 'submitted' END
       ELSE (ARRAY['submitted','submitted','accepted','returned','draft'])[1 + floor(rnd(s.id * 8 + q.n, 120) * 5)::int]
       END AS status
FROM g_sentra s CROSS JOIN (VALUES {quarters}) AS q(year, quarter, deadline, n);
INSERT INTO monev_monevreport (id, created, last_updated, version, period_kind, year, quarter, deadline, status,
  operating_score, operating_note, compliance_score, compliance_note, sustainability_score, sustainability_note,
  checklist, active_units, workers, output, submitted_at, return_reason, created_by_id, sentra_id)
SELECT r.id, r.deadline - 25, r.deadline - 20 + floor(rnd(r.id, 121) * 30)::int, 1, 'quarter', r.year, r.quarter,
  r.deadline, r.status,
  (ARRAY['sesuai','sesuai','sesuai','sebagian','tidak'])[1 + floor(rnd(r.id, 122) * 5)::int], 'Sentra beroperasi.',
  (ARRAY['sesuai','sesuai','sesuai','sebagian','tidak'])[1 + floor(rnd(r.id, 123) * 5)::int], 'Sesuai kontrak.',
  (ARRAY['sesuai','sesuai','sebagian','sebagian','tidak'])[1 + floor(rnd(r.id, 124) * 5)::int], 'Dimanfaatkan anggota.',
  jsonb_build_object({checklist}), floor(s.unit_count * (0.5 + rnd(r.id, 125) * 0.5))::int, s.workers,
  s.products || ' ' || (100 + floor(rnd(r.id, 126) * 900)::int) || ' kg',
  CASE WHEN r.status <> 'draft' THEN r.deadline - 15 + floor(rnd(r.id, 127) * 25)::int + time '10:00' END,
  CASE WHEN r.status = 'returned' THEN 'Foto bukti belum lengkap' ELSE '' END,
  (SELECT o.usr FROM g_officer o WHERE o.regency = r.regency),
  r.sentra
FROM g_report r JOIN sentra_sentra s ON s.id = r.sentra;
""",
        ),
        (
            "monev report allocations",
            """
INSERT INTO monev_monevreport_allocations (monevreport_id, allocation_id)
SELECT r.id, a.id FROM g_report r JOIN allocations_allocation a ON a.regency_id = r.regency AND a.year = r.year
WHERE a.id > (SELECT allocation FROM g_ids);
""",
        ),
        (
            "report transitions",
            """
INSERT INTO monev_reporttransition (from_status, to_status, reason, at, by_id, report_id)
SELECT t.from_status, t.to_status, t.reason, r.submitted_at + t.after, CASE WHEN t.by_officer THEN r.created_by_id END,
       r.id
FROM monev_monevreport r JOIN g_report g USING (id)
CROSS JOIN LATERAL (VALUES
  ('draft', 'submitted', '', interval '0 days', true, true),
  ('submitted', 'returned', 'Foto bukti belum lengkap', interval '5 days', false, r.status IN ('returned', 'resubmitted')),
  ('returned', 'resubmitted', '', interval '9 days', true, r.status = 'resubmitted'),
  ('submitted', 'accepted', '', interval '7 days', false, r.status = 'accepted')
) AS t(from_status, to_status, reason, after, by_officer, applies)
WHERE r.status <> 'draft' AND t.applies;
""",
        ),
        (
            "Itjen assignments",
            """
INSERT INTO monev_assignment (id, created, last_updated, version, number, date, notes, period_start, period_end,
  fiscal_years)
SELECT (SELECT assignment FROM g_ids) + row_number() OVER (ORDER BY y, g.idx), make_timestamptz(y + 1, 3, 1, 9, 0, 0),
  make_timestamptz(y + 1, 3, 1, 9, 0, 0), 1,
  'ST-' || ((SELECT assignment FROM g_ids) + row_number() OVER (ORDER BY y, g.idx)) || '/IJ/' || (y + 1),
  make_date(y + 1, 3, 1), 'Tim Itjen ' || (1 + g.idx %% 12), make_date(y + 1, 3, 10), make_date(y + 1, 3, 20),
  ARRAY[y]::smallint[]
FROM g_regency g CROSS JOIN generate_series(%(first_year)s, %(this_year)s - 1) y
WHERE rnd(g.idx * 100 + y, 130) < 0.35 AND make_date(y + 1, 3, 1) < %(today)s;
-- #13: each names one kab/kota (the same draw, in the same order) and the demo auditor 'itjen' as its team lead
INSERT INTO monev_assignmentregency (assignment_id, regency_id)
SELECT (SELECT assignment FROM g_ids) + row_number() OVER (ORDER BY y, g.idx), g.code
FROM g_regency g CROSS JOIN generate_series(%(first_year)s, %(this_year)s - 1) y
WHERE rnd(g.idx * 100 + y, 130) < 0.35 AND make_date(y + 1, 3, 1) < %(today)s;
INSERT INTO monev_assignmentmember (assignment_id, user_id, role)
SELECT a.id, u.id, 'lead' FROM monev_assignment a JOIN accounts_user u ON u.username = 'itjen'
WHERE a.id > (SELECT assignment FROM g_ids);
""",
        ),
        (
            "findings",
            """
CREATE TEMP TABLE g_finding ON COMMIT DROP AS
SELECT (SELECT finding FROM g_ids) + i AS id, i, a.regency_id AS regency, a.id AS allocation, a.year,
       make_timestamptz(a.year + 1, 1 + floor(rnd(i, 140) * 11)::int, 1 + floor(rnd(i, 141) * 27)::int, 10, 0, 0) AS created
FROM generate_series(1, %(n_findings)s) i
JOIN allocations_allocation a ON a.id = (SELECT allocation FROM g_ids) + 1
     + floor(rnd(i, 142) * (SELECT count(*) FROM g_allocation WHERE year < %(this_year)s))::int;
INSERT INTO monev_finding (id, created, last_updated, version, title, category, condition, criteria, cause, effect,
  loss_value, due_date, status, follow_up_class, closed_at, allocation_id, assignment_id, created_by_id, regency_id,
  report_id, sentra_id)
SELECT f.id, least(f.created, now()), least(f.created, now()), 1,
  (ARRAY['Kekurangan volume pekerjaan','Denda keterlambatan belum dipungut','Aset belum dimanfaatkan',
         'Dokumen pertanggungjawaban belum lengkap','Lainnya'])[k.n],
  (ARRAY['volume_shortfall','late_penalty','asset_unused','administration','other'])[k.n],
  'Kondisi hasil pemeriksaan lapangan.', 'Perpres dan PMK DAK Fisik tahun berjalan.', '', '',
  CASE WHEN k.n <= 2 THEN (floor(rnd(f.i, 144) * 500) * 1000000)::bigint ELSE 0 END,
  (least(f.created, now()) + interval '60 days')::date,
  CASE WHEN f.created < now() - interval '120 days' AND rnd(f.i, 145) < 0.7 THEN 'closed' ELSE 'open' END,
  CASE WHEN f.created < now() - interval '120 days' AND rnd(f.i, 145) < 0.7 THEN 'sesuai'
       ELSE (ARRAY['belum_ditindaklanjuti','belum_ditindaklanjuti','belum_sesuai','belum_sesuai'])[1 + floor(rnd(f.i, 146) * 4)::int] END,
  CASE WHEN f.created < now() - interval '120 days' AND rnd(f.i, 145) < 0.7 THEN f.created + interval '100 days' END,
  f.allocation,
  m.id, (SELECT id FROM accounts_user WHERE username = 'itjen'), f.regency, NULL, i.sentra
FROM g_finding f CROSS JOIN LATERAL (SELECT 1 + floor(rnd(f.i, 143) * 5)::int AS n) k
LEFT JOIN (SELECT r.regency_id, a.fiscal_years[1] AS fiscal_year, min(a.id) AS id
           FROM monev_assignment a JOIN monev_assignmentregency r ON r.assignment_id = a.id GROUP BY 1, 2) m
       ON m.regency_id = f.regency AND m.fiscal_year = f.year
LEFT JOIN g_item i ON i.allocation = f.allocation AND i.line = 1;
""",
        ),
        (
            "recommendations",
            """
INSERT INTO monev_recommendation (created, last_updated, version, text, responsible_official, due_date,
  amount_to_recover, status, finding_id)
SELECT f.created, f.created, 1, (ARRAY['Menagih kekurangan volume kepada penyedia dan menyetorkan ke kas daerah.',
  'Memungut denda keterlambatan sesuai kontrak.', 'Memanfaatkan aset untuk kegiatan sentra.',
  'Melengkapi dokumen pertanggungjawaban.'])[1 + (f.id + n) %% 4],
  'Kepala Dinas', f.due_date, CASE WHEN n = 1 THEN f.loss_value ELSE 0 END,
  -- #13: each recommendation has its own status; a closed finding's are all settled, an open one's first
  -- recommendation carries the finding's class
  CASE WHEN f.status = 'closed' THEN 'sesuai' WHEN n = 1 THEN f.follow_up_class ELSE 'belum_ditindaklanjuti' END,
  f.id
FROM monev_finding f JOIN g_finding g USING (id) CROSS JOIN generate_series(1, 2) n
WHERE n = 1 OR rnd(f.id, 150) < 0.5;
""",
        ),
        (
            "follow-ups",
            """
INSERT INTO monev_followup (created, last_updated, version, reply, amount_deposited, deposit_to, deposit_reference,
  verification, verification_reason, verified_at, recommendation_id, submitted_by_id, verified_by_id)
SELECT f.created + interval '40 days', f.created + interval '40 days', 1, 'Telah ditindaklanjuti sesuai rekomendasi.',
  0, '', '',
  CASE WHEN r.status = 'belum_ditindaklanjuti' THEN '' ELSE r.status END,
  CASE WHEN r.status = 'belum_sesuai' THEN 'Bukti belum lengkap.' ELSE '' END,
  CASE WHEN r.status <> 'belum_ditindaklanjuti' THEN f.created + interval '90 days' END, r.id,
  (SELECT o.usr FROM g_officer o WHERE o.regency = f.regency_id),
  CASE WHEN r.status <> 'belum_ditindaklanjuti' THEN f.created_by_id END
FROM monev_recommendation r JOIN monev_finding f ON f.id = r.finding_id JOIN g_finding g ON g.id = f.id
WHERE r.status <> 'belum_ditindaklanjuti' OR rnd(r.id, 161) < 0.3;
""",
        ),
        (
            "clean up",
            "DROP TABLE g_regency, g_village, g_ids, g_officer, g_sentra, g_allocation, g_item, g_contract, "
            "g_disbursement, g_report, g_finding; DROP FUNCTION rnd(bigint, int);",
        ),
    ]
    # Temporary functions are found only by their schema's name (PostgreSQL never searches pg_temp for functions).
    return [statements[0], *((name, sql.replace("rnd(", "pg_temp.rnd(")) for name, sql in statements[1:])]


def default_today() -> date:
    return timezone.localdate()

"""Sentra's part of the national data set (#11, #16; `dakportal/national.py` says how): 20,000 sentra at scale 1.0 in
the kab/kota that have desa, in turn, with their status changes, 300,000 member units and their facilities. Makes
`g_sentra` (id, i, regency, village, product, ...) for the apps after it."""

from __future__ import annotations

from dakportal.national import Generator, Plan, Statements

SENTRA = 20_000  # at scale 1.0
UNITS_PER_SENTRA = 15  # on average (3 to 27)

PRODUCTS = {
    "pangan": ["Keripik", "Kopi", "Tahu Tempe", "Kue Kering", "Olahan Ikan", "Gula Aren", "Kerupuk"],
    "kerajinan": ["Anyaman Bambu", "Gerabah", "Ukiran Kayu", "Perak", "Tenun Ikat", "Batik"],
    "sandang": ["Konveksi", "Bordir", "Sepatu", "Tas Kulit", "Songket"],
    "kimia": ["Batu Bata", "Genteng", "Minyak Atsiri", "Sabun", "Pupuk Organik"],
    "furnitur": ["Mebel Kayu", "Mebel Rotan", "Mebel Bambu"],
    "logam": ["Pandai Besi", "Alat Pertanian", "Kuningan", "Bengkel Las"],
}


def sentra_count(plan: Plan) -> int:
    return max(1, round(SENTRA * plan.scale))


def statements(plan: Plan) -> Statements:
    products = ", ".join(
        f"('{group}', ARRAY[{', '.join(repr(p) for p in names)}])" for group, names in PRODUCTS.items()
    )
    return [
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
    ]


GENERATOR = Generator(
    counted=("sentra.Sentra", "sentra.IKMUnit"),
    app="sentra",
    statements=statements,
    tables=("sentra_sentra", "sentra_sentrastatuschange", "sentra_ikmunit", "sentra_facility"),
    data_tables=("sentra_sentra",),
    ids={"sentra": "sentra_sentra", "unit": "sentra_ikmunit"},
    params=lambda plan: {"n_sentra": sentra_count(plan)},
    describe=lambda plan: f"{sentra_count(plan):,} sentra",
)

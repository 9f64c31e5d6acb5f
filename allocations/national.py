"""Allocations' part of the national data set (#11, #16; `dakportal/national.py` says how): an allocation per
autonomous kab/kota and year from 2016 with its plan (on the sentra made before it), contract, disbursement stages
and quarterly realisation. Makes `g_allocation` for the apps after it."""

from __future__ import annotations

from dakportal.national import Generator, Plan, Statements


def statements(plan: Plan) -> Statements:
    return [
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
         -- #17.4: the usual unit cost of 2016 rising 4 in 100 a year, 0,8 to 1,25 times it; 3 lines in 100 at 2,2 times, 2
         -- at 0,4 times (the unit-cost outliers), half of those with a justification
         floor(l.usual * power(1.04, a.year - 2016) * (0.8 + rnd(a.id * 3 + l.n, 82) * 0.45)
               * CASE WHEN rnd(a.id * 3 + l.n, 84) < 0.03 THEN 2.2 WHEN rnd(a.id * 3 + l.n, 84) < 0.05 THEN 0.4
                      ELSE 1 END / 1000) * 1000 AS cost,
         CASE WHEN rnd(a.id * 3 + l.n, 84) < 0.05 AND rnd(a.id * 3 + l.n, 85) < 0.5
              THEN 'Harga satuan sesuai kondisi lokasi (lihat DED).' ELSE '' END AS justification,
         (SELECT p.id FROM place p WHERE p.regency = a.regency
            AND p.idx = floor(rnd(a.id * 3 + l.n, 83) * p.n)::int) AS sentra
  FROM g_allocation a
  CROSS JOIN (VALUES (1, 'bangunan_produksi', 'm2', 4000000), (2, 'mesin', 'paket', 60000000),
                     (3, 'rumah_kemasan', 'm2', 5000000)) l(n, detail, unit, usual)
  JOIN allocations_allocation al ON al.id = a.id AND al.plan_status <> 'draft'
)
SELECT line.*, least(cost, floor(share / 1000) * 1000)::bigint AS unit_cost,
       greatest(1, floor(share / least(cost, floor(share / 1000) * 1000))) AS volume
FROM line WHERE sentra IS NOT NULL;
INSERT INTO allocations_activityitem (created, last_updated, version, volume, unit_cost, unit_cost_justification,
  allocation_id, detail_id, menu_id, sentra_id, unit_id)
SELECT make_timestamptz(i.year, 1, 20, 9, 0, 0), make_timestamptz(i.year, 1, 20, 9, 0, 0), 1, i.volume, i.unit_cost,
  i.justification, i.allocation, d.id, m.id, i.sentra, u.id
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
    ]


GENERATOR = Generator(
    counted=("allocations.Allocation",),
    app="allocations",
    statements=statements,
    tables=(
        "allocations_allocation",
        "allocations_activityitem",
        "allocations_contract",
        "allocations_disbursement",
        "allocations_realisation",
        "allocations_stagedocument",
        "allocations_quarterlyplan",
    ),  # fmt: skip
    data_tables=("allocations_allocation",),
    ids={"allocation": "allocations_allocation"},
    requires=("sentra",),
)

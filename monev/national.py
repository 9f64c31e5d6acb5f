"""Monev's part of the national data set (#11, #16; `dakportal/national.py` says how): five quarters of monev reports
per sentra (100,000 at scale 1.0) with their allocations and transitions, Itjen assignments, and 30,000 findings
with recommendations and follow-ups, on the sentra and allocations made before it."""

from __future__ import annotations

from datetime import date

from dakportal.national import Generator, Plan, Statements
from monev.models import default_deadline

REPORT_QUARTERS = 5  # the last five quarters that are due: 100,000 reports at scale 1.0
FINDINGS = 30_000

CHECKLIST_KEYS = (
    "sk", "ded", "members", "storage", "machines", "asset_owner", "management_sk", "building_permit",
    "management_body", "waste_treatment", "land_certificate", "production_building", "environmental_document",
)  # fmt: skip


def findings_count(plan: Plan) -> int:
    return round(FINDINGS * plan.scale)


def report_quarters(plan: Plan) -> list[tuple[int, int, date]]:
    """The last REPORT_QUARTERS quarters whose report deadline is before the plan's day: (year, quarter, deadline)."""
    found: list[tuple[int, int, date]] = []
    year, quarter = plan.today.year, (plan.today.month - 1) // 3 + 1
    while len(found) < REPORT_QUARTERS:
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        deadline = default_deadline(year, quarter)
        if deadline < plan.today:
            found.append((year, quarter, deadline))
    return found[::-1]


def statements(plan: Plan) -> Statements:
    checklist = ", ".join(f"'{key}', rnd(r.id, {40 + n}) < 0.75" for n, key in enumerate(CHECKLIST_KEYS))
    quarters = ", ".join(
        f"({y}, {q}, DATE '{d.isoformat()}', {n})" for n, (y, q, d) in enumerate(report_quarters(plan))
    )
    return [
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
    ]


def describe(plan: Plan) -> str:
    quarters = ", ".join(f"TW {q} {y}" for y, q, _ in report_quarters(plan))
    return f"{findings_count(plan):,} findings, monev quarters {quarters}"


GENERATOR = Generator(
    counted=("monev.MonevReport", "monev.Finding"),
    app="monev",
    statements=statements,
    tables=(
        "monev_monevreport",
        "monev_monevreport_allocations",
        "monev_reporttransition",
        "monev_assignment",
        "monev_assignmentregency",
        "monev_assignmentmember",
        "monev_finding",
        "monev_recommendation",
        "monev_followup",
    ),  # fmt: skip
    data_tables=("monev_monevreport", "monev_finding", "monev_assignment"),
    ids={"report": "monev_monevreport", "finding": "monev_finding", "assignment": "monev_assignment"},
    params=lambda plan: {"n_findings": findings_count(plan)},
    describe=describe,
    requires=("sentra", "allocations"),
)

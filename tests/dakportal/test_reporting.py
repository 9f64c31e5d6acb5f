"""Reports (#6): numbers equal hand-computed values, every format and the API twin agree, scoping holds, and the
number of queries does not grow with the data."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from allocations.testing import (
    disburse,
    make_allocation,
    make_item,
    provide_documents,
    realise,
    stage_rule,
)
from dakportal.formatting import rupiah
from dakportal.regions.models import Village
from dakportal.reporting.base import REGISTRY
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast: Any) -> None:
    make_allocation(cast.ministry_staff, regency="32.73", year=2020, amount=2_000_000_000)
    bandung = make_allocation(cast.ministry_staff, regency="32.73", year=2021, amount=4_000_000_000)
    make_allocation(cast.ministry_staff, regency="34.04", year=2021, amount=1_000_000_000)
    sentra = make_sentra(cast.officer_a, status="operating")
    make_sentra(cast.officer_b, village=VILLAGE_B, status="operating")
    make_item(cast.officer_a, bandung, sentra, volume="100", unit_cost=30_000_000)
    disburse(cast.ministry_staff, bandung, "Tahap I", 1_000_000_000)
    realise(cast.officer_a, bandung, 1, 500_000_000, "20")
    make_finding(cast.auditor, sentra, loss_value=12_500_000)


def api_rows(user: Any, slug: str, **params: Any) -> list[dict[str, Any]]:
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/reports/{slug}/", params).json()["rows"]  # type: ignore[no-any-return]


def test_allocations_per_year_with_growth(cast: Any, data: None) -> None:
    rows = api_rows(cast.analyst, "allocations")
    assert [(r["group"], r["amount"], r["regency_count"], r["growth"]) for r in rows] == [
        ("2020", 2_000_000_000, 1, None), ("2021", 5_000_000_000, 2, 150.0)]  # fmt: skip
    by_province = api_rows(cast.analyst, "allocations", group_by="province")
    assert [(r["group"], r["amount"]) for r in by_province] == [
        ("32 Jawa Barat", 6_000_000_000),
        ("34 Daerah Istimewa Yogyakarta", 1_000_000_000),
    ]


def test_absorption_puts_the_laggards_first(cast: Any, data: None) -> None:
    rows = api_rows(cast.analyst, "absorption", group_by="regency", year="")  # every year
    assert [(r["group"], r["allocations"], r["amount"], r["received"], r["spent"]) for r in rows] == [
        ("Kabupaten Sleman", 1, 1_000_000_000, 0, 0),
        ("Kota Bandung", 2, 6_000_000_000, 1_000_000_000, 500_000_000),
    ]
    bandung = rows[1]
    assert (bandung["absorption_received"], bandung["absorption_pagu"], bandung["progress"]) == (50.0, 8.33, 10.0)
    assert (bandung["stage2_met"], bandung["stage3_met"]) == (0, 0)  # 50% of received: stage II needs 75%
    by_year = api_rows(cast.analyst, "absorption", group_by="year", year="")
    assert sorted((r["group"], r["amount"]) for r in by_year) == [(2020, 2_000_000_000), (2021, 5_000_000_000)]


def test_absorption_is_readable_by_default(client: Client, cast: Any, data: None) -> None:
    """#14: the latest year with realisation, by province; by kab/kota once a province is chosen; the grouping a
    labelled control; the chart the 10 lowest and 10 highest when there are more."""
    from allocations.reports import AbsorptionReport

    rows = api_rows(cast.analyst, "absorption")
    assert [(r["group"], r["amount"]) for r in rows] == [
        ("Daerah Istimewa Yogyakarta", 1_000_000_000), ("Jawa Barat", 4_000_000_000)]  # fmt: skip
    assert [r["group"] for r in api_rows(cast.analyst, "absorption", province="32")] == ["Kota Bandung"]
    client.force_login(cast.analyst)
    html = client.get("/reports/absorption/").content.decode()
    assert '<label class="form-label small mb-1" for="group-by">' in html and "?group_by=" not in html
    assert 'value="2021"' in html  # the year chosen by default is shown in its field
    many = [{"group": str(n), "absorption_pagu": n} for n in range(30)]
    report = AbsorptionReport(client.get("/reports/absorption/").wsgi_request)
    assert [row["group"] for row in report.chart_rows(many)] == [str(n) for n in [*range(10), *range(20, 30)]]


def test_stage_conditions_in_sql_follow_the_years_rules(cast: Any) -> None:
    from allocations.models import Allocation

    allocation = make_allocation(cast.ministry_staff, amount=4_000_000_000)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a), volume="100", unit_cost=30_000_000)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000)
    realise(cast.officer_a, allocation, 1, 950_000_000, "72")
    row = Allocation.objects.with_totals().with_stage_conditions().get(pk=allocation.pk)
    assert (row.stage2_met, row.stage3_met) == (False, False)  # #13: their documents are not verified yet
    for stage in ("Tahap II", "Tahap III"):
        provide_documents(cast.ministry_staff, allocation, stage_rule(allocation, stage), date(2021, 4, 1))
    row = Allocation.objects.with_totals().with_stage_conditions().get(pk=allocation.pk)
    assert (row.stage2_met, row.stage3_met) == (True, True)  # 95% of received, 72% output


def test_findings_closure_and_losses(cast: Any, data: None) -> None:
    rows = api_rows(cast.auditor, "findings")
    assert [(r["count"], r["closed"], r["closure_rate"], r["loss"]) for r in rows] == [(1, 0, 0.0, 12_500_000)]


def test_every_report_is_scoped(cast: Any, data: None) -> None:
    assert [r["group"] for r in api_rows(cast.officer_b, "allocations", group_by="regency")] == [
        "34.04 Kabupaten Sleman"
    ]
    assert [r["group"] for r in api_rows(cast.officer_b, "absorption", group_by="regency")] == ["Kabupaten Sleman"]
    assert api_rows(cast.officer_b, "findings") == []
    assert sum(r["count"] for r in api_rows(cast.officer_b, "sentra")) == 1


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_every_format_shows_the_same_numbers(client: Client, cast: Any, data: None, slug: str) -> None:
    client.force_login(cast.ministry_staff)
    rows = api_rows(cast.ministry_staff, slug)
    page = client.get(f"/reports/{slug}/")
    assert page.status_code == 200 and len(page.context["rows"]) == len(rows)
    body = b"".join(client.get(f"/reports/{slug}/", {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == len(rows) + 1
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/{slug}/", {"export": "xlsx"}).content)).worksheets[0]
    assert sheet.max_row == len(rows) + 1
    money = [i for i, column in enumerate(page.context["columns"]) if column.kind == "money"]
    if rows and money:
        cell = sheet.cell(row=2, column=money[0] + 1)
        assert isinstance(cell.value, int) and "Rp" in cell.number_format  # a real number with a number format
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/{slug}/", {"export": "pdf"}).content))
    text = pdf.pages[0].extract_text()
    assert str(page.context["report"].title)[:20] in text and "1 / 1" in text
    assert "KEMENTERIAN PERINDUSTRIAN" in text  # #14: the letterhead
    totals = page.context["totals"]
    if totals:  # #14: the totals row, the same on the page and in the PDF
        assert totals[0] == "" and all(value in text for value in totals if value)


def test_the_totals_row_sums_every_row_not_only_the_shown_ones(client: Client, cast: Any, data: None) -> None:
    client.force_login(cast.ministry_staff)
    page = client.get("/reports/allocations/", {"group_by": "year"})
    rows = api_rows(cast.ministry_staff, "allocations", group_by="year")
    columns = page.context["columns"]
    amount = next(i for i, c in enumerate(columns) if c.kind == "money")
    assert page.context["totals"][amount] == rupiah(sum(row["amount"] for row in rows))
    kab_kota = next(i for i, c in enumerate(columns) if c.key == "regency_count")
    assert page.context["totals"][kab_kota] == ""  # distinct kab/kota per year do not add up


def test_the_pdf_draws_the_chart_as_svg() -> None:
    from dakportal.reporting.svg import chart_svg

    svg = chart_svg({"kind": "bar", "labels": [2020, 2021], "datasets": [{"label": "Pagu", "data": [1.5, 2.25]}]})
    assert svg.startswith("<svg") and svg.count("<rect") == 3  # two bars and the legend's swatch
    assert chart_svg(None) == "" and "<polyline" in chart_svg(
        {"kind": "line", "labels": ["TW 1"], "datasets": [{"label": "Realisasi", "data": [10]}]}
    )


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_a_fixed_number_of_queries_whatever_the_data(client: Client, cast: Any, slug: str) -> None:
    client.force_login(cast.ministry_staff)
    counts = []
    for extra in range(2):
        for code in ["32.01", "32.02"] if extra else []:
            make_allocation(cast.ministry_staff, regency=code)
            village = Village.objects.filter(district__regency=code).order_by("code").first()
            sentra = make_sentra(cast.ministry_staff, name=f"Sentra {code}", village=village.code, status="built")
            make_finding(cast.auditor, sentra)
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/reports/{slug}/")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_region_profile_is_scoped_and_complete(client: Client, cast: Any, data: None) -> None:
    client.force_login(cast.officer_a)
    page = client.get("/reports/region/32.73/")
    assert page.status_code == 200
    assert [m["amount"] for m in page.context["money"]] == [2_000_000_000, 4_000_000_000]
    assert page.context["sentra_total"] == 1 and len(page.context["open_findings"]) == 1
    assert client.get("/reports/region/34.04/").status_code == 404
    pdf = PdfReader(io.BytesIO(client.get("/reports/region/32.73/", {"export": "pdf"}).content))
    assert "Kota Bandung" in pdf.pages[0].extract_text()
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    assert api.get("/api/v1/reports/region/32.73/").json()["name"] == "Kota Bandung"
    assert api.get("/api/v1/reports/region/34.04/").status_code == 404


def test_the_dashboard_shows_each_role_what_needs_attention(client: Client, cast: Any, data: None) -> None:
    """#16: real figures, not zeros: a report waiting for review, a follow-up to verify, a finding overdue."""
    from django.utils import translation

    from monev import services

    sentra = cast.officer_a.regencies.get().sentra.get()
    services.submit_report(make_report(cast.officer_a, sentra, deadline=date(2099, 1, 1)), acting_user=cast.officer_a)
    make_report(cast.officer_a, sentra, quarter=3, deadline=date(2021, 10, 31))  # a draft, long overdue
    finding = make_finding(cast.auditor, sentra, due_date=date(2021, 12, 31))  # its follow-up overdue
    recommendation = finding.recommendations.get()  # #13: a follow-up answers one recommendation
    services.submit_follow_up(recommendation, reply="Mesin sudah dioperasikan", acting_user=cast.officer_a)
    counts = {}
    for who in ("auditor", "officer_a", "ministry_staff", "analyst"):
        client.force_login(getattr(cast, who))
        items = client.get("/").context["attention"]
        with translation.override("en"):
            counts[who] = {str(item.label): item.count for item in items}
    assert counts["auditor"] == {
        "Follow-ups waiting for verification": 1, "Findings with follow-up overdue": 1,
        "Visit reports returned to your team": 0, "Visit reports for you to review": 0,
    }  # fmt: skip
    assert counts["officer_a"] == {
        "Monev reports overdue": 1, "Findings with follow-up overdue": 1, "Monev reports returned to you": 0,
        "Monev reports due within 30 days": 0, "Open Itjen findings": 2, "Registry corrections proposed by Itjen": 0,
    }  # fmt: skip
    assert counts["ministry_staff"] == {
        "Monev reports waiting for review": 1, "Monev reports overdue in the regions": 1,
        "Activity plans waiting for approval": 0,
    }  # fmt: skip
    assert counts["analyst"] == {}


def test_the_reports_index_lists_what_the_role_may_open(client: Client, cast: Any) -> None:
    client.force_login(cast.analyst)
    html = client.get("/reports/").content.decode()
    assert all(f"/reports/{slug}/" in html for slug in REGISTRY)


def test_timeliness_and_findings_by_age(cast: Any, data: None) -> None:
    from monev import services
    from monev.models import MonevReport

    sentra = cast.officer_a.regencies.get().sentra.get()
    report = make_report(cast.officer_a, sentra, deadline=date(2099, 1, 1))
    services.submit_report(report, acting_user=cast.officer_a)
    rows = api_rows(cast.ministry_staff, "monev-timeliness")
    assert [(r["expected"], r["reports"], r["submitted"], r["on_time"], r["completeness"]) for r in rows] == [
        (1, 1, 1, 1, 100.0)
    ]
    assert MonevReport.objects.count() == 1
    ages = api_rows(cast.auditor, "findings-age")
    assert [(r["count"], r["loss"]) for r in ages] == [(1, 12_500_000)] and "0-29" in ages[0]["label"]


@pytest.mark.django_db
def test_a_report_page_shows_its_first_rows_and_says_where_the_rest_are(cast: Any, settings: Any) -> None:
    """#11: a page (and a PDF) holds at most REPORT_PAGE_ROWS (PDF_MAX_ROWS) rows; the exports hold every row."""
    from django.test import Client

    from sentra.testing import VILLAGE_B, make_sentra

    make_sentra(cast.officer_a, name="Sentra Bandung")
    make_sentra(cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
    settings.REPORT_PAGE_ROWS = 1
    client = Client()
    client.force_login(cast.ministry_staff)
    response = client.get("/reports/sentra/", {"group_by": "province"})
    assert response.context["total_rows"] == 2 and len(response.context["rows"]) == 1
    assert b'data-testid="rows-capped"' in response.content
    export = client.get("/reports/sentra/", {"group_by": "province", "export": "csv"})
    assert b"".join(export.streaming_content).count(b"\n") == 3  # the header and both rows


def test_the_grouping_is_a_choice_on_the_page_and_named_in_the_exports(client: Client, cast: Any, data: None) -> None:
    """#14: no `?group_by=` as developer text: the page offers the groupings and the PDF names the one used."""
    client.force_login(cast.ministry_staff)
    page = client.get("/reports/allocations/", {"group_by": "province"})
    assert b'data-testid="group-by"' in page.content and b'<option value="province" selected>' in page.content
    assert b"group_by=" not in page.content.split(b"<form")[0]  # not in the description
    assert page.context["built"].filters[-1][1] == "Provinsi"  # "Kelompokkan menurut: Provinsi" in the PDF
    assert client.get("/reports/allocations/", {"group_by": "nonsense"}).context["report"].group == "year"


def test_names_in_reports_and_the_region_profile_are_links(client: Client, cast: Any) -> None:
    """#14: the idle-sentra report and the region profile link each sentra, report and finding to its page."""
    sentra = make_sentra(cast.officer_a, status="built", status_since=date(2020, 1, 1))
    report = make_report(cast.officer_a, sentra)
    finding = make_finding(cast.auditor, sentra)
    client.force_login(cast.ministry_staff)
    page = client.get("/reports/idle-sentra/").content.decode()
    assert f'<a href="{sentra.get_absolute_url()}">{sentra.name}</a>' in page
    profile = client.get(f"/reports/region/{sentra.regency_id}/").content.decode()
    for obj in (sentra, report, finding):
        assert f'href="{obj.get_absolute_url()}"' in profile

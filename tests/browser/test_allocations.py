"""Allocations in a real browser (#4): the ministry imports an annex, fixes a bad row, sees the report change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allocations.models import Allocation
from dakportal.testing.files import pdf_bytes
from tests.browser.conftest import login


def annex(path: Path, second_year: int) -> str:
    path.write_text(
        "year,regency_code,amount,legal_basis\n"
        "2021,32.73,5000000000,Perpres 123/2020\n"
        f"{second_year},34.04,3.500.000.000,Perpres 123/2020\n",
        encoding="utf-8",
    )
    return str(path)


def test_the_ministry_imports_an_annex_fixes_a_bad_row_and_sees_the_report_change(
    page: Any, portal_data: None, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(page, "ditjen")
    page.wait_for_url("**/")
    page.goto("/reports/allocations/")
    assert page.locator("[data-testid=report-table]").count() == 0  # nothing yet

    page.goto("/allocations/import/")
    page.set_input_files("#file", annex(tmp_path / "lampiran.csv", 2012))
    page.get_by_test_id("check-file").click()
    errors = page.get_by_test_id("error-table").inner_text()
    assert "3" in errors and "year" in errors and "2021" in errors  # row 3: 2012, did you mean 2021?
    assert Allocation.objects.count() == 0

    page.set_input_files("#file", annex(tmp_path / "lampiran.csv", 2021))
    page.get_by_test_id("check-file").click()
    page.get_by_test_id("dry-run-ok").wait_for()
    assert Allocation.objects.count() == 0
    page.get_by_test_id("confirm-import").click()
    page.wait_for_url("**/allocations/")
    assert Allocation.objects.count() == 2

    page.goto("/reports/allocations/")
    table = page.get_by_test_id("report-table").inner_text()
    assert "2021" in table and "Rp 8.500.000.000" in table
    page.wait_for_selector("canvas[data-drawn=true]")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path="/tmp/dakportal-report.png", full_page=True)
    assert page.js_errors == []


def executed_bandung_2021() -> Allocation:
    """Kota Bandung 2021 as the rules have it (#13): plan and quarterly targets approved in February, a contract,
    Tahap I and II disbursed with their documents, the first quarter far behind its target."""
    from datetime import datetime

    from django.utils import timezone

    from allocations import services
    from allocations.models import QuarterlyPlan
    from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
    from dakportal.accounts.models import User
    from sentra.testing import make_sentra

    ministry, officer = User.objects.get(username="ditjen"), User.objects.get(username="dinas.3273")
    allocation = make_allocation(ministry, regency="32.73", year=2021, amount=4_000_000_000)
    make_item(officer, allocation, make_sentra(officer), volume="360", unit_cost=10_000_000)
    services.save_quarterly_plan(
        QuarterlyPlan(allocation=allocation, funds_q1=1_000_000_000, funds_q2=2_400_000_000, funds_q3=3_200_000_000,
                      funds_q4=3_600_000_000, physical_q1=20, physical_q2=50, physical_q3=80, physical_q4=100),
        acting_user=officer,
    )  # fmt: skip
    services.submit_plan(allocation, acting_user=officer)
    services.decide_plan(
        allocation, approve=True, acting_user=ministry, at=timezone.make_aware(datetime(2021, 2, 10, 9))
    )
    make_contract(officer, allocation, 3_200_000_000)
    disburse(ministry, allocation, "Tahap I", 1_000_000_000)
    realise(officer, allocation, 1, 200_000_000, "8")  # 5% of the pagu against 25% planned: behind
    return allocation


def test_the_stages_panel_and_the_s_curve_at_desk_and_phone_width(
    page: Any, portal_data: None, tmp_path: Path, settings: Any
) -> None:
    """#13: the region uploads Tahap II's report, the ministry verifies it, the stage's documents count; the
    S-curve flags the lagging quarter; both read at 1366 and at 390 px."""
    settings.MEDIA_ROOT = tmp_path
    allocation = executed_bandung_2021()
    url = allocation.get_absolute_url()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto(url)
    stages = page.get_by_test_id("stages")
    assert stages.locator(".stage").count() == 3
    first = page.get_by_test_id("stage-tahap-1")
    assert "✓" in first.get_by_test_id("stage-status").inner_text(), first.inner_text()
    assert "Rp 2.200.000.000" in page.get_by_test_id("stage-tahap-3").get_by_test_id("stage-amount").inner_text()
    assert "not verified" in page.get_by_test_id("stage-tahap-2").inner_text()
    page.wait_for_selector("canvas[data-chart=scurve][data-drawn=true]")
    assert page.get_by_test_id("behind").count() == 1
    page.screenshot(path="/tmp/dakportal-stages-1366.png", full_page=True)

    page.get_by_test_id("stage-tahap-2").get_by_role("link", name="upload").click()
    (tmp_path / "lrpdco.pdf").write_bytes(pdf_bytes())
    page.set_input_files("#id_upload", str(tmp_path / "lrpdco.pdf"))
    page.fill("#id_submitted_on", "2021-04-05")
    page.get_by_test_id("object-form").locator("button[type=submit]").click()
    page.wait_for_url(f"**{url}#stages")
    assert "Awaiting verification" in page.get_by_test_id("stage-tahap-2").inner_text()

    page.context.clear_cookies()
    login(page, "ditjen")
    page.wait_for_url("**/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto(url)
    page.get_by_test_id("verify-document").click()
    page.fill("#id_decided_on", "2021-04-08")
    page.get_by_test_id("verify").click()
    page.wait_for_url(f"**{url}#stages")
    tahap_2 = page.get_by_test_id("stage-tahap-2").inner_text()
    assert "Verified" in tahap_2 and "not verified" not in tahap_2

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    page.wait_for_selector("canvas[data-chart=scurve][data-drawn=true]")
    assert page.get_by_test_id("stage-tahap-3").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path="/tmp/dakportal-stages-390.png", full_page=True)
    assert page.js_errors == []

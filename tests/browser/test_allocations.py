"""Allocations in a real browser (#4): the ministry imports an annex, fixes a bad row, sees the report change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allocations.models import Allocation
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
    page.goto("/reports/allocations-per-year/")
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

    page.goto("/reports/allocations-per-year/")
    table = page.get_by_test_id("report-table").inner_text()
    assert "2021" in table and "Rp 8,5 miliar" in table
    page.wait_for_selector("canvas[data-drawn=true]")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path="/tmp/dakportal-report.png", full_page=True)
    assert page.js_errors == []

"""Reports in a real browser (#6): each report opens, its chart is drawn with no JavaScript error, and each
download opens (openpyxl for XLSX, pypdf for PDF)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from allocations.testing import make_allocation
from dakportal.accounts.models import User
from dakportal.reporting.base import REGISTRY
from monev.testing import make_finding, make_report
from sentra.testing import make_sentra
from tests.browser.conftest import login


def test_every_report_draws_its_chart_and_downloads(page: Any, portal_data: None, tmp_path: Path) -> None:
    ditjen = User.objects.get(username="ditjen")
    make_allocation(ditjen, regency="32.73", year=2020, amount=2_000_000_000)
    make_allocation(ditjen, regency="32.73", year=2021, amount=3_000_000_000)
    sentra = make_sentra(User.objects.get(username="dinas.3273"), status="built")
    report = make_report(User.objects.get(username="dinas.3273"), sentra)
    from monev import services

    services.submit_report(report, acting_user=User.objects.get(username="dinas.3273"))
    make_finding(User.objects.get(username="itjen"), sentra)

    login(page, "ditjen")
    page.wait_for_url("**/")
    page.goto("/reports/")
    for slug, report_class in sorted(REGISTRY.items()):
        page.goto(f"/reports/{slug}/")
        assert str(report_class.title)[:10] in page.locator("h1").inner_text() or page.locator("h1").count() == 1
        if report_class.chart is not None and page.locator("[data-testid=report-table]").count():
            page.wait_for_selector("canvas[data-drawn=true]")
        for kind in ("csv", "xlsx", "pdf"):
            with page.expect_download() as download:
                page.get_by_test_id(f"export-{kind}").click()
            path = tmp_path / f"{slug}.{kind}"
            download.value.save_as(path)
            if kind == "xlsx":
                assert load_workbook(path).worksheets[0].max_row >= 1
            elif kind == "pdf":
                assert PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
            else:
                assert path.read_text(encoding="utf-8-sig").splitlines()[0]
    page.goto("/reports/region/32.73/")
    assert "Kota Bandung" in page.locator("h1").inner_text()
    page.screenshot(path="/tmp/dakportal-region.png", full_page=True)
    assert page.js_errors == []

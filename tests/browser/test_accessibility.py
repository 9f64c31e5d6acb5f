"""Accessibility (#14): axe-core (bundled by axe-playwright-python, no download) finds no serious or critical
WCAG 2 A/AA violation on the pages people use most, as ministry staff and as a regional officer, at desktop and
phone width."""

from __future__ import annotations

from typing import Any

import pytest

from allocations.testing import make_allocation
from dakportal.accounts.models import User
from monev.testing import make_finding, make_report
from sentra.testing import make_sentra
from tests.browser.conftest import login

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    return [
        f"{page.url}: {item['id']} ({item['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
        for item in results.response["violations"]
        if item["impact"] in BLOCKING
        for node in item["nodes"][:3]
    ]


@pytest.fixture
def pages(portal_data: None) -> dict[str, str]:
    ditjen, officer = User.objects.get(username="ditjen"), User.objects.get(username="dinas.3273")
    allocation = make_allocation(ditjen, regency="32.73", year=2021, amount=2_000_000_000)
    sentra = make_sentra(officer, status="built")
    report = make_report(officer, sentra)
    finding = make_finding(User.objects.get(username="itjen"), sentra)
    return {
        "dashboard": "/",
        "sentra list": "/sentra/",
        "sentra detail": sentra.get_absolute_url(),
        "sentra map": "/sentra/map/",
        "allocation list": "/allocations/",
        "allocation detail": allocation.get_absolute_url(),
        "monev inbox": "/monev/",
        "monev reports": "/monev/reports/",
        "monev report": report.get_absolute_url(),
        "findings": "/monev/findings/",
        "finding": finding.get_absolute_url(),
        "reports": "/reports/",
        "regions": "/regions/",
        "search": "/search/?q=sentra",
        "monev summary": "/monev/dashboard/",
        "absorption report": "/reports/absorption/",
    }


@pytest.mark.parametrize("width", [1366, 390])
def test_the_main_pages_have_no_serious_accessibility_violation(page: Any, pages: dict[str, str], width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    found = violations(page)
    login(page, "ditjen")
    page.wait_for_url("**/")
    for url in pages.values():
        page.goto(url)
        found += violations(page)
    assert found == [], "\n".join(found)


def test_a_regional_officers_pages_have_no_serious_accessibility_violation(page: Any, pages: dict[str, str]) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    found: list[str] = []
    for name in ("dashboard", "sentra detail", "monev inbox", "monev report", "allocation detail"):
        page.goto(pages[name])
        found += violations(page)
    assert found == [], "\n".join(found)

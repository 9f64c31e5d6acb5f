"""Phones (#14): regional officers do their monev in the field. At 390 px no page scrolls sideways as a whole (a
wide table scrolls inside its own box), and an amount never breaks between "Rp" and its number."""

from __future__ import annotations

from typing import Any

import pytest

from allocations.testing import make_allocation, make_contract, make_item
from dakportal.accounts.models import User
from dakportal.reporting.base import REGISTRY
from monev.testing import make_finding, make_report
from sentra.testing import make_sentra
from tests.browser.conftest import login

PHONE = {"width": 390, "height": 844}

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const skipped = ".table-responsive, .map-box, .leaflet-container, .modal, .dropdown-menu, .visually-hidden";
    if (el.closest(skipped)) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  }).slice(0, 3).map((el) => el.tagName + "." + el.className + " " + (el.textContent || "").trim().slice(0, 40));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""

BROKEN_RUPIAH = """() => [...document.querySelectorAll("td, .value, dd, span")].filter((el) => {
  const text = el.innerText.trim();
  // a short amount may wrap before its unit (Rp 2,5 / miliar), never between "Rp" and the number
  if (!/^-?Rp [0-9.,]+$/.test(text) || !el.getClientRects().length) return false;
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size > 1;
}).map((el) => el.innerText.trim()).slice(0, 3)"""


@pytest.fixture
def urls(portal_data: None) -> dict[str, str]:
    ditjen, officer = User.objects.get(username="ditjen"), User.objects.get(username="dinas.3273")
    sentra = make_sentra(officer, status="built", name="Sentra Rajut Binong dengan nama yang cukup panjang sekali")
    allocation = make_allocation(ditjen, regency="32.73", year=2021, amount=2_450_000_000)
    make_item(ditjen, allocation, sentra, volume="200", unit_cost=10_000_000)
    make_contract(ditjen, allocation, 1_900_000_000)
    report = make_report(officer, sentra)
    finding = make_finding(User.objects.get(username="itjen"), sentra)
    urls = {
        "dashboard": "/",
        "sentra list": "/sentra/",
        "sentra detail": sentra.get_absolute_url(),
        "sentra history": sentra.get_absolute_url() + "history/",
        "allocation list": "/allocations/",
        "allocation detail": allocation.get_absolute_url(),
        "monev inbox": "/monev/",
        "monev reports": "/monev/reports/",
        "monev report": report.get_absolute_url(),
        "monev dashboard": "/monev/dashboard/",
        "review queue": "/monev/review/",
        "findings": "/monev/findings/",
        "finding": finding.get_absolute_url(),
        "notifications": "/monev/notifications/",
        "reports": "/reports/",
        "region profile": "/reports/region/32.73/",
        "regions": "/regions/",
        "jobs": "/jobs/",
        "search": "/search/?q=sentra",
    }
    urls.update({f"report {slug}": f"/reports/{slug}/" for slug in REGISTRY})
    return urls


def overflowing(page: Any, urls: dict[str, str]) -> list[str]:
    problems = []
    for name, url in urls.items():
        response = page.goto(url)
        if response.status != 200:
            continue  # a page this user may not open
        found = page.evaluate(OVERFLOW)
        if found["scroll"] > found["width"] + 1:
            problems.append(f"{name} ({url}) is {found['scroll']} px wide: {found['wide']}")
        broken = page.evaluate(BROKEN_RUPIAH)
        if broken:
            problems.append(f"{name} ({url}) breaks amounts over lines: {broken}")
    return problems


@pytest.mark.parametrize("username", ["ditjen", "dinas.3273"])
def test_no_page_scrolls_sideways_on_a_phone(page: Any, urls: dict[str, str], username: str) -> None:
    page.set_viewport_size(PHONE)
    login(page, username)
    page.wait_for_url("**/")
    problems = overflowing(page, urls)
    assert problems == [], "\n".join(problems)
    # A page this user may not open answers 403, which the console reports as a failed load: not a script error.
    assert [e for e in page.js_errors if not e.startswith("Failed to load resource")] == []

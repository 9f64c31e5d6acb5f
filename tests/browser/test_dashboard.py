"""The dashboards in the browser (#14): the ministry's trend chart and a number that leads to a list of as many
rows; a regional officer's dashboard on a phone without sideways scrolling; the region filter typed into and
chosen."""

from __future__ import annotations

from typing import Any

import pytest

from allocations.testing import disburse, make_allocation, realise
from dakportal.accounts.models import User
from monev.testing import make_report
from sentra.testing import VILLAGE_B, make_sentra
from tests.browser.conftest import login
from tests.browser.test_phone import OVERFLOW, PHONE


@pytest.fixture
def data(portal_data: None) -> None:
    ditjen, officer = User.objects.get(username="ditjen"), User.objects.get(username="dinas.3273")
    make_allocation(ditjen, regency="32.73", year=2020, amount=2_000_000_000)
    bandung = make_allocation(ditjen, regency="32.73", year=2021, amount=4_000_000_000)
    make_allocation(ditjen, regency="34.04", year=2021, amount=1_000_000_000)
    disburse(ditjen, bandung, "Tahap I", 1_000_000_000)
    realise(officer, bandung, 1, 500_000_000, "20")
    sentra = make_sentra(officer, name="Sentra Rajut Binong", status="operating")
    make_sentra(User.objects.get(username="dinas.3404"), name="Sentra Kulit Sleman", village=VILLAGE_B)
    make_report(officer, sentra, quarter=1)


def test_the_ministry_sees_the_trend_and_a_number_leads_to_its_list(page: Any, data: None) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "ditjen")
    page.wait_for_url("**/")
    chart = page.locator('[data-testid="panel-allocation-trend"] svg')
    chart.wait_for()
    assert chart.locator("rect").count() >= 3  # the two years and the legend
    link = page.locator('[data-testid="trend-count"]').last  # 2021: two kab/kota
    count = link.get_attribute("data-count")
    assert count == "2"
    link.click()
    page.wait_for_url("**/allocations/?year=2021")
    assert page.locator('[data-testid="result-count"]').inner_text().startswith(count)
    assert page.locator("table tbody tr").count() == 2
    assert page.js_errors == []


def test_a_regional_officers_dashboard_fits_a_phone(page: Any, data: None) -> None:
    page.set_viewport_size(PHONE)
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.locator('[data-testid="panel-my-allocations"]').wait_for()
    assert page.locator('[data-testid="stage"]').count() >= 2
    assert page.locator('[data-testid="panel-due-next"] [data-testid="deadline"]').count() >= 1
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"] + 1, found
    assert "Sleman" not in page.content()
    assert page.js_errors == []


def test_the_region_filter_is_typed_into_and_chosen(page: Any, data: None) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "ditjen")
    page.wait_for_url("**/")
    page.goto("/sentra/")
    search = page.locator("#id_regency-search")
    search.fill("bandung")
    visible = page.locator("#id_regency option:not([hidden])")
    names = visible.all_inner_texts()
    assert "Kota Bandung" in names and "Kabupaten Sleman" not in names and len(names) <= 6
    search.press("Enter")  # the first match is chosen and the focus moves to the list
    assert page.evaluate("document.activeElement.id") == "id_regency"
    search.fill("kota bandung")  # a single match is chosen at once
    assert page.locator("#id_regency").input_value() == "32.73"
    page.locator('[data-testid="filter-form"] button[type=submit]').click()
    page.wait_for_url("**regency=32.73**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "Sentra Rajut Binong" in rows.first.inner_text()
    assert page.js_errors == []

"""#17 in a real browser: itjen opens "Prioritas monev", sees the kab/kota ranked with their reasons and the map,
ticks the top three and creates a surat tugas from them; dinas.3273 sees their own warnings first on the
dashboard, and nothing of another region. On a desktop (1366 px) and a phone (390 px)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from allocations.testing import make_allocation
from dakportal.accounts.models import User
from monev.models import Assignment
from sentra.testing import VILLAGE_B, make_sentra
from tests.browser.test_accessibility import violations
from tests.browser.test_itjen import fits, session


def places() -> None:
    """Warnings in three kab/kota: Sleman (an idle sentra), Bandung (a sentra with 3 members), Kota Bogor (nothing
    executed of its 2021 allocation)."""
    ministry = User.objects.get(username="ditjen")
    for code in ("32.73", "34.04", "32.71"):
        make_allocation(ministry, regency=code)
    make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Rajut Binong", unit_count=3,
                latitude=Decimal("-6.93"), longitude=Decimal("107.63"))  # fmt: skip
    make_sentra(User.objects.get(username="dinas.3404"), name="Sentra Gerabah Kasongan", village=VILLAGE_B,
                status="built", status_since=date(2019, 5, 1), latitude=Decimal("-7.84"),
                longitude=Decimal("110.34"))  # fmt: skip


@pytest.mark.parametrize("width", [1366, 390])
def test_itjen_plans_a_monev_from_the_ranking(browser: Any, live_server: Any, portal_data: None, width: int) -> None:
    places()
    lead = session(browser, live_server, "itjen.ketua", width)
    lead.goto("/monev/risk/?year=2021")
    rows = lead.get_by_test_id("risk-row")
    assert rows.count() == 3
    assert "Kabupaten Sleman" in rows.first.inner_text()
    assert "Sentra Gerabah Kasongan" in lead.get_by_test_id("risk-table").inner_text()
    lead.wait_for_selector("#risk-map[data-points='2']", state="attached")  # Bogor has no located sentra
    assert fits(lead, width)
    found = violations(lead)
    for index in range(3):
        rows.nth(index).get_by_test_id("pick").check()
    lead.get_by_test_id("assign-selected").click()
    lead.wait_for_url("**/monev/assignments/add/**")
    chosen = lead.eval_on_selector_all("#id_regencies option:checked", "options => options.map(o => o.value)")
    assert sorted(chosen) == ["32.71", "32.73", "34.04"]
    assert lead.locator("#id_fiscal_years").get_by_label("2021").is_checked()
    lead.fill("#id_number", f"ST-{width}/IJ/2022")
    lead.select_option("#id_lead", label="Rina Wulandari (itjen.ketua)")
    lead.locator("#id_technical_controllers").get_by_label("Hendra Gunawan (itjen.dalnis)").check()
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=places]")
    assignment = Assignment.objects.get(number=f"ST-{width}/IJ/2022")
    assert sorted(assignment.regencies.values_list("code", flat=True)) == ["32.71", "32.73", "34.04"]
    assert assignment.sentra.count() == 2 and assignment.fiscal_years == [2021]
    assert "Prioritas monev" in assignment.notes
    assert found == [] and lead.js_errors == []


def test_a_regional_officer_sees_their_warnings_first(browser: Any, live_server: Any, portal_data: None) -> None:
    places()
    officer = session(browser, live_server, "dinas.3273", 390)
    warnings = officer.get_by_test_id("risk-warning-region")
    assert "Kota Bandung" in warnings.inner_text()
    assert "Sentra Rajut Binong" in warnings.inner_text()
    body = officer.locator("main").inner_text()
    assert "Sleman" not in body and "Kasongan" not in body
    assert fits(officer, 390)
    officer.goto("/monev/risk/?level=sentra")
    assert officer.get_by_test_id("risk-row").count() == 1
    assert officer.get_by_test_id("assign-selected").count() == 0
    assert officer.js_errors == []

"""#17.4 in a real browser: the regional officer types an outlier unit cost in the activity plan form, sees the
national median, the usual range and the warning beside the field, and must give a justification; at desk and phone
width."""

from __future__ import annotations

from typing import Any

from allocations.models import ActivityItem, Allocation
from tests.browser.conftest import login

JUTA = 1_000_000


def plans() -> Allocation:
    """Kota Bandung's plan of TA 2021, empty, and six lines of Bangunan produksi per m² in Kab. Sleman (3,5 to 5
    juta per m²: the national median is 4 juta)."""
    from allocations.testing import make_allocation, make_item
    from dakportal.accounts.models import User
    from sentra.testing import VILLAGE_B, make_sentra

    ministry = User.objects.get(username="ditjen")
    bandung = make_allocation(ministry, regency="32.73", year=2021, amount=50_000 * JUTA)
    make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Rajut Binong")
    sleman = make_allocation(ministry, regency="34.04", year=2021, amount=50_000 * JUTA)
    sentra = make_sentra(User.objects.get(username="dinas.3404"), village=VILLAGE_B)
    for cost in (4 * JUTA, 4 * JUTA, 4_500_000, 5 * JUTA, 3_500_000, 4 * JUTA):
        make_item(ministry, sleman, sentra, volume="10", unit_cost=cost)
    return bandung


def test_an_outlier_unit_cost_is_flagged_as_typed_and_needs_a_justification(page: Any, portal_data: None) -> None:
    bandung = plans()
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/allocations/{bandung.pk}/items/add/")
        justification = page.locator("#id_unit_cost_justification")
        assert not justification.is_visible()  # asked for only when the cost is out of range
        page.select_option("#id_menu", label="Revitalisasi Sentra IKM")
        page.select_option("#id_detail", label="Bangunan produksi")
        page.select_option("#id_sentra", label="Sentra Rajut Binong")
        page.fill("#id_volume", "20")
        page.select_option("#id_unit", label="m²")
        page.locator("#id_unit_cost").press_sequentially("5000000")
        check = page.get_by_test_id("unit-cost-check")
        check.get_by_text("Rp 4.000.000").wait_for()
        assert "usual range Rp 2.000.000–Rp 6.000.000" in check.inner_text()
        assert not page.get_by_test_id("unit-cost-warning").is_visible() and not justification.is_visible()

        page.fill("#id_unit_cost", "")
        page.locator("#id_unit_cost").press_sequentially("9000000")
        warning = page.get_by_test_id("unit-cost-warning")
        warning.wait_for()
        assert "more than 1.5 times the national median of Rp 4.000.000" in warning.inner_text()
        assert justification.is_visible() and justification.get_attribute("aria-required") == "true"
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
        page.screenshot(path=f"/tmp/dakportal-unit-cost-{width}.png", full_page=True)

        page.get_by_test_id("save").click()  # without a justification: the server refuses it, saying why
        page.wait_for_load_state()
        assert "Say why in the justification of the unit cost" in page.get_by_test_id("object-form").inner_text()
        assert justification.is_visible()
        assert not ActivityItem.objects.filter(allocation=bandung).exists()

        justification.fill("Lahan rawa: pondasi tiang pancang")
        page.get_by_test_id("save").click()
        page.wait_for_url(f"**/allocations/{bandung.pk}/#plan")
        item = ActivityItem.objects.get(allocation=bandung)
        assert (item.unit_cost, item.unit_cost_justification) == (9 * JUTA, "Lahan rawa: pondasi tiang pancang")
        item.delete()
    assert page.js_errors == []

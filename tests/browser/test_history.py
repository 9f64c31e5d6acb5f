"""#9 in a real browser: ministry staff change a sentra's investment value and see it, with their name, on the
sentra's history tab; a second save from a stale form is refused with who changed it, the input kept."""

from __future__ import annotations

from typing import Any

from dakportal.accounts.models import User
from sentra.testing import make_sentra
from tests.browser.conftest import login


def test_a_change_shows_on_the_history_tab_and_a_stale_form_is_refused(
    page: Any, browser: Any, live_server: Any, portal_data: None
) -> None:
    sentra = make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Batik Uji", investment_value=10**8)
    other = browser.new_context(base_url=live_server.url).new_page()
    other_errors: list[str] = []
    other.on("pageerror", lambda error: other_errors.append(str(error)))
    login(page, "ditjen")
    login(other, "ditjen")
    page.goto(f"/sentra/{sentra.pk}/edit/")
    other.goto(f"/sentra/{sentra.pk}/edit/")  # a second tab, opened at the same version

    page.fill("#id_investment_value", "250000000")
    page.get_by_test_id("save").click()
    page.get_by_test_id("history-tab").click()
    event = page.get_by_test_id("history-event").first
    text = event.inner_text()
    assert "ditjen" in text and "Rp 100.000.000" in text and "Rp 250.000.000" in text
    assert "Nilai investasi" in text
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the history reads without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/dakportal-history-phone.png", full_page=True)

    other.fill("#id_products", "Batik tulis")
    other.get_by_test_id("save").click()
    conflict = other.get_by_test_id("conflict")
    assert "ditjen" in conflict.inner_text() and "Rp 250.000.000" in conflict.inner_text()
    assert other.locator("#id_products").input_value() == "Batik tulis"  # the input is kept
    sentra.refresh_from_db()
    assert sentra.products != "Batik tulis" and sentra.investment_value == 250_000_000
    other.get_by_test_id("save").click()  # saved again, deliberately: now it applies
    other.wait_for_selector("[data-testid=history-tab]")
    sentra.refresh_from_db()
    assert sentra.products == "Batik tulis" and sentra.investment_value == 250_000_000
    assert page.js_errors == [] and other_errors == []

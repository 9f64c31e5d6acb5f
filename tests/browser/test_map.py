"""The sentra map in a real browser (#14): a regional officer sees the points of their own kab/kota only, drawn
with no JavaScript error, the sentra without coordinates counted, and the page fits a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from dakportal.accounts.models import User
from sentra.testing import VILLAGE_B, make_sentra
from tests.browser.conftest import login


def test_the_map_shows_the_officers_own_sentra(page: Any, portal_data: None, settings: Any) -> None:
    settings.MAP_TILES = ""  # no tile server in the tests: the points show on a plain background
    bandung, sleman = User.objects.get(username="dinas.3273"), User.objects.get(username="dinas.3404")
    make_sentra(bandung, name="Sentra Sepatu", latitude="-6.95", longitude="107.58", status="operating")
    make_sentra(bandung, name="Sentra Rajut", latitude="-6.90", longitude="107.62", status="built")
    make_sentra(bandung, name="Sentra Tanpa Titik")
    make_sentra(sleman, name="Sentra Sleman", village=VILLAGE_B, latitude="-7.7", longitude="110.35")

    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/sentra/map/")
    page.wait_for_selector("[data-testid=map][data-points]")
    assert page.get_by_test_id("map").get_attribute("data-points") == "2"
    names = page.evaluate(
        "() => { const names = []; document.getElementById('sentra-map').leafletMap.eachLayer("
        "l => l.feature && names.push(l.feature.properties.name)); return names.sort(); }"
    )
    assert names == ["Sentra Rajut", "Sentra Sepatu"]  # none of Sleman's
    assert page.get_by_test_id("map-missing").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.evaluate("document.getElementById('sentra-map').leafletMap.eachLayer(l => l.feature && l.openPopup())")
    assert page.locator(".leaflet-popup-content a").first.get_attribute("href").startswith("/sentra/")
    assert page.js_errors == []


def test_the_officer_picks_the_sentras_location_on_a_phone(
    browser: Any, live_server: Any, portal_data: None, settings: Any
) -> None:
    """#14: tap the map, or take the phone's position at the sentra; the coordinates follow and are saved."""
    settings.MAP_TILES = ""
    sentra = make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Tanpa Titik")
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844},
        geolocation={"latitude": -6.9147, "longitude": 107.6098}, permissions=["geolocation"],
    )  # fmt: skip
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.goto(f"/sentra/{sentra.pk}/edit/")
    picker = page.get_by_test_id("point-picker")
    picker.scroll_into_view_if_needed()
    picker.click()  # the middle of the map of Indonesia
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    page.get_by_test_id("use-my-position").click()
    # expect() polls from Playwright's own world; a string predicate would be eval'd under the page's CSP.
    expect(page.locator("#id_latitude")).to_have_value("-6.914700")
    assert page.input_value("#id_longitude") == "107.609800"
    page.get_by_test_id("save").click()
    page.wait_for_url(f"**/sentra/{sentra.pk}/")
    sentra.refresh_from_db()
    assert (str(sentra.latitude), str(sentra.longitude)) == ("-6.914700", "107.609800")
    assert errors == []
    context.close()

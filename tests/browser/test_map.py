"""The sentra map in a real browser (#14): a regional officer sees the points of their own kab/kota only, drawn
with no JavaScript error, the sentra without coordinates counted, and the page fits a phone."""

from __future__ import annotations

from typing import Any

from dakportal.accounts.models import User
from dakportal.testing.sentra import VILLAGE_B, make_sentra
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

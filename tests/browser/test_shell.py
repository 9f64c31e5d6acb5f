"""The web shell in a real browser (#2)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import login


def test_a_regional_officer_logs_in_and_sees_the_indonesian_dashboard(page: Any, portal_data: None) -> None:
    # The browser asks for English (locale en-US): the portal still opens in Indonesian until the user chooses.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Masuk" in page.locator("h1").inner_text()
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Selamat datang, Petugas Dinas Kota Bandung"
    assert "Kota Bandung" in page.get_by_test_id("scope-card").inner_text()
    assert page.get_by_test_id("role").inner_text() == "Petugas Daerah (Dinas kab/kota)"
    page.screenshot(path="/tmp/dakportal-dashboard.png", full_page=True)
    assert page.js_errors == []


def test_the_user_switches_to_english_and_back(page: Any, portal_data: None) -> None:
    login(page, "ditjen")
    page.wait_for_url("**/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome, Staf Ditjen IKMA"
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"


def test_a_wrong_password_shows_a_clear_message(page: Any, portal_data: None) -> None:
    login(page, "dinas.3273", "wrong-password")
    assert "Nama pengguna atau kata sandi salah" in page.locator(".alert-danger").inner_text()


def test_the_regions_page_filters_and_the_user_logs_out(page: Any, portal_data: None) -> None:
    login(page, "analis")
    page.wait_for_url("**/")
    page.goto("/regions/?province=34")
    assert "Kabupaten Sleman" in page.locator("table").inner_text()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/accounts/login/")
    assert page.js_errors == []


def test_the_api_documentation_renders_from_local_assets(page: Any, portal_data: None) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    login(page, "analis")
    page.wait_for_url("**/")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "DAK Portal API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path").count() > 0
    assert all(url.startswith(page.url.split("/api/")[0]) or url.startswith("data:") for url in requests)
    assert page.js_errors == []


def test_the_search_box_finds_a_sentra_from_any_page(page: Any, portal_data: None) -> None:
    from dakportal.accounts.models import User
    from sentra.testing import make_sentra

    make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Rajut Binong")
    page.set_viewport_size({"width": 390, "height": 844})  # #14: on a phone, behind the menu button
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.locator(".navbar-toggler").click()
    page.get_by_test_id("nav-search").fill("rajut")
    page.get_by_test_id("nav-search").press("Enter")
    page.wait_for_url("**/search/?q=rajut")
    page.get_by_role("link", name="Sentra Rajut Binong").click()
    assert page.locator("h1").inner_text().startswith("Sentra Rajut Binong")
    assert page.js_errors == []

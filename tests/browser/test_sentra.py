"""The sentra registry in a real browser (#3)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from sentra.models import Sentra
from tests.browser.conftest import login


def test_an_officer_registers_a_sentra_adds_a_member_and_a_photo(
    page: Any, browser: Any, live_server: Any, portal_data: None, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.goto("/sentra/")
    page.get_by_test_id("add-sentra").click()

    page.fill("#id_name", "Sentra Kopi Sukasari")
    assert page.locator("#id_regency").input_value() == "32.73"  # the officer's only kab/kota is preselected
    page.select_option("#id_village", "32.73.01.1001")
    page.select_option("#id_commodity_group", "pangan")
    page.fill("#id_kbli", "10761")
    page.fill("#id_unit_count", "7")
    page.fill("#id_latitude", "-6.8744")
    page.fill("#id_longitude", "107.5832")
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=completeness]")
    assert page.locator("h1").inner_text() == "Sentra Kopi Sukasari"

    page.get_by_test_id("add-unit").click()
    page.fill("#id_nib", "9120000000123")
    page.fill("#id_business_name", "Kopi Bu Siti")
    page.fill("#id_owner_name", "Siti Rahayu")
    page.fill("#id_owner_nik", "3273014105900001")
    page.fill("#id_workers_female", "3")
    page.get_by_test_id("save").click()
    page.wait_for_selector("#units")
    assert "Kopi Bu Siti" in page.locator("#units").inner_text()

    photo = tmp_path / "depan.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "brown").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page.select_option("#id_kind", "photo")
    page.fill("#id_title", "Tampak depan")
    page.set_input_files("#id_file", str(photo))
    page.get_by_test_id("upload-form").locator("button").click()
    page.wait_for_selector("[data-testid=document] img")
    page.screenshot(path="/tmp/dakportal-sentra-detail.png", full_page=True)
    assert page.js_errors == []

    sentra = Sentra.objects.get(name="Sentra Kopi Sukasari")
    other = browser.new_context(base_url=live_server.url).new_page()
    login(other, "dinas.3404")
    other.wait_for_url("**/")
    response = other.goto(f"/sentra/{sentra.pk}/")
    assert response.status == 404
    photo_url = sentra.documents.get().get_absolute_url()
    assert other.goto(photo_url).status == 404
    other.goto("/sentra/")
    assert "Sentra Kopi Sukasari" not in other.content()


def test_the_list_filters_and_exports(page: Any, portal_data: None) -> None:
    login(page, "analis")
    page.wait_for_url("**/")
    page.goto("/sentra/")
    assert "Tidak ada" in page.locator("main").inner_text() or page.locator("table").count() == 1
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.js_errors == []

"""A large export in a real browser (#11, #15): the list's CSV button leads to the job's page, which offers the
file when it is ready; the Downloads page (user menu) lists it; both read well at phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dakportal.accounts.models import User
from sentra.testing import make_sentra, make_unit
from tests.browser.conftest import login


def test_a_large_export_becomes_a_download_on_its_own_page(
    page: Any, portal_data: None, settings: Any, tmp_path: Path
) -> None:
    settings.EXPORT_INLINE_MAX_ROWS = 2  # the tests' task backend runs the job at once
    officer = User.objects.get(username="dinas.3273")
    sentra = make_sentra(officer)
    for n in range(3):
        make_unit(officer, sentra, nib=f"912000000010{n}", business_name=f"Usaha {n}")

    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.goto("/sentra/units/")
    page.get_by_test_id("export-csv").click()
    page.wait_for_url("**/jobs/*/")
    assert page.get_by_test_id("job").get_attribute("data-status") == "done"
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    path = tmp_path / "units.csv"
    download.value.save_as(path)
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 4  # the header and the three units

    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".navbar-toggler").click()  # on a phone the menu folds away
    page.get_by_test_id("user-menu").click()
    page.locator("a.dropdown-item[href='/jobs/']").click()
    page.wait_for_url("**/jobs/")
    assert page.get_by_test_id("job-list").locator("a").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    assert page.js_errors == []

"""The monev cycle in a real browser (#5): the officer submits with a photo, the ministry returns it, the officer
sees why, fixes and resubmits, the ministry accepts; Itjen records a finding, the officer follows up its
recommendation, Itjen verifies it as sesuai and the finding closes (#13). The other region's officer gets 404 on
all of it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from dakportal.accounts.models import User
from monev.models import Finding, MonevReport
from sentra.testing import make_sentra
from tests.browser.conftest import login


def session(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    login(page, username)
    page.wait_for_url("**/")
    return page


def test_the_monev_cycle(browser: Any, live_server: Any, portal_data: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Rajut Binong")
    officer = session(browser, live_server, "dinas.3273")
    officer.goto("/monev/")
    officer.get_by_test_id("new-report").click()
    officer.select_option("#id_sentra", str(sentra.pk))
    officer.fill("#id_year", "2021")
    officer.fill("#id_quarter", "2")
    # #14: scores as choices with their meaning, the photo taken in the field attached in the same save
    officer.check("input[name=operating_score][value=sesuai]")
    officer.check("input[name=compliance_score][value=sebagian]")
    officer.check("input[name=sustainability_score][value=sesuai]")
    officer.fill("#id_operating_note", "Produksi rajut berjalan")
    photo = tmp_path / "produksi.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    assert officer.get_attribute("#id_camera", "capture") == "environment"
    officer.set_input_files("#id_photos", str(photo))
    officer.get_by_test_id("save").click()
    officer.wait_for_selector("[data-testid=report-status]")
    report = MonevReport.objects.get(sentra=sentra)
    officer.wait_for_selector("[data-testid=evidence] img")
    assert officer.get_by_test_id("submit-report").get_attribute("data-confirm") is None
    officer.get_by_test_id("submit-report").click()
    officer.wait_for_selector("[data-testid=report-status]")
    assert MonevReport.objects.get(pk=report.pk).status == "submitted"

    ministry = session(browser, live_server, "ditjen")
    ministry.goto(report.get_absolute_url())
    ministry.fill("#id_reason", "Lengkapi jumlah tenaga kerja")
    ministry.get_by_test_id("return").click()
    ministry.wait_for_selector("[data-testid=report-status]")

    officer.goto("/monev/")
    assert "Lengkapi jumlah tenaga kerja" in officer.get_by_test_id("returned").inner_text()
    officer.goto(report.get_absolute_url())
    assert "Lengkapi jumlah tenaga kerja" in officer.get_by_test_id("return-reason").inner_text()
    officer.get_by_test_id("edit-report").click()
    officer.fill("#id_workers", "35")
    officer.get_by_test_id("save").click()
    officer.get_by_test_id("submit-report").click()
    officer.wait_for_selector("[data-testid=report-status]")
    assert MonevReport.objects.get(pk=report.pk).status == "resubmitted"

    ministry.goto("/monev/review/")
    ministry.get_by_label(str(MonevReport.objects.get(pk=report.pk))).check()
    ministry.get_by_test_id("accept-selected").click()
    ministry.wait_for_url("**/monev/review/")
    assert MonevReport.objects.get(pk=report.pk).status == "accepted"

    itjen = session(browser, live_server, "itjen")
    itjen.goto("/monev/findings/add/")
    itjen.select_option("#id_regency", "32.73")
    itjen.select_option("#id_sentra", str(sentra.pk))
    itjen.fill("#id_title", "Mesin rajut belum dimanfaatkan")
    itjen.select_option("#id_category", "asset_unused")
    itjen.fill("#id_condition", "Dua mesin masih terbungkus")
    itjen.fill("#id_recommendation", "Operasikan kedua mesin")
    itjen.fill("#id_responsible_official", "Kepala Dinas")
    itjen.fill("#id_recommendation_due", "2026-12-31")
    itjen.get_by_test_id("save").click()
    itjen.wait_for_selector("[data-testid=timeline]")
    finding = Finding.objects.get()

    officer.goto(finding.get_absolute_url())
    recommendation = finding.recommendations.get()  # #13: followed up per recommendation
    officer.fill(f"#id_rec{recommendation.pk}-reply", "Kedua mesin sudah beroperasi sejak Oktober")
    officer.get_by_test_id("follow-up-form").locator("button").click()
    officer.wait_for_selector("[data-testid=follow-up]")

    itjen.goto(finding.get_absolute_url())
    follow_up = recommendation.follow_ups.get()
    itjen.select_option(f"#id_fu{follow_up.pk}-verification", "sesuai")
    itjen.get_by_test_id("verify-form").locator("button").click()  # the finding closes by itself
    itjen.wait_for_selector("[data-testid=finding-status]")
    finding.refresh_from_db()
    assert (finding.status, finding.follow_up_class) == ("closed", "sesuai")
    itjen.screenshot(path="/tmp/dakportal-finding.png", full_page=True)

    other = session(browser, live_server, "dinas.3404")
    for url in (report.get_absolute_url(), finding.get_absolute_url(), report.evidence.get().get_absolute_url()):
        assert other.goto(url).status == 404
    for page in (officer, ministry, itjen, other):
        assert page.js_errors == []


def test_a_report_typed_in_the_field_survives_a_lost_connection(page: Any, portal_data: None) -> None:
    """#14: the input is kept on the device; sending offline is stopped with a message, not an error page."""
    sentra = make_sentra(User.objects.get(username="dinas.3273"), name="Sentra Rajut Binong")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "dinas.3273")
    page.wait_for_url("**/")
    page.goto("/monev/reports/add/")
    page.select_option("#id_sentra", str(sentra.pk))
    page.check("input[name=operating_score][value=sebagian]")
    page.fill("#id_operating_note", "Dua mesin rajut belum dipakai")
    page.context.set_offline(True)
    page.get_by_test_id("save").click()
    banner = page.get_by_test_id("draft-banner")
    assert "offline" in banner.inner_text().lower() or "luring" in banner.inner_text().lower()
    assert not MonevReport.objects.exists()
    page.context.set_offline(False)

    page.goto("/monev/reports/add/")  # the tab was closed; the officer comes back later
    assert page.input_value("#id_operating_note") == ""
    banner.locator("[data-draft-restore]").click()
    assert page.input_value("#id_operating_note") == "Dua mesin rajut belum dipakai"
    assert page.is_checked("input[name=operating_score][value=sebagian]")
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=report-status]")
    assert MonevReport.objects.get().operating_note == "Dua mesin rajut belum dipakai"
    # Without a photo, submitting asks first.
    assert page.get_by_test_id("submit-report").get_attribute("data-confirm")
    page.goto("/monev/reports/add/")
    assert page.get_by_test_id("draft-banner").is_hidden()
    assert page.js_errors == []

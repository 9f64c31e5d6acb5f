"""Itjen's engagement in a real browser (#13), on a desktop (1366 px) and on a phone (390 px): Itjen writes a surat
tugas for Kota Bandung, the team drafts the visit report (indicators with photos, the registry checked, a finding
with two recommendations) and submits it; the controller returns it with a reason; the team fixes it and resubmits;
the controller approves and issues it; dinas.3273 reads the issued report (and nothing of a draft), and the
calendar shows the surat tugas in its month."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from dakportal.accounts.models import User
from monev.models import Assignment, Finding, Visit
from sentra.testing import make_facility, make_sentra
from tests.browser.conftest import login
from tests.browser.test_accessibility import violations


def session(browser: Any, live_server: Any, username: str, width: int) -> Any:
    page = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 900}
    ).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.js_errors = errors
    login(page, username)
    page.wait_for_url("**/")
    return page


def fits(page: Any, width: int) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll inside their own box)."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_itjen_engagement(
    browser: Any, live_server: Any, portal_data: None, settings: Any, tmp_path: Path, width: int
) -> None:
    settings.MEDIA_ROOT = tmp_path
    officer = User.objects.get(username="dinas.3273")
    sentra = make_sentra(officer, name="Sentra Rajut Binong")
    make_facility(officer, sentra, kind="machines", quantity=10, description="Mesin rajut")

    # Itjen writes the surat tugas
    lead = session(browser, live_server, "itjen.ketua", width)
    lead.goto("/monev/assignments/")
    lead.get_by_test_id("new-assignment").click()
    found = violations(lead)  # #14: the new pages as accessible as the others
    lead.fill("#id_number", "ST-021/IJ/2021")
    lead.fill("#id_date", "2021-08-01")
    lead.fill("#id_period_start", "2021-08-02")
    lead.fill("#id_period_end", "2021-08-06")
    lead.locator("#id_fiscal_years").get_by_label("2021").check()
    search = lead.locator("#id_regencies").locator("xpath=preceding-sibling::input[1]")
    search.fill("Kota Bandung")
    lead.wait_for_selector("#id_regencies option[value='32.73']", state="attached")
    lead.select_option("#id_regencies", ["32.73"])
    search = lead.locator("#id_sentra").locator("xpath=preceding-sibling::input[1]")
    search.fill("Rajut Binong")
    lead.wait_for_selector(f"#id_sentra option[value='{sentra.pk}']", state="attached")
    lead.select_option("#id_sentra", [str(sentra.pk)])
    lead.select_option("#id_lead", label="Rina Wulandari (itjen.ketua)")
    lead.locator("#id_team_members").get_by_label("Dimas Prasetyo (itjen.anggota)").check()
    lead.locator("#id_technical_controllers").get_by_label("Hendra Gunawan (itjen.dalnis)").check()
    lead.locator("#id_quality_controllers").get_by_label("Endang Susilowati (itjen.daltu)").check()
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=places]")
    assignment = Assignment.objects.get(number="ST-021/IJ/2021")
    assert assignment.role_of(User.objects.get(username="itjen.daltu")) == "quality_controller"
    assert fits(lead, width)

    # the team drafts the report
    lead.get_by_test_id("draft-visit").click()
    lead.select_option("#id_operating_score", "sebagian")
    lead.fill("#id_operating_note", "Produksi berjalan; empat mesin rajut belum dipakai")
    lead.select_option("#id_compliance_score", "sesuai")
    lead.fill("#id_compliance_note", "Volume dan spesifikasi sesuai kontrak")
    lead.select_option("#id_sustainability_score", "sesuai")
    lead.fill("#id_sustainability_note", "Koperasi mengelola jadwal pemakaian")
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=visit-status]")
    visit = Visit.objects.get(assignment=assignment)
    for key, colour in (("operating", "navy"), ("compliance", "olive"), ("sustainability", "peru")):
        photo = tmp_path / f"{key}.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
        photo.write_bytes(buffer.getvalue())
        lead.set_input_files(f"#id_{key}-file", str(photo))
        lead.get_by_test_id(f"evidence-form-{key}").locator("button").click()
        lead.wait_for_selector(f"[data-testid=indicator-{key}] [data-testid=evidence] img")
    found += violations(lead)
    lead.get_by_test_id("check-registry").click()
    found += violations(lead)
    for select in lead.locator("select[name$='-result']").all():
        select.select_option("as_registered")
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=registry-checks]")
    lead.get_by_test_id("add-finding").click()
    lead.fill("#id_title", "Mesin rajut belum dimanfaatkan")
    lead.select_option("#id_category", "asset_unused")
    lead.fill("#id_condition", "Empat dari sepuluh mesin rajut masih terbungkus")
    lead.fill("#id_criteria", "Juknis DAK Fisik Bidang IKM")
    lead.fill("#id_effect", "Manfaat DAK belum optimal")
    lead.fill("#id_recommendations-0-text", "Latih operator mesin rajut")
    lead.fill("#id_recommendations-0-responsible_official", "Kepala Dinas")
    lead.fill("#id_recommendations-1-text", "Operasikan keempat mesin")
    lead.fill("#id_recommendations-1-responsible_official", "Pengelola sentra")
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=finding]")
    assert Finding.objects.get(visit=visit).recommendations.count() == 2
    lead.get_by_test_id("submit-visit").click()
    lead.wait_for_selector("[data-testid=visit-status]")
    assert Visit.objects.get(pk=visit.pk).status == "submitted"

    # a draft is Itjen's own: the region cannot open it yet
    region = session(browser, live_server, "dinas.3273", width)
    assert region.goto(visit.get_absolute_url()).status == 404
    region.js_errors.clear()  # the browser logs that 404, as it should

    # the controller returns it with a reason
    controller = session(browser, live_server, "itjen.dalnis", width)
    controller.goto(visit.get_absolute_url())
    controller.fill("#id_reason", "Uraikan sebab temuan")
    controller.get_by_test_id("return").click()
    controller.wait_for_selector("[data-testid=visit-status]")
    assert Visit.objects.get(pk=visit.pk).status == "returned"

    # the team sees why, fixes it and resubmits
    lead.goto(visit.get_absolute_url())
    assert "Uraikan sebab temuan" in lead.get_by_test_id("return-reason").inner_text()
    lead.get_by_test_id("finding").get_by_role("link", name="Ubah").click()
    lead.fill("#id_cause", "Operator belum dilatih")
    lead.get_by_test_id("save").click()
    lead.wait_for_selector("[data-testid=finding]")
    lead.get_by_test_id("submit-visit").click()
    lead.wait_for_selector("[data-testid=visit-status]")
    assert Visit.objects.get(pk=visit.pk).status == "submitted"
    assert Finding.objects.get(visit=visit).cause == "Operator belum dilatih"

    # the controller approves and issues it
    controller.goto(visit.get_absolute_url())
    found += violations(controller)
    controller.get_by_test_id("approve").click()
    controller.wait_for_selector("[data-testid=issue-form]")
    controller.fill("#id_issued_on", "2021-08-20")
    controller.get_by_test_id("issue").click()
    controller.wait_for_selector("[data-testid=locked]")
    visit.refresh_from_db()
    assert (visit.status, visit.number) == ("issued", "LHM-001/IJ/2021")
    assert fits(controller, width)

    # dinas.3273 reads the issued report, locked, with its finding and both recommendations
    region.goto("/monev/visits/")
    region.get_by_role("link", name="Sentra Rajut Binong").click()
    region.wait_for_selector("[data-testid=locked]")
    assert region.get_by_test_id("visit-number").inner_text() == "LHM-001/IJ/2021"
    recommendations = region.get_by_test_id("recommendations").inner_text()
    assert "Latih operator mesin rajut" in recommendations and "Operasikan keempat mesin" in recommendations
    assert region.get_by_test_id("edit-visit").count() == 0 and region.get_by_test_id("review").count() == 0
    assert fits(region, width)
    # and the surat tugas in its month of the calendar
    region.goto("/monev/assignments/calendar/?month=2021-08")
    view = "calendar-grid" if width > 768 else "calendar-list"
    assert "ST-021/IJ/2021" in region.get_by_test_id(view).inner_text()
    found += violations(region)
    region.get_by_test_id("next-month").click()
    assert "ST-021/IJ/2021" not in region.content()
    assert fits(region, width)
    for page in (lead, controller, region):
        assert page.js_errors == []
    assert found == [], "\n".join(found)

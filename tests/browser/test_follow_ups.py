"""Follow-up per recommendation in a real browser (#13): dinas.3273 follows up each of the two recommendations of
an issued Kota Bandung visit report with an attachment; Itjen verifies one as sesuai and the other as belum sesuai
with a reason; the follow-up monitoring (TLHP) page shows one of each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dakportal.accounts.models import User
from dakportal.testing.files import pdf_bytes
from monev import services
from monev.models import Finding, FollowUp, Recommendation
from monev.testing import complete_visit, issue_visit, make_assignment, make_team, make_visit
from sentra.testing import make_facility, make_sentra
from tests.browser.conftest import login


def session(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    login(page, username)
    page.wait_for_url("**/")
    return page


def issued_finding() -> Finding:
    """An issued visit report on a Kota Bandung sentra with one finding and two recommendations."""
    officer = User.objects.get(username="dinas.3273")
    sentra = make_sentra(officer, name="Sentra Rajut Binong")
    make_facility(officer, sentra, kind="machines", quantity=10, description="Mesin rajut")
    team = make_team()
    visit = complete_visit(team.lead, make_visit(team.lead, make_assignment(team, [sentra]), sentra))
    recommendations = [
        Recommendation(text="Menyusun jadwal pemakaian mesin rajut", responsible_official="Kepala Dinas"),
        Recommendation(text="Menyetorkan kelebihan pembayaran ke kas daerah", responsible_official="PPK",
                       amount_to_recover=24_800_000),
    ]  # fmt: skip
    finding = Finding(title="Mesin rajut belum dimanfaatkan", category="asset_unused", condition="Masih terbungkus")
    finding = services.record_visit_finding(visit, finding, acting_user=team.lead, recommendations=recommendations)
    issue_visit(team, visit)
    return finding


def test_follow_up_per_recommendation(browser: Any, live_server: Any, portal_data: None, settings: Any,
                                      tmp_path: Path) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    finding = issued_finding()
    schedule, deposit = finding.recommendations.order_by("id")
    document = tmp_path / "bukti.pdf"
    document.write_bytes(pdf_bytes())

    officer = session(browser, live_server, "dinas.3273")
    officer.goto(finding.get_absolute_url())
    officer.fill(f"#id_rec{schedule.pk}-reply", "Jadwal pemakaian mesin sudah ditetapkan; SK terlampir")
    officer.set_input_files(f"#id_rec{schedule.pk}-attachments", str(document))
    officer.locator(f"#recommendation-{schedule.pk} [data-testid=follow-up-form] button").click()
    officer.wait_for_selector(f"#recommendation-{schedule.pk} [data-testid=follow-up]")
    officer.fill(f"#id_rec{deposit.pk}-reply", "Sebagian kelebihan bayar sudah disetor")
    officer.set_input_files(f"#id_rec{deposit.pk}-attachments", str(document))
    officer.fill(f"#id_rec{deposit.pk}-amount_deposited", "10000000")
    officer.select_option(f"#id_rec{deposit.pk}-deposit_to", "kas_daerah")
    officer.fill(f"#id_rec{deposit.pk}-deposit_reference", "STS-0456/2022")
    officer.fill(f"#id_rec{deposit.pk}-deposit_date", "2022-05-10")
    officer.locator(f"#recommendation-{deposit.pk} [data-testid=follow-up-form] button").click()
    officer.wait_for_selector(f"#recommendation-{deposit.pk} [data-testid=follow-up]")
    assert officer.locator("[data-testid=attachment]").count() == 2
    assert FollowUp.objects.filter(recommendation__finding=finding).count() == 2

    itjen = session(browser, live_server, "itjen")
    itjen.goto(finding.get_absolute_url())
    first, second = (FollowUp.objects.get(recommendation=r) for r in (schedule, deposit))
    itjen.select_option(f"#id_fu{first.pk}-verification", "sesuai")
    itjen.locator(f"#recommendation-{schedule.pk} [data-testid=verify-form] button").click()
    itjen.wait_for_selector(f"#recommendation-{schedule.pk} [data-testid=verification]")
    itjen.select_option(f"#id_fu{second.pk}-verification", "belum_sesuai")
    itjen.locator(f"#recommendation-{deposit.pk} [data-testid=verify-form] button").click()  # no reason yet
    itjen.wait_for_selector(".alert-danger")
    assert FollowUp.objects.get(pk=second.pk).verification == ""  # refused, nothing saved
    itjen.select_option(f"#id_fu{second.pk}-verification", "belum_sesuai")
    itjen.fill(f"#id_fu{second.pk}-reason", "Sisa Rp 14.800.000 belum disetor")
    itjen.locator(f"#recommendation-{deposit.pk} [data-testid=verify-form] button").click()
    itjen.wait_for_selector(f"#recommendation-{deposit.pk} [data-testid=verification]")
    statuses = itjen.locator("[data-testid=recommendation-status]").all_inner_texts()
    assert len(statuses) == 2 and statuses[0] != statuses[1]
    itjen.screenshot(path="/tmp/dakportal-follow-ups.png", full_page=True)

    itjen.goto("/monev/assignments/")
    itjen.get_by_test_id("monitoring-tab").click()
    itjen.wait_for_url("**/reports/follow-up-monitoring/")
    row = itjen.locator("table tbody tr", has_text="Kota Bandung")
    cells = row.first.locator("td").all_inner_texts()
    assert cells[1:6] == ["2", "1", "1", "0", "0"], cells  # recommendations; sesuai, belum sesuai, belum, tidak dapat
    itjen.screenshot(path="/tmp/dakportal-tlhp.png", full_page=True)
    for page in (officer, itjen):
        assert page.js_errors == []

"""Itjen's field visit reports (Laporan Hasil Monev), #13: drafted by the team, submitted, returned with a reason or
approved and issued by a controller; locked once issued; the registry checked, its differences proposed to the
region; findings with recommendations, due 60 days after the issue date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from dakportal.services import Conflict
from dakportal.testing.files import image_bytes
from monev import services
from monev.choices import CheckResult, CorrectionStatus, VisitStatus
from monev.models import Evidence, Finding, Notification, Recommendation, Visit, VisitTransition
from monev.testing import Team, complete_visit, issue_visit, make_assignment, make_team, make_visit
from sentra.models import Facility, Sentra
from sentra.testing import VILLAGE_B, make_facility, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """These tests read the messages in English (the portal's default language is Indonesian)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def team(db: Any) -> Team:
    return make_team()


@pytest.fixture
def bandung(cast: Any) -> Sentra:
    sentra = make_sentra(cast.officer_a, name="Sentra Rajut Binong", sk_number="SK-1/2019")
    make_facility(cast.officer_a, sentra, kind="machines", quantity=10, unit="unit", description="Mesin rajut")
    return sentra


@pytest.fixture
def visit(team: Team, bandung: Sentra, settings: Any, tmp_path: Any) -> Visit:
    settings.MEDIA_ROOT = tmp_path
    return make_visit(team.member, make_assignment(team, [bandung]), bandung)


def finding_for(team: Team, visit: Visit, recommendations: int = 2) -> Finding:
    finding = Finding(title="Mesin belum dimanfaatkan", category="asset_unused", condition="Empat mesin terbungkus",
                      criteria="Juknis DAK", cause="Belum ada operator", effect="Produksi tidak naik")  # fmt: skip
    recs = [
        Recommendation(text=f"Rekomendasi {n}", responsible_official="Kepala Dinas") for n in range(recommendations)
    ]
    return services.record_visit_finding(visit, finding, acting_user=team.lead, recommendations=recs)


def test_a_draft_lists_the_registry_to_check(visit: Visit) -> None:
    checks = {check.subject: check for check in visit.checks.all()}
    assert set(checks) == {"facility", "legality"}
    facility = visit.checks.get(subject="facility")
    assert "Mesin rajut" in facility.label and facility.registered.startswith("10 unit")
    assert visit.checks.filter(subject="legality").count() == 8
    assert visit.checks.get(field="sk_number").registered == "SK-1/2019"
    assert visit.transitions.get().step == "create"


def test_only_the_team_drafts(cast: Any, team: Team, visit: Visit) -> None:
    outsider = make_team("lain").lead
    with pytest.raises(PermissionDenied, match="ST-001/IJ/2021"):
        make_visit(outsider, visit.assignment, visit.sentra)
    visit.operating_note = "Diubah"
    with pytest.raises(PermissionDenied):
        services.update_visit(visit, acting_user=outsider)
    with pytest.raises(PermissionDenied):
        finding_for(Team(outsider, outsider, outsider, outsider), visit)


def test_the_sentra_is_one_of_the_assignment_and_the_date_in_its_period(cast: Any, team: Team, visit: Visit) -> None:
    other = make_sentra(cast.officer_a, name="Sentra Lain")
    with pytest.raises(ValidationError) as caught:
        make_visit(team.lead, visit.assignment, other)
    assert "sentra" in caught.value.message_dict
    visit.visit_date = date(2021, 9, 30)
    with pytest.raises(ValidationError) as caught:
        services.update_visit(visit, acting_user=team.lead)
    assert "visit_date" in caught.value.message_dict


def test_a_report_is_submitted_complete(team: Team, visit: Visit) -> None:
    with pytest.raises(ValidationError) as caught:
        services.submit_visit(visit, acting_user=team.lead)
    text = " ".join(caught.value.messages)
    assert "narrative" in text and "photo" in text and "registry item" in text
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DRAFT
    complete_visit(team.member, visit)
    assert services.submit_visit(visit, acting_user=team.lead).status == VisitStatus.SUBMITTED


def test_the_whole_review_return_fix_resubmit_approve_issue(
    cast: Any, team: Team, visit: Visit, django_capture_on_commit_callbacks: Any
) -> None:
    complete_visit(team.member, visit)
    finding = finding_for(team, visit)
    visit = services.submit_visit(visit, acting_user=team.lead)
    with pytest.raises(PermissionDenied, match="controller"):
        services.return_visit(visit, reason="Lengkapi", acting_user=team.member)
    with pytest.raises(ValidationError) as caught:
        services.return_visit(visit, reason="  ", acting_user=team.technical)
    assert "reason" in caught.value.message_dict
    visit = services.return_visit(visit, reason="Lengkapi sebab temuan", acting_user=team.technical)
    assert visit.status == VisitStatus.RETURNED and visit.return_reason == "Lengkapi sebab temuan"
    finding.cause = "Operator belum dilatih"
    services.update_visit_finding(finding, acting_user=team.member, recommendations=[])
    visit = services.submit_visit(visit, acting_user=team.lead)
    with pytest.raises(ValidationError, match="approves"):
        services.issue_visit(visit, acting_user=team.quality)
    visit = services.approve_visit(visit, acting_user=team.technical)
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.issue_visit(visit, acting_user=team.quality)
    assert visit.status == VisitStatus.ISSUED and visit.number == f"LHM-001/IJ/{timezone.localdate().year}"
    assert visit.issued_on == timezone.localdate() and visit.issued_by == team.quality
    steps = list(VisitTransition.objects.filter(visit=visit).values_list("step", "to_status", "reason"))
    assert steps == [
        ("create", "draft", ""), ("submit", "submitted", ""), ("return", "returned", "Lengkapi sebab temuan"),
        ("submit", "submitted", ""), ("approve", "submitted", ""), ("issue", "issued", ""),
    ]  # fmt: skip
    due = visit.issued_on + timedelta(days=60)
    assert Finding.objects.get(pk=finding.pk).due_date == due
    assert set(Recommendation.objects.filter(finding=finding).values_list("due_date", flat=True)) == {due}
    # sent to the kab/kota and Ditjen IKMA
    assert Notification.objects.filter(user=cast.officer_a, text__contains=visit.number).exists()
    assert Notification.objects.filter(user=cast.ministry_staff, text__contains=visit.number).exists()
    assert not Notification.objects.filter(user=cast.officer_b).exists()


def test_an_issued_report_is_locked(team: Team, visit: Visit) -> None:
    complete_visit(team.member, visit)
    finding = finding_for(team, visit)
    visit = issue_visit(team, visit)
    visit.conclusion = "Diubah setelah terbit"
    with pytest.raises(ValidationError, match="locked"):
        services.update_visit(visit, acting_user=team.lead)
    finding.title = "Diubah"
    with pytest.raises(ValidationError, match="locked"):
        services.update_finding(finding, acting_user=team.lead)
    with pytest.raises(ValidationError, match="locked"):
        finding_for(team, visit)
    photo = SimpleUploadedFile("late.jpg", image_bytes(), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="locked"):
        services.add_evidence(upload=photo, title="x", acting_user=team.lead, visit=visit, indicator="operating")
    with pytest.raises(ValidationError):
        services.return_visit(visit, reason="Buka lagi", acting_user=team.technical)
    assert Visit.objects.get(pk=visit.pk).conclusion == ""


def test_a_submitted_report_changes_only_after_a_return(team: Team, visit: Visit) -> None:
    complete_visit(team.member, visit)
    visit = services.submit_visit(visit, acting_user=team.lead)
    visit.conclusion = "Diubah"
    with pytest.raises(ValidationError, match="under review"):
        services.update_visit(visit, acting_user=team.lead)


def test_a_stale_version_is_a_conflict(team: Team, visit: Visit) -> None:
    complete_visit(team.member, visit)
    seen = Visit.objects.get(pk=visit.pk).version
    services.submit_visit(visit, acting_user=team.lead, version=seen)
    with pytest.raises(Conflict):
        services.return_visit(visit, reason="x", acting_user=team.technical, version=seen)


def test_evidence_carries_its_indicator(team: Team, visit: Visit) -> None:
    photo = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.add_evidence(upload=photo, title="p", acting_user=team.lead, visit=visit, indicator="")
    assert "indicator" in caught.value.message_dict
    evidence = services.add_evidence(upload=photo, title="p", acting_user=team.lead, visit=visit, indicator="operating")
    assert evidence.visit == visit and evidence.indicator == "operating" and evidence.report is None
    assert Evidence.objects.filter(visit=visit).count() == 1


def test_a_finding_needs_a_recommendation(team: Team, visit: Visit) -> None:
    with pytest.raises(ValidationError) as caught:
        finding_for(team, visit, recommendations=0)
    assert "recommendations" in caught.value.message_dict and not Finding.objects.exists()


def test_drafts_are_itjens_own_until_issued(
    cast: Any, team: Team, visit: Visit, django_capture_on_commit_callbacks: Any
) -> None:
    complete_visit(team.member, visit)
    with django_capture_on_commit_callbacks(execute=True):
        finding = finding_for(team, visit)
    for user in (cast.officer_a, cast.ministry_staff, cast.analyst):
        assert not Visit.objects.for_user(user).exists() and not Finding.objects.for_user(user).exists()
    assert Visit.objects.for_user(cast.auditor).exists() and Finding.objects.for_user(cast.auditor).exists()
    assert not Notification.objects.filter(user=cast.officer_a).exists()  # not told of a draft's finding
    issue_visit(team, visit)
    assert list(Finding.objects.for_user(cast.officer_a)) == [finding]
    assert Visit.objects.for_user(cast.officer_a).exists() and not Visit.objects.for_user(cast.officer_b).exists()


def test_differences_become_corrections_the_region_decides(cast: Any, team: Team, visit: Visit) -> None:
    complete_visit(team.member, visit)
    machines = visit.checks.get(subject="facility")
    sk = visit.checks.get(field="sk_number")
    land = visit.checks.get(field="land_status")
    machines.result, machines.observed, machines.proposed_quantity = "different", "Hanya 6 mesin", 6
    machines.proposed_condition = "unused"
    sk.result, sk.observed, sk.proposed_value = "different", "SK baru sudah terbit", "SK-9/2021"
    land.result, land.observed, land.proposed_value = "different", "Tanah milik desa", "Tanah desa"
    with translation.override("id"):  # the label as an Indonesian officer writes it
        services.save_registry_checks(visit, [machines, sk, land], acting_user=team.member)
    visit = issue_visit(team, visit)
    proposed = visit.checks.filter(correction=CorrectionStatus.PROPOSED)
    assert proposed.count() == 3
    land.refresh_from_db()
    assert land.proposed_value == "desa"  # the label was read as its code
    services.decide_correction(machines, confirm=True, acting_user=cast.officer_a)
    services.decide_correction(land, confirm=True, acting_user=cast.officer_a)
    facility = Facility.objects.get(pk=machines.facility_id)
    assert (facility.quantity, facility.condition) == (6, "unused")
    assert Sentra.objects.get(pk=visit.sentra_id).land_status == "desa"
    with pytest.raises(ValidationError) as caught:
        services.decide_correction(sk, confirm=False, acting_user=cast.officer_a)
    assert "reason" in caught.value.message_dict
    services.decide_correction(sk, confirm=False, reason="SK-9 belum ditandatangani", acting_user=cast.officer_a)
    assert Sentra.objects.get(pk=visit.sentra_id).sk_number == "SK-1/2019"
    with pytest.raises(ValidationError, match="not open"):
        services.decide_correction(sk, confirm=True, acting_user=cast.officer_a)


def test_a_difference_says_what_was_found_and_a_legal_value(team: Team, visit: Visit) -> None:
    land = visit.checks.get(field="land_status")
    land.result = CheckResult.DIFFERENT
    with pytest.raises(ValidationError) as caught:
        services.save_registry_checks(visit, [land], acting_user=team.member)
    assert "observed" in caught.value.message_dict
    land.observed, land.proposed_value = "Status tanah lain", "milik pribadi sekali"
    with pytest.raises(ValidationError) as caught:
        services.save_registry_checks(visit, [land], acting_user=team.member)
    assert "proposed_value" in caught.value.message_dict


def test_numbers_follow_each_other_and_may_be_given(cast: Any, team: Team, visit: Visit) -> None:
    sleman = make_sentra(cast.officer_b, village=VILLAGE_B)
    other = make_visit(team.lead, make_assignment(team, [sleman], number="ST-2"), sleman)
    year = timezone.localdate().year
    complete_visit(team.member, visit)
    complete_visit(team.member, other)
    assert issue_visit(team, visit).number == f"LHM-001/IJ/{year}"
    other = services.approve_visit(services.submit_visit(other, acting_user=team.lead), acting_user=team.quality)
    with pytest.raises(ValidationError, match="LHM number"):
        services.issue_visit(other, acting_user=team.quality, number=f"LHM-001/IJ/{year}")
    assert services.issue_visit(other, acting_user=team.quality, number="LHM-77/IJ/2021").number == "LHM-77/IJ/2021"


def test_the_history_of_a_draft_is_itjens_until_it_is_issued(cast: Any, team: Team, visit: Visit) -> None:
    """#13: the change log does not show a region (or the ministry) what an Itjen draft holds."""
    from dakportal.history.models import Event

    complete_visit(team.member, visit)
    finding = finding_for(team, visit)
    labels = ("monev.visit", "monev.registrycheck", "monev.evidence", "monev.finding", "monev.recommendation",
              "monev.visittransition")  # fmt: skip

    def seen(user: Any) -> set[str]:
        return set(Event.objects.for_user(user).filter(model__in=labels).values_list("model", flat=True))

    assert seen(cast.officer_a) == set() and seen(cast.ministry_staff) == set()
    assert seen(team.lead) == set(labels)
    issue_visit(team, visit)
    assert seen(cast.officer_a) == set(labels)
    assert Event.objects.for_user(cast.officer_a).filter(model="monev.finding", object_id=str(finding.pk)).exists()

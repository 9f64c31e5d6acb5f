"""Itjen's pages (#13): the generated region/permission matrices of the surat tugas and the visit reports, the
calendar, the forms with their messages beside the fields, the workflow buttons and the PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dakportal.testing.cases import ViewTestCases
from monev import services
from monev.models import Assignment, Finding, Visit
from monev.testing import Team, complete_visit, issue_visit, make_assignment, make_team, make_visit
from sentra.testing import VILLAGE_B, make_facility, make_sentra


class AssignmentViewTestCase(ViewTestCases.ListView, ViewTestCases.DetailView):
    model = Assignment
    url_prefix = "monev:assignment"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        team = make_team()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.own_object = make_assignment(team, [bandung], number="ST-BDG")
        cls.other_object = make_assignment(team, [sleman], number="ST-SLM")
        for n in range(4):
            make_assignment(team, [sleman], number=f"ST-{n}")

    def csv_marker(self, obj: Any) -> str:
        return str(obj.number)


class VisitViewTestCase(ViewTestCases.ListView, ViewTestCases.DetailView):
    model = Visit
    url_prefix = "monev:visit"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        team = make_team()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = [make_sentra(cls.cast.officer_b, name=f"Sentra Sleman {n}", village=VILLAGE_B) for n in range(4)]
        cls.own_object = issue_visit(team, complete_visit(team.lead, make_visit(team.lead, make_assignment(
            team, [bandung], number="ST-BDG"), bandung)))  # fmt: skip
        assignment = make_assignment(team, sleman, number="ST-SLM")
        cls.other_object = issue_visit(team, complete_visit(team.lead, make_visit(team.lead, assignment, sleman[0])))
        for place in sleman[1:]:
            make_visit(team.lead, assignment, place)

    @classmethod
    def setUpClass(cls) -> None:
        import tempfile

        from django.test import override_settings

        cls._media = override_settings(MEDIA_ROOT=tempfile.mkdtemp())
        cls._media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._media.disable()

    def csv_marker(self, obj: Any) -> str:
        return str(obj.sentra.name)


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
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_calendar_shows_the_month_and_moves_on(client: Client, cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    make_assignment(team, [bandung], number="ST-AGT", period=(date(2021, 8, 30), date(2021, 9, 3)))
    make_assignment(team, [make_sentra(cast.officer_b, village=VILLAGE_B)], number="ST-SLM",
                    period=(date(2021, 8, 2), date(2021, 8, 5)))  # fmt: skip
    client.force_login(cast.officer_a)
    url = reverse("monev:assignment_calendar")
    page = client.get(url, {"month": "2021-08"})
    assert [a.number for a in page.context["assignments"]] == ["ST-AGT"]  # the region's only
    assert page.context["previous"] == "2021-07" and page.context["next"] == "2021-09"
    assert b"ST-SLM" not in page.content and b"Kab. Sleman" not in page.content
    assert [a.number for a in client.get(url, {"month": "2021-09"}).context["assignments"]] == ["ST-AGT"]
    empty = client.get(url, {"month": "2021-10"})
    assert empty.context["assignments"] == [] and empty.context["latest"] == date(2021, 8, 30)
    assert client.get(url, {"month": "bulan-lalu"}).status_code == 200  # a bad month: this month
    client.force_login(team.lead)
    assert len(client.get(url, {"month": "2021-08"}).context["assignments"]) == 2


def test_a_region_sees_nothing_of_another_region_on_a_shared_assignment(client: Client, cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    sleman = make_sentra(cast.officer_b, name="Sentra Rahasia Sleman", village=VILLAGE_B)
    assignment = make_assignment(team, [bandung, sleman])
    client.force_login(cast.officer_a)
    for url in (assignment.get_absolute_url(), reverse("monev:assignment_list"),
                reverse("monev:assignment_list") + "?export=csv"):  # fmt: skip
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and b"Sleman" not in body, url
    assert b"Sentra Rajut" in client.get(assignment.get_absolute_url()).content


def test_itjen_creates_an_assignment_on_the_form(client: Client, cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    client.force_login(team.lead)
    data = {
        "number": "ST-9/IJ/2021", "date": "2021-08-01", "period_start": "2021-08-02", "period_end": "2021-08-06",
        "fiscal_years": ["2020", "2021"], "regencies": ["32.73"], "sentra": [bandung.pk], "lead": team.lead.pk,
        "team_members": [team.member.pk], "technical_controllers": [team.technical.pk],
        "quality_controllers": [team.quality.pk],
    }  # fmt: skip
    response = client.post(reverse("monev:assignment_add"), data)
    assignment = Assignment.objects.get(number="ST-9/IJ/2021")
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert assignment.fiscal_years == [2020, 2021] and assignment.role_of(team.quality) == "quality_controller"
    page = client.get(assignment.get_absolute_url())
    assert b'data-testid="draft-visit"' in page.content  # the lead may draft its report


def test_the_assignment_form_says_what_is_wrong_beside_each_field(client: Client, cast: Any, team: Team) -> None:
    sleman = make_sentra(cast.officer_b, name="Sentra Salak", village=VILLAGE_B)
    client.force_login(team.lead)
    data = {"number": "ST-X", "date": "2021-08-01", "period_start": "2021-08-10", "period_end": "2021-08-02",
            "fiscal_years": ["2021"], "regencies": ["32.73"], "sentra": [sleman.pk],
            "team_members": [team.member.pk], "lead": cast.ministry_staff.pk}  # fmt: skip
    response = client.post(reverse("monev:assignment_add"), data)
    assert response.status_code == 200 and not Assignment.objects.exists()
    errors = response.context["form"].errors
    assert {"period_end", "sentra", "lead", "technical_controllers"} <= set(errors), errors
    assert "Sentra Salak" in errors["sentra"][0]


def test_only_itjen_may_open_the_assignment_form(client: Client, cast: Any) -> None:
    for user in (cast.ministry_staff, cast.officer_a, cast.analyst):
        client.force_login(user)
        assert client.get(reverse("monev:assignment_add")).status_code == 403


def test_the_team_drafts_and_the_controllers_review_on_the_page(
    client: Client, cast: Any, team: Team, media: None
) -> None:
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    assignment = make_assignment(team, [bandung])
    client.force_login(team.member)
    response = client.post(reverse("monev:visit_add"), {"assignment": assignment.pk, "sentra": bandung.pk,
                                                        "visit_date": "2021-08-03"})  # fmt: skip
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.created_by == team.member
    # a submit while incomplete: the reasons, nothing moves
    client.post(reverse("monev:visit_action", args=[visit.pk, "submit"]), {"version": visit.version})
    assert Visit.objects.get().status == "draft"
    complete_visit(team.member, visit)
    finding_url = reverse("monev:visit_finding_add", args=[visit.pk])
    assert client.get(finding_url).status_code == 200
    data = {
        "title": "Mesin belum dipakai", "category": "asset_unused", "condition": "Empat mesin terbungkus",
        "criteria": "Juknis", "cause": "Operator belum ada", "effect": "Produksi tertahan", "loss_value": "0",
        "recommendations-TOTAL_FORMS": "2", "recommendations-INITIAL_FORMS": "0",
        "recommendations-0-text": "Latih operator", "recommendations-0-responsible_official": "Kepala Dinas",
        "recommendations-0-amount_to_recover": "0", "recommendations-1-text": "Operasikan mesin",
        "recommendations-1-responsible_official": "Pengelola sentra", "recommendations-1-amount_to_recover": "0",
    }  # fmt: skip
    assert client.post(finding_url, data).status_code == 302
    finding = Finding.objects.get()
    assert finding.recommendations.count() == 2 and finding.visit == visit
    visit.refresh_from_db()
    client.post(reverse("monev:visit_action", args=[visit.pk, "submit"]), {"version": visit.version})
    visit.refresh_from_db()
    assert visit.status == "submitted"
    # a member is not a controller: no review panel, and the action is refused with a message
    assert b'data-testid="review"' not in client.get(visit.get_absolute_url()).content
    client.post(reverse("monev:visit_action", args=[visit.pk, "return"]), {"reason": "x", "version": visit.version})
    assert Visit.objects.get().status == "submitted"
    client.force_login(team.technical)
    page = client.get(visit.get_absolute_url())
    assert b'data-testid="review"' in page.content and b'data-testid="regional-reports"' in page.content
    client.post(reverse("monev:visit_action", args=[visit.pk, "return"]), {"reason": "", "version": visit.version})
    assert Visit.objects.get().status == "submitted"  # a return without a reason: refused
    client.post(reverse("monev:visit_action", args=[visit.pk, "approve"]), {"version": visit.version})
    visit.refresh_from_db()
    client.post(reverse("monev:visit_action", args=[visit.pk, "issue"]), {"version": visit.version})
    visit.refresh_from_db()
    assert visit.status == "issued" and visit.number
    # the region reads it, with its finding, and downloads the PDF
    client.force_login(cast.officer_a)
    page = client.get(visit.get_absolute_url())
    assert page.status_code == 200 and b"Latih operator" in page.content and b'data-testid="locked"' in page.content
    pdf = client.get(reverse("monev:visit_pdf", args=[visit.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # an issued report is locked: the edit page refuses it with the reason
    client.force_login(team.lead)
    response = client.post(reverse("monev:visit_edit", args=[visit.pk]), {"visit_date": "2021-08-04",
                                                                          "version": visit.version})  # fmt: skip
    assert response.status_code == 200 and "locked" in str(response.context["form"].non_field_errors())


def test_drafts_are_hidden_from_the_region_and_the_ministry(client: Client, cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a)
    visit = make_visit(team.lead, make_assignment(team, [bandung]), bandung)
    for user in (cast.officer_a, cast.ministry_staff):
        client.force_login(user)
        assert client.get(visit.get_absolute_url()).status_code == 404
        assert client.get(reverse("monev:visit_pdf", args=[visit.pk])).status_code == 404
    client.force_login(make_team("lain").lead)  # an auditor outside the team reads it, but cannot act
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(reverse("monev:visit_checks", args=[visit.pk])).status_code == 200
    response = client.post(reverse("monev:visit_action", args=[visit.pk, "submit"]), {"version": visit.version},
                           follow=True)  # fmt: skip
    assert "Only the team" in response.content.decode()


def test_the_registry_check_form_keeps_errors_beside_the_fields(client: Client, cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a)
    visit = make_visit(team.lead, make_assignment(team, [bandung]), bandung)
    checks = list(visit.checks.all())
    data = {"checks-TOTAL_FORMS": str(len(checks)), "checks-INITIAL_FORMS": str(len(checks)), "version": visit.version}
    for n, check in enumerate(checks):
        data[f"checks-{n}-id"] = check.pk
        data[f"checks-{n}-result"] = "as_registered"
    data["checks-0-result"] = "different"  # without saying what was found
    client.force_login(team.lead)
    response = client.post(reverse("monev:visit_checks", args=[visit.pk]), data)
    assert response.status_code == 400 and "observed" in response.context["formset"].forms[0].errors
    assert not visit.checks.exclude(result="").exists()
    data["checks-0-observed"] = "SK sudah diperbarui"
    assert client.post(reverse("monev:visit_checks", args=[visit.pk]), data).status_code == 302
    assert not visit.checks.filter(result="").exists()


def test_the_dashboard_shows_each_its_part(client: Client, cast: Any, team: Team, media: None) -> None:
    """#13: the controllers see the reports to review, the team those returned, the region the corrections."""
    bandung = make_sentra(cast.officer_a)
    make_facility(cast.officer_a, bandung, kind="machines", quantity=5)
    visit = complete_visit(team.lead, make_visit(team.lead, make_assignment(team, [bandung]), bandung))

    machines = visit.checks.get(subject="facility")
    machines.result, machines.observed, machines.proposed_quantity = "different", "Hanya 3 mesin", 3
    services.save_registry_checks(visit, [machines], acting_user=team.lead)
    services.submit_visit(visit, acting_user=team.lead)

    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.force_login(team.technical)
    items = {str(i.label): i.count for i in client.get("/", **english).context["attention"]}
    assert items["Visit reports for you to review"] == 1 and items["Visit reports returned to your team"] == 0
    client.force_login(team.member)
    assert {str(i.label): i.count for i in client.get("/", **english).context["attention"]}[
        "Visit reports for you to review"] == 0  # fmt: skip
    services.approve_visit(visit, acting_user=team.technical)
    services.issue_visit(visit, acting_user=team.quality)
    client.force_login(cast.officer_a)
    items = {str(i.label): i.count for i in client.get("/", **english).context["attention"]}
    assert items["Registry corrections proposed by Itjen"] == 1
    listed = client.get(reverse("monev:visit_list"), {"corrections": "true"}).context["object_list"]
    assert [v.pk for v in listed] == [visit.pk]

"""Itjen's assignments and visit reports through the API (#13): shape, the generated region matrices, the
workflow actions, the `version` rule (400 without it, 409 when stale) and the bad input of the issue."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from dakportal.testing.cases import APIViewTestCases
from monev.models import Assignment, Visit
from monev.testing import Team, complete_visit, issue_visit, make_assignment, make_team, make_visit
from sentra.testing import VILLAGE_B, make_facility, make_sentra

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


class AssignmentAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = Assignment
    api_basename = "api:assignment"
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
            extra = make_sentra(cls.cast.officer_b, name=f"Sentra {n}", village=VILLAGE_B)
            make_assignment(team, [sleman, extra], number=f"ST-{n}")


@override_settings(MEDIA_ROOT=tempfile.mkdtemp())
class VisitAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = Visit
    api_basename = "api:visit"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        team = make_team()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = [make_sentra(cls.cast.officer_b, name=f"Sentra Sleman {n}", village=VILLAGE_B) for n in range(3)]
        cls.own_object = issue_visit(team, complete_visit(team.lead, make_visit(team.lead, make_assignment(
            team, [bandung], number="ST-BDG"), bandung)))  # fmt: skip
        assignment = make_assignment(team, sleman, number="ST-SLM")
        cls.other_object = issue_visit(team, complete_visit(team.lead, make_visit(team.lead, assignment, sleman[0])))
        for place in sleman[1:]:
            issue_visit(team, complete_visit(team.lead, make_visit(team.lead, assignment, place)))


@pytest.fixture
def team(db: Any) -> Team:
    return make_team()


def assignment_data(team: Team, sentra: list[Any], **fields: Any) -> dict[str, Any]:
    return {
        "number": "ST-5/IJ/2021", "date": "2021-08-01", "period_start": "2021-08-02", "period_end": "2021-08-06",
        "fiscal_years": [2021], "regencies": ["32.73"], "sentra": [s.pk for s in sentra],
        "members": [{"user": team.lead.username, "role": "lead"},
                    {"user": team.technical.username, "role": "technical_controller"}],
    } | fields  # fmt: skip


def test_itjen_writes_an_assignment_and_a_region_reads_it(cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a)
    response = api(team.lead).post("/api/v1/monev/assignments/", assignment_data(team, [bandung]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["regencies"] == ["32.73"] and body["sentra"] == [bandung.pk] and body["version"] == 1
    assert body["members"] == [
        {"user": team.lead.username, "name": team.lead.get_full_name(), "role": "lead"},
        {"user": team.technical.username, "name": team.technical.get_full_name(), "role": "technical_controller"},
    ]
    url = f"/api/v1/monev/assignments/{body['id']}/"
    assert api(cast.officer_a).get(url).json()["number"] == "ST-5/IJ/2021"
    assert api(cast.officer_b).get(url).status_code == 404
    assert api(cast.officer_a).post("/api/v1/monev/assignments/", {}, format="json").status_code == 403
    assert api(cast.ministry_staff).patch(url, {"notes": "x", "version": 1}, format="json").status_code == 403
    # PATCH: the version rule
    itjen = api(team.lead)
    assert itjen.patch(url, {"notes": "Tim diperkuat"}, format="json").status_code == 400
    assert itjen.patch(url, {"notes": "Tim diperkuat", "version": 9}, format="json").status_code == 409
    response = itjen.patch(url, {"notes": "Tim diperkuat", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert len(response.json()["members"]) == 2  # members not sent: kept


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"members": []}, "members"),
        ({"members": [{"user": "tim.anggota", "role": "member"}]}, "members"),
        ({"period_end": "2021-07-01"}, "period_end"),
        ({"regencies": []}, "regencies"),
        ({"fiscal_years": []}, "fiscal_years"),
    ],
)
def test_bad_assignments_are_refused_naming_the_field(cast: Any, team: Team, change: Any, field: str) -> None:
    bandung = make_sentra(cast.officer_a)
    response = api(team.lead).post("/api/v1/monev/assignments/", assignment_data(team, [bandung]) | change,
                                   format="json")  # fmt: skip
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Assignment.objects.exists()


def test_a_non_itjen_member_or_a_sentra_elsewhere_is_refused(cast: Any, team: Team) -> None:
    sleman = make_sentra(cast.officer_b, village=VILLAGE_B, name="Sentra Salak")
    members = [{"user": team.lead.username, "role": "lead"}, {"user": "ministry", "role": "quality_controller"}]
    response = api(team.lead).post("/api/v1/monev/assignments/", assignment_data(team, [sleman], members=members),
                                   format="json")  # fmt: skip
    assert response.status_code == 400
    assert "Itjen" in " ".join(response.json()["members"]) and "Sentra Salak" in response.json()["sentra"][0]
    indonesian = APIClient()
    indonesian.force_authenticate(team.lead)
    response = indonesian.post("/api/v1/monev/assignments/", assignment_data(team, [sleman]), format="json")
    assert response.status_code == 400 and "kab/kota" in response.json()["sentra"][0]
    assert not Assignment.objects.exists()


def test_a_shared_assignment_shows_a_region_only_its_own_places(cast: Any, team: Team) -> None:
    bandung, sleman = make_sentra(cast.officer_a), make_sentra(cast.officer_b, village=VILLAGE_B)
    assignment = make_assignment(team, [bandung, sleman])
    body = api(cast.officer_a).get(f"/api/v1/monev/assignments/{assignment.pk}/").json()
    assert body["regencies"] == ["32.73"] and body["sentra"] == [bandung.pk]
    both = api(cast.ministry_staff).get(f"/api/v1/monev/assignments/{assignment.pk}/").json()
    assert sorted(both["regencies"]) == ["32.73", "34.04"]


def test_the_visit_report_through_the_api(
    cast: Any, team: Team, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    make_facility(cast.officer_a, bandung, kind="machines", quantity=10)
    assignment = make_assignment(team, [bandung])
    lead, controller = api(team.lead), api(team.technical)
    data = {"assignment": assignment.pk, "sentra": bandung.pk, "visit_date": "2021-08-03",
            "operating_score": "sebagian", "operating_note": "Sebagian mesin belum dipakai"}  # fmt: skip
    assert api(make_team("lain").lead).post("/api/v1/monev/visits/", data, format="json").status_code == 403
    response = lead.post("/api/v1/monev/visits/", data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["regency"] == "32.73" and len(body["checks"]) == 9
    url = f"/api/v1/monev/visits/{body['id']}/"
    assert api(cast.officer_a).get(url).status_code == 404  # a draft is Itjen's own
    # PATCH: the version rule
    assert lead.patch(url, {"conclusion": "x"}, format="json").status_code == 400
    assert lead.patch(url, {"conclusion": "x", "version": 99}, format="json").status_code == 409
    visit = complete_visit(team.member, Visit.objects.get(pk=body["id"]))
    # the registry check: a difference without what was found is refused, per item
    machines = visit.checks.get(subject="facility")
    response = lead.post(url + "checks/", {"checks": [{"id": machines.pk, "result": "different"}]}, format="json")
    assert response.status_code == 400 and "observed" in response.json()["checks"][0]
    response = lead.post(url + "checks/", {"checks": [{"id": machines.pk, "result": "different", "observed": "6 mesin",
                                                       "proposed_quantity": 6}]}, format="json")  # fmt: skip
    assert response.status_code == 200
    # a finding with two recommendations
    finding = {"title": "Mesin belum dipakai", "category": "asset_unused", "condition": "Empat mesin terbungkus",
               "recommendations": [{"text": "Latih operator", "responsible_official": "Kepala Dinas"},
                                   {"text": "Operasikan mesin", "responsible_official": "Pengelola"}]}  # fmt: skip
    response = lead.post(url + "findings/", finding, format="json")
    assert response.status_code == 201 and len(response.json()["recommendations"]) == 2, response.json()
    assert lead.post(url + "findings/", {**finding, "recommendations": []}, format="json").status_code == 400
    version = lead.get(url).json()["version"]
    assert lead.post(url + "submit/", {"version": version}, format="json").json()["status"] == "submitted"
    # the review
    assert lead.post(url + "return/", {"reason": "Lengkapi"}, format="json").status_code == 403  # not a controller
    assert controller.post(url + "return/", {"reason": ""}, format="json").status_code == 400
    assert controller.post(url + "return/", {"reason": "x", "version": version}, format="json").status_code == 409
    response = controller.post(url + "return/", {"reason": "Lengkapi sebab"}, format="json")
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == "Lengkapi sebab"
    version = lead.get(url).json()["version"]
    assert lead.patch(url, {"conclusion": "Sebab dilengkapi", "version": version}, format="json").status_code == 200
    lead.post(url + "submit/", format="json")
    assert controller.post(url + "issue/", format="json").status_code == 400  # not yet approved
    assert controller.post(url + "approve/", format="json").json()["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = controller.post(url + "issue/", {"issued_on": "2021-08-20"}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "issued" and body["number"] == "LHM-001/IJ/2021"
    assert body["findings"][0]["due_date"] == "2021-10-19"
    # locked
    response = lead.patch(url, {"conclusion": "Ubah", "version": body["version"]}, format="json")
    assert response.status_code == 400 and "locked" in str(response.json())
    # the region reads it and decides the correction
    region = api(cast.officer_a)
    assert region.get(url).json()["number"] == "LHM-001/IJ/2021"
    assert region.patch(url, {"conclusion": "x", "version": body["version"]}, format="json").status_code == 403
    response = region.post(url + f"checks/{machines.pk}/confirm/", format="json")
    assert response.status_code == 200 and response.json()["correction"] == "confirmed"
    assert api(cast.officer_b).post(url + f"checks/{machines.pk}/reject/", {"reason": "x"}).status_code == 404
    machines.facility.refresh_from_db()
    assert machines.facility.quantity == 6

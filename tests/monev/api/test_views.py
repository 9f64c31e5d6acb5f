"""The monev cycle through the API (#5): report, return, resubmit, accept; finding, follow-up of its
recommendation, verification, closure (#13). The other region gets 404 on all of it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from dakportal.testing.cases import APIViewTestCases
from monev.models import Finding, MonevReport, Notification, Recommendation
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_whole_cycle(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    officer, ministry, itjen, other = (
        api(cast.officer_a),
        api(cast.ministry_staff),
        api(cast.auditor),
        api(cast.officer_b),
    )

    scores = {"operating_score": "sesuai", "compliance_score": "sebagian", "sustainability_score": "sesuai"}
    data = {
        "sentra": sentra.pk,
        "year": 2021,
        "quarter": 2,
        "operating_note": "Produksi berjalan",
        "active_units": 6,
    } | scores
    response = officer.post("/api/v1/monev/reports/", data, format="json")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "draft" and report["deadline"] == "2021-07-31"
    url = f"/api/v1/monev/reports/{report['id']}/"
    assert other.get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(url + "submit/").json()["status"] == "submitted"
    assert Notification.objects.filter(user=cast.ministry_staff).exists()
    assert (
        officer.patch(url, {"output": "x", "version": officer.get(url).json()["version"]}, format="json").status_code
        == 400
    )  # locked while submitted
    assert ministry.post(url + "return/", {"reason": ""}, format="json").status_code == 400  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        returned = ministry.post(url + "return/", {"reason": "Foto tidak ada"}, format="json").json()
    assert returned["status"] == "returned" and returned["return_reason"] == "Foto tidak ada"
    assert any("returned" in m.subject for m in mail.outbox)
    assert officer.get(url).json()["return_reason"] == "Foto tidak ada"
    assert (
        officer.patch(
            url, {"output": "250 kg keripik", "version": officer.get(url).json()["version"]}, format="json"
        ).status_code
        == 200
    )
    assert officer.post(url + "submit/").json()["status"] == "resubmitted"
    assert ministry.post(url + "accept/").json()["status"] == "accepted"
    assert (
        officer.patch(url, {"output": "y", "version": officer.get(url).json()["version"]}, format="json").status_code
        == 400
    )  # accepted: locked
    assert ministry.post(url + "accept/").status_code == 400  # not allowed twice
    assert [t.to_status for t in MonevReport.objects.get(pk=report["id"]).transitions.all()] == [
        "draft", "submitted", "returned", "resubmitted", "accepted"]  # fmt: skip

    finding = itjen.post("/api/v1/monev/findings/", {
        "sentra": sentra.pk, "report": report["id"], "title": "Mesin belum dimanfaatkan", "category": "asset_unused",
        "condition": "Dua mesin masih terbungkus", "loss_value": 0,
        "recommendations": [{"text": "Operasikan mesin", "responsible_official": "Kadis", "due_date": "2021-09-30"}],
    }, format="json")  # fmt: skip
    assert finding.status_code == 201, finding.json()
    finding_url = f"/api/v1/monev/findings/{finding.json()['id']}/"
    assert finding.json()["regency"] == "32.73" and finding.json()["follow_up_class"] == "belum_ditindaklanjuti"
    assert other.get(finding_url).status_code == 404
    recommendation = finding.json()["recommendations"][0]
    assert recommendation["status"] == "belum_ditindaklanjuti"
    follow_ups_url = f"/api/v1/monev/recommendations/{recommendation['id']}/follow-ups/"
    assert other.post(follow_ups_url, {"reply": "x"}, format="json").status_code == 404
    follow_up = officer.post(follow_ups_url, {"reply": "Mesin sudah dipakai"}, format="json")
    assert follow_up.status_code == 201, follow_up.json()
    verify = f"{follow_ups_url}{follow_up.json()['id']}/verify/"
    version = follow_up.json()["version"]
    assert officer.post(verify, {"verification": "sesuai", "version": version}, format="json").status_code == 403
    assert itjen.post(verify, {"verification": "sesuai"}, format="json").status_code == 400  # no version
    verified = itjen.post(verify, {"verification": "sesuai", "version": version}, format="json")
    assert verified.json()["verification"] == "sesuai"
    closed = itjen.get(finding_url).json()  # #13: closed by itself, its one recommendation settled
    assert closed["status"] == "closed" and closed["follow_up_class"] == "sesuai"
    response = officer.post(follow_ups_url, {"reply": "lagi"}, format="json")
    assert response.status_code == 400 and "settled" in str(response.json())


def test_a_report_on_another_regions_sentra_is_refused(cast: Any) -> None:
    sleman = make_sentra(cast.officer_b, village=VILLAGE_B)
    response = api(cast.officer_a).post(
        "/api/v1/monev/reports/", {"sentra": sleman.pk, "year": 2021, "quarter": 1}, format="json"
    )
    assert response.status_code == 400 and "sentra" in response.json()
    assert not MonevReport.objects.exists()


def test_a_score_outside_the_scale_is_refused(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    response = api(cast.officer_a).post(
        "/api/v1/monev/reports/",
        {"sentra": sentra.pk, "year": 2021, "quarter": 1, "operating_score": "luar biasa"},
        format="json",
    )
    assert response.status_code == 400 and "operating_score" in response.json()


def test_tidak_dapat_needs_a_reason(cast: Any) -> None:
    finding = make_finding(cast.auditor, make_sentra(cast.officer_a))
    url = f"/api/v1/monev/recommendations/{finding.recommendations.get().pk}/follow-ups/"
    follow_up = api(cast.officer_a).post(url, {"reply": "x"}, format="json").json()
    verify = f"{url}{follow_up['id']}/verify/"
    response = api(cast.auditor).post(verify, {"verification": "tidak_dapat", "version": 1}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins_the_other_gets_a_conflict(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    report = make_report(cast.officer_a, sentra)
    from monev import services

    services.submit_report(report, acting_user=cast.officer_a)
    version = MonevReport.objects.get(pk=report.pk).version
    results: list[int] = []
    barrier = threading.Barrier(2)

    def review(action: str, body: dict[str, Any]) -> None:
        try:
            barrier.wait()
            response = api(cast.ministry_staff).post(
                f"/api/v1/monev/reports/{report.pk}/{action}/", body, format="json"
            )
            results.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=("accept", {"version": version})),
               threading.Thread(target=review, args=("return", {"version": version, "reason": "kurang"}))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    report = MonevReport.objects.get(pk=report.pk)
    assert report.transitions.count() == 3  # draft, submitted, and exactly one review


class MonevReportAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = MonevReport
    api_basename = "api:monevreport"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_report(cls.cast.officer_a, make_sentra(cls.cast.officer_a))
        sleman = make_sentra(cls.cast.officer_b, village=VILLAGE_B)
        cls.other_object = make_report(cls.cast.officer_b, sleman)
        for quarter in (1, 3, 4):
            make_report(cls.cast.officer_b, sleman, quarter=quarter)


class FindingAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = Finding
    api_basename = "api:finding"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_finding(cls.cast.auditor, make_sentra(cls.cast.officer_a))
        sleman = make_sentra(cls.cast.officer_b, village=VILLAGE_B)
        cls.other_object = make_finding(cls.cast.auditor, sleman)
        for i in range(5):
            make_finding(cls.cast.auditor, sleman, title=f"Temuan {i}")


class RecommendationAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    """#13: recommendations with their follow-up status and amounts, scoped like their findings."""

    model = Recommendation
    api_basename = "api:recommendation"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_finding(cls.cast.auditor, make_sentra(cls.cast.officer_a)).recommendations.get()
        sleman = make_sentra(cls.cast.officer_b, village=VILLAGE_B)
        cls.other_object = make_finding(cls.cast.auditor, sleman).recommendations.get()
        for i in range(5):
            make_finding(cls.cast.auditor, sleman, title=f"Temuan {i}")

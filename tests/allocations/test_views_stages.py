"""Stage documents, the stages endpoint and the quarterly plan (#13): pages and API, region matrix, bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from allocations import services
from allocations.models import Allocation, QuarterlyPlan, RequiredDocument, StageDocument
from allocations.stages import stage_statuses
from allocations.testing import make_allocation, make_item, stage_rule
from dakportal.testing.cases import APIViewTestCases
from dakportal.testing.files import pdf_bytes
from sentra.testing import make_sentra

STAGE_KEYS = {"stage", "name", "amount", "disbursed", "disbursed_on", "window_start", "window_end", "conditions"}


def pdf(name: str = "perda.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def requirement(allocation: Allocation, stage: str = "Tahap I", code: str = "perda-apbd") -> RequiredDocument:
    return stage_rule(allocation, stage).documents.get(code=code)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def plan_data(**changes: Any) -> dict[str, Any]:
    data = {
        "funds_q1": 1_000_000_000, "funds_q2": 2_500_000_000, "funds_q3": 4_000_000_000, "funds_q4": 4_800_000_000,
        "physical_q1": "10", "physical_q2": "40", "physical_q3": "80", "physical_q4": "100",
    }  # fmt: skip
    return {**data, **changes}


# ---------------------------------------------------------------------------------------------------------------------
# Generated matrices for the quarterly plans endpoint
# ---------------------------------------------------------------------------------------------------------------------
class QuarterlyPlanAPITestCase(
    APIViewTestCases.List, APIViewTestCases.Retrieve, APIViewTestCases.Create, APIViewTestCases.Update
):
    model = QuarterlyPlan
    wrong_role = None  # every role reads allocations
    api_basename = "api:quarterlyplan"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        own = make_allocation(cls.cast.ministry_staff, regency="32.73")
        other = make_allocation(cls.cast.ministry_staff, regency="34.04")
        cls.own_object = services.save_quarterly_plan(
            QuarterlyPlan(allocation=own, **plan_data()), acting_user=cls.cast.officer_a
        )
        cls.other_object = services.save_quarterly_plan(
            QuarterlyPlan(allocation=other, **plan_data()), acting_user=cls.cast.officer_b
        )
        new_own = make_allocation(cls.cast.ministry_staff, regency="32.73", year=2020)
        new_other = make_allocation(cls.cast.ministry_staff, regency="34.04", year=2020)
        cls.create_data = {"allocation": new_own.pk, **plan_data()}
        cls.other_region_data = {"allocation": new_other.pk, **plan_data()}
        cls.update_data = {"funds_q1": 1_200_000_000}


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


# ---------------------------------------------------------------------------------------------------------------------
# Stage documents: upload, verify, reject, the scoped file
# ---------------------------------------------------------------------------------------------------------------------
def test_the_region_uploads_and_the_ministry_verifies_on_the_pages(client: Client, cast: Any, tmp_path: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    perda = requirement(allocation)
    client.force_login(cast.officer_a)
    url = reverse("allocations:stagedocument_add", args=[allocation.pk])
    assert client.get(url, {"requirement": perda.pk}).status_code == 200
    response = client.post(
        url, {"requirement": perda.pk, "submitted_on": "2021-03-01", "upload": pdf("Perda 2021.pdf")}
    )
    assert response.status_code == 302 and response["Location"].endswith("#stages")
    document = StageDocument.objects.get()
    assert document.status == "submitted" and document.uploaded_by == cast.officer_a
    assert "Perda" not in document.file.name and document.file.name.startswith(f"stage-documents/{allocation.pk}/")
    assert client.get(reverse("allocations:stagedocument_file", args=[document.pk])).status_code == 200
    verify = reverse("allocations:stagedocument_verify", args=[document.pk])
    assert client.get(verify).status_code == 403  # the region does not verify its own documents

    client.force_login(cast.officer_b)
    assert client.get(reverse("allocations:stagedocument_file", args=[document.pk])).status_code == 404
    assert client.get(url).status_code == 404

    english(client).force_login(cast.ministry_staff)
    response = client.post(verify, {"decision": "reject", "reason": "", "version": document.version})
    assert response.status_code == 400 and "Say why the document is rejected." in response.content.decode()
    document.refresh_from_db()
    assert document.status == "submitted"
    response = client.post(verify, {"decision": "verify", "decided_on": "2021-03-04", "version": document.version})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.decided_by, document.decided_on) == ("verified", cast.ministry_staff,
                                                                          date(2021, 3, 4))  # fmt: skip
    assert document.decided_at is not None
    page = english(client).get(allocation.get_absolute_url()).content.decode()
    assert "Verified</span>" in page and "Ministry, 4 Mar 2021" in page


def test_a_forged_file_or_a_document_of_another_year_is_refused(client: Client, cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    client.force_login(cast.officer_a)
    url = reverse("allocations:stagedocument_add", args=[allocation.pk])
    forged = SimpleUploadedFile("perda.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = english(client).post(url, {"requirement": requirement(allocation).pk, "upload": forged})
    assert response.context["form"].non_field_errors() == ["The file's content is not JPEG, PNG, PDF."]
    other_year = make_allocation(cast.ministry_staff, year=2019)
    response = client.post(url, {"requirement": requirement(other_year).pk, "upload": pdf()})
    assert response.status_code == 200 and "requirement" in response.context["form"].errors
    assert not StageDocument.objects.exists()


def test_the_documents_api_uploads_verifies_and_rejects(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    other = make_allocation(cast.ministry_staff, regency="34.04")
    officer = api(cast.officer_a)
    body = {"allocation": allocation.pk, "requirement": requirement(allocation).pk, "file": pdf(),
            "submitted_on": "2021-03-01"}  # fmt: skip
    response = officer.post("/api/v1/stage-documents/", body, format="multipart")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["stage"] == "tahap-1"
    assert created["download"] == f"/allocations/documents/{created['id']}/file/"
    refused = officer.post(
        "/api/v1/stage-documents/",
        {"allocation": other.pk, "requirement": requirement(other).pk, "file": pdf()},
        format="multipart",
    )
    assert refused.status_code == 400 and "allocation" in refused.json()
    url = f"/api/v1/stage-documents/{created['id']}/"
    assert officer.post(url + "verify/", {"version": 1}, format="json").status_code == 403
    assert api(cast.officer_b).get(url).status_code == 404
    ministry = api(cast.ministry_staff)
    response = ministry.post(url + "reject/", {"version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json() == {"reason": ["Say why the document is rejected."]}
    assert ministry.post(url + "verify/", {"version": 7}, format="json").status_code == 409
    response = ministry.post(url + "verify/", {"version": 1, "decided_on": "2021-03-05"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    assert response.json()["decided_by"] == str(cast.ministry_staff)
    again = ministry.post(url + "reject/", {"version": 2, "reason": "Salah"}, format="json")
    assert again.status_code == 400  # decided already


# ---------------------------------------------------------------------------------------------------------------------
# GET allocations/<id>/stages/
# ---------------------------------------------------------------------------------------------------------------------
def test_the_stages_endpoint_answers_the_contracts_shape(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=4_000_000_000)
    other = make_allocation(cast.ministry_staff, regency="34.04")
    response = api(cast.officer_a).get(f"/api/v1/allocations/{allocation.pk}/stages/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    stages = response.json()
    assert [s["stage"] for s in stages] == ["tahap-1", "tahap-2", "tahap-3"]
    assert all(set(s) == STAGE_KEYS for s in stages)
    first = stages[0]
    assert (first["name"], first["amount"], first["disbursed"], first["disbursed_on"]) == ("Tahap I", 1_000_000_000, 0,
                                                                                          None)  # fmt: skip
    assert (first["window_start"], first["window_end"]) == ("2021-02-01", "2021-07-31")
    assert all(set(c) == {"code", "label", "met", "reason"} for s in stages for c in s["conditions"])
    plan = next(c for c in first["conditions"] if c["code"] == "plan")
    assert plan == {"code": "plan", "label": "Activity plan (RK) approved by the ministry", "met": False,
                    "reason": "the activity plan is not approved"}  # fmt: skip
    assert api(cast.officer_a).get(f"/api/v1/allocations/{other.pk}/stages/").status_code == 404
    assert APIClient().get(f"/api/v1/allocations/{allocation.pk}/stages/").status_code == 401
    schema = api(cast.analyst).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/allocations/{id}/stages/"]["get"]
    assert set(operation["responses"]) >= {"200", "404"}


# ---------------------------------------------------------------------------------------------------------------------
# The quarterly plan: page, bad input, lock, plan against actual
# ---------------------------------------------------------------------------------------------------------------------
def test_the_quarterly_plan_refuses_falling_or_excessive_targets(client: Client, cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=5_000_000_000)
    english(client).force_login(cast.officer_a)
    url = reverse("allocations:quarterlyplan_edit", args=[allocation.pk])
    response = client.post(url, plan_data(funds_q2=900_000_000, funds_q4=5_000_000_001, physical_q3="30",
                                          physical_q4="101"))  # fmt: skip
    errors = response.context["form"].errors
    assert response.status_code == 200 and not QuarterlyPlan.objects.exists()
    assert errors["funds_q2"] == [
        "The funds are cumulative: quarter 2 cannot plan less than the quarter before (Rp 1.000.000.000)."
    ]
    assert errors["funds_q4"] == ["Rp 5.000.000.001 is more than the pagu (Rp 5.000.000.000)."]
    assert errors["physical_q3"] == [
        "Physical progress is cumulative: quarter 3 cannot plan less than the quarter before (40,00%)."
    ]
    assert "physical_q4" in errors
    assert client.post(url, plan_data()).status_code == 302
    assert client.post(url, plan_data(funds_q1=1_100_000_000, version=1)).status_code == 302
    assert QuarterlyPlan.objects.get().funds_q1 == 1_100_000_000  # the same page edits the plan
    client.force_login(cast.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.analyst)
    assert client.get(url).status_code == 403


def test_the_quarterly_plan_is_locked_with_the_activity_plan(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a))
    plan = services.save_quarterly_plan(QuarterlyPlan(allocation=allocation, **plan_data()), acting_user=cast.officer_a)
    services.submit_plan(allocation, acting_user=cast.officer_a)
    response = api(cast.officer_a).patch(
        f"/api/v1/quarterly-plans/{plan.pk}/", {"funds_q1": 5, "version": plan.version}, format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400 and "can change only after the ministry returns it" in str(response.json())


def test_the_page_flags_a_quarter_more_than_ten_points_behind(client: Client, cast: Any) -> None:
    from allocations.testing import disburse, realise

    allocation = make_allocation(cast.ministry_staff, amount=5_000_000_000)
    services.save_quarterly_plan(
        QuarterlyPlan(allocation=allocation, **plan_data(funds_q1=1_250_000_000, physical_q1="20")),
        acting_user=cast.officer_a,
    )
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_250_000_000)
    realise(cast.officer_a, allocation, 1, 500_000_000, "15")  # 10% of the pagu against 25% planned
    client.force_login(cast.officer_a)
    response = client.get(allocation.get_absolute_url())
    quarters = response.context["progress"]
    assert [q.behind for q in quarters] == [True, False, False, False]
    assert (quarters[0].plan, quarters[0].actual) == (25, 10)
    assert response.context["chart"]["behind"] == [True, False, False, False]
    assert 'data-testid="behind"' in response.content.decode()
    rows = api(cast.analyst).get("/api/v1/reports/absorption/?group_by=regency").json()["rows"]
    assert [(r["group"], r["behind_plan"]) for r in rows] == [("Kota Bandung", 1)]
    report = Client()
    report.force_login(cast.analyst)
    assert report.get("/reports/absorption/").context["extra_charts"][0]["data"]["behind"] == [True, False, False,
                                                                                               False]  # fmt: skip


def test_tahap_i_without_a_contract_is_not_shown_as_met(client: Client, cast: Any) -> None:
    """#13: "Tahap I shows terpenuhi on an allocation with no contract"."""
    allocation = make_allocation(cast.ministry_staff)
    english(client).force_login(cast.officer_a)
    response = client.get(allocation.get_absolute_url())
    first = response.context["stages"][0]
    assert not first.conditions_met and "no contract is recorded" in first.reasons
    assert not stage_statuses(allocation)[0].conditions_met


def test_the_disbursement_page_refuses_a_stage_before_its_window_beside_the_field(client: Client, cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    english(client).force_login(cast.ministry_staff)
    url = reverse("allocations:disbursement_add", args=[allocation.pk])
    rule = stage_rule(allocation, "Tahap II")
    response = client.post(url, {"rule": rule.pk, "amount": "100000000", "date": "2021-03-20"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["date"] == ["Tahap II may be disbursed from 1 Apr 2021."]
    assert errors["rule"][0].startswith("Tahap II needs these documents verified by the ministry by 20 Mar 2021:")
    assert not allocation.disbursements.exists()
    other_year = stage_rule(make_allocation(cast.ministry_staff, year=2020), "Tahap I")
    response = client.post(url, {"rule": other_year.pk, "amount": "1", "date": "2021-03-20"})
    assert "rule" in response.context["form"].errors  # not one of this allocation's stages

"""#12: an allocation's parts through the API: activity-items/ (the plan, by reference codes of the allocation's
year) with the plan's submit, approve and return actions, contracts/, disbursements/, and the reference data:
reference-items/ (with the years each code applies to) and fiscal-years/ (with their disbursement rules)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from allocations.models import ActivityItem, Contract, Disbursement
from allocations.testing import disburse, make_allocation, make_contract, make_item
from dakportal.testing.cases import APIViewTestCases
from sentra.testing import VILLAGE_B, make_sentra


class AllocationParts(APIViewTestCases.Base):
    wrong_role = None  # every role reads allocations

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ministry = cls.cast.ministry_staff
        cls.bandung, cls.sleman = make_allocation(ministry, regency="32.73"), make_allocation(ministry, regency="34.04")
        cls.bandung_sentra = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        cls.sleman_sentra = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.own_item = make_item(cls.cast.officer_a, cls.bandung, cls.bandung_sentra)
        cls.other_item = make_item(cls.cast.officer_b, cls.sleman, cls.sleman_sentra)
        for _i in range(4):
            make_item(cls.cast.officer_b, cls.sleman, cls.sleman_sentra, volume="1", unit_cost=1_000_000)


class ActivityItemAPITestCase(AllocationParts, APIViewTestCases.Full):
    model = ActivityItem
    api_basename = "api:activityitem"
    update_data = {"volume": 50}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object, cls.other_object = cls.own_item, cls.other_item
        line = {"menu": "revitalisasi", "detail": "mesin", "unit": "paket", "volume": 2, "unit_cost": 150_000_000}
        cls.create_data = line | {"allocation": cls.bandung.pk, "sentra": cls.bandung_sentra.pk}
        cls.other_region_data = line | {"allocation": cls.sleman.pk, "sentra": cls.sleman_sentra.pk}

    def test_a_line_is_written_with_the_codes_of_the_allocations_year(self) -> None:
        response = self.api(self.cast.officer_a).post(self.list_url(), self.create_data, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["menu"], body["detail"], body["unit"], body["year"]) == ("revitalisasi", "mesin", "paket", 2021)
        assert body["value"] == 300_000_000 and body["volume"] == 2.0
        item = ActivityItem.objects.get(pk=body["id"])
        assert item.menu.year == item.detail.year == item.unit.year == 2021
        response = self.api(self.cast.officer_a).post(
            self.list_url(), self.create_data | {"detail": "kapal"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400 and response.json() == {
            "detail": ["kapal is not in this year's reference list."]
        }

    def test_the_plan_is_submitted_approved_or_returned_through_the_services(self) -> None:
        officer, ministry = self.api(self.cast.officer_a), self.api(self.cast.ministry_staff)
        url = f"/api/v1/allocations/{self.bandung.pk}/plan/"
        assert officer.post(url + "approve/").status_code == 403  # deciding is the ministry's
        assert self.api(self.cast.officer_b).post(url + "submit/").status_code == 404  # another region
        response = officer.post(url + "submit/")
        assert response.status_code == 200 and response.json()["plan_status"] == "submitted", response.content
        item = self.detail_url(self.own_item)
        version = officer.get(item).json()["version"]
        assert officer.patch(item, {"volume": 3, "version": version}, format="json").status_code == 400  # locked
        response = ministry.post(url + "return/", {"reason": ""}, format="json")
        assert response.status_code == 400 and "reason" in response.json()
        response = ministry.post(url + "return/", {"reason": "Volume mesin terlalu besar"}, format="json")
        assert response.json()["plan_status"] == "returned"
        assert response.json()["plan_return_reason"] == "Volume mesin terlalu besar"
        assert officer.post(url + "submit/").json()["plan_status"] == "submitted"
        assert ministry.post(url + "approve/").json()["plan_status"] == "approved"
        assert ministry.post(url + "approve/").status_code == 400  # only a submitted plan


class ContractAPITestCase(
    AllocationParts,
    APIViewTestCases.List,
    APIViewTestCases.Retrieve,
    APIViewTestCases.Create,
    APIViewTestCases.Update,
):
    model = Contract
    api_basename = "api:contract"
    update_data = {"supplier": "CV Maju Jaya"}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_contract(cls.cast.officer_a, cls.bandung, 100_000_000)
        cls.other_object = make_contract(cls.cast.officer_b, cls.sleman, 100_000_000)
        contract = {"number": "027/9", "date": "2021-04-01", "supplier": "CV Uji", "value": 50_000_000}
        cls.create_data = contract | {"allocation": cls.bandung.pk}
        cls.other_region_data = contract | {"allocation": cls.sleman.pk}

    def test_a_contract_above_the_plan_is_refused_and_a_wrong_one_is_voided(self) -> None:
        api = self.api(self.cast.officer_a)
        response = api.post(self.list_url(), self.create_data | {"value": 5_000_000_000}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["value"]
        url = self.detail_url(self.own_object)
        version = api.get(url).json()["version"]
        response = api.post(url + "void/", {"reason": "Nomor salah", "version": version}, format="json")
        assert response.status_code == 200 and response.json()["void_reason"] == "Nomor salah"
        assert api.get(self.list_url(), {"voided": "true"}).json()["count"] == 1
        history = api.get(url + "history/").json()["results"]  # the accountable record (#9) of a new endpoint
        assert [event["action"] for event in history] == ["update", "create"]
        assert history[0]["reason"] == "Nomor salah" and history[0]["changes"]["void_reason"][1] == "Nomor salah"
        assert self.api(self.cast.officer_b).get(url + "history/").status_code == 404


class DisbursementAPITestCase(AllocationParts, APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = Disbursement
    api_basename = "api:disbursement"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = disburse(cls.cast.ministry_staff, cls.bandung, "Tahap I", 1_250_000_000)
        cls.other_object = disburse(cls.cast.ministry_staff, cls.sleman, "Tahap I", 1_250_000_000)

    def test_the_ministry_records_a_disbursement_and_a_region_may_not(self) -> None:
        """#12 with #13: the stage by its code in the allocation's year; refused with the reasons of #13."""
        from allocations.testing import provide_documents, stage_rule

        rule = stage_rule(self.bandung, "Tahap II")
        data = {"allocation": self.bandung.pk, "stage": rule.code, "amount": 2_250_000_000, "date": "2021-07-01"}
        assert self.api(self.cast.officer_a).post(self.list_url(), data, format="json").status_code == 403
        response = self.api(self.cast.ministry_staff).post(self.list_url(), data | {"stage": "tahap-9"}, format="json")
        assert response.status_code == 400 and "stage" in response.json()
        response = self.api(self.cast.ministry_staff).post(self.list_url(), data, format="json")
        assert response.status_code == 400  # its documents are not verified, its absorption not reached
        provide_documents(self.cast.ministry_staff, self.bandung, rule, date(2021, 6, 30))
        listed = self.api(self.cast.ministry_staff).get(self.list_url(), {"allocation": self.bandung.pk}).json()
        assert listed["results"][0]["stage"] == "tahap-1" and "conditions" in listed["results"][0]


pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def test_reference_items_carry_the_years_their_code_applies_to(cast: Any) -> None:
    api = client(cast.officer_a)
    body = api.get("/api/v1/reference-items/", {"kind": "sub_field", "year": 2021, "code": "revitalisasi"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "Revitalisasi Sentra IKM" and row["year"] == 2021
    assert row["years"][0] == 2016 and 2021 in row["years"] and row["years"] == sorted(row["years"])
    csv = b"".join(api.get("/api/v1/reference-items/", {"format": "csv", "kind": "unit"}).streaming_content)
    assert csv.decode("utf-8-sig").splitlines()[0] == "id,kind,year,code,name,source,years"


def test_fiscal_years_carry_their_disbursement_rules(cast: Any) -> None:
    api = client(cast.analyst)
    year = api.get("/api/v1/fiscal-years/2021/").json()
    assert year["single_payment_max"] == 1_000_000_000
    staged = [rule for rule in year["rules"] if not rule["single_payment"]]
    assert [(r["name"], r["share_percent"], r["min_absorption_percent"]) for r in staged] == [
        ("Tahap I", 25.0, None), ("Tahap II", 45.0, 75.0), ("Tahap III", None, 90.0)]  # fmt: skip
    quarterly = api.get("/api/v1/fiscal-years/2016/").json()
    assert [r["share_percent"] for r in quarterly["rules"]] == [30.0, 25.0, 25.0, 20.0]
    assert api.get("/api/v1/fiscal-years/", {"page_size": 1000}).json()["count"] >= 6
    assert api.get("/api/v1/fiscal-years/1999/").status_code == 404

"""#12: one shape to read and to write. What a client reads it can send back unchanged (every editable endpoint,
generated from the URL configuration); related records by their natural code, former region codes accepted in
writes and filters and answered with today's; a read-only or unknown field is a 400 naming it; a suspicious but
allowed value is saved and answered with `warnings`."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from rest_framework.test import APIClient

from allocations import services
from allocations.models import Allocation, QuarterlyPlan
from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
from dakportal.accounts.models import User
from dakportal.api.root import list_endpoints
from dakportal.regions.models import Village
from monev.testing import make_assignment, make_finding, make_report, make_team, make_visit
from sentra.models import Sentra
from sentra.testing import make_facility, make_sentra, make_unit

pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def editable_endpoints() -> list[tuple[str, str]]:
    """(list URL name, detail URL name) of every endpoint that takes a PUT."""
    found = []
    for endpoint in list_endpoints():
        if endpoint.arguments:
            continue
        detail = endpoint.url_name.removesuffix("-list") + "-detail"
        try:
            func = resolve(reverse(detail, args=[1])).func
        except NoReverseMatch:
            continue
        allowed = getattr(func.cls, "http_method_names", ["put"])  # type: ignore[attr-defined]
        if "put" in func.actions and "put" in allowed:  # type: ignore[attr-defined]
            found.append((endpoint.url_name, detail))
    return found


EDITABLE = editable_endpoints()


@pytest.fixture
def one_of_each(cast: Any) -> None:
    officer, ministry = cast.officer_a, cast.ministry_staff
    sentra = make_sentra(officer, name="Sentra Bolak-balik")
    make_unit(officer, sentra)
    make_facility(officer, sentra, description="Gedung produksi")
    allocation = make_allocation(ministry)
    make_item(officer, allocation, sentra)
    make_contract(officer, allocation, 100_000_000)
    disburse(ministry, allocation, "Tahap I", 1_000_000_000)
    realise(officer, allocation, 1, 10_000_000, "5")
    make_report(officer, sentra)
    make_finding(cast.auditor, sentra)
    team = make_team()
    make_visit(team.lead, make_assignment(team, [sentra]), sentra)  # #13
    draft = make_allocation(ministry, year=2022)  # #13: a quarterly plan, on an activity plan still a draft
    services.save_quarterly_plan(QuarterlyPlan(allocation=draft, funds_q1=0), acting_user=ministry)


def test_the_generated_list_covers_the_editable_endpoints() -> None:
    names = {name for name, _detail in EDITABLE}
    assert {"api:sentra-list", "api:allocation-list", "api:monevreport-list", "api:finding-list"} <= names, names


@pytest.mark.parametrize(("list_name", "detail_name"), EDITABLE, ids=[name for name, _ in EDITABLE])
def test_what_a_client_reads_it_can_send_back(list_name: str, detail_name: str, cast: Any, one_of_each: None) -> None:
    # #13: a visit report is written by its team only (not even a superuser), as its lead
    editor = User.objects.get(username="tim.ketua") if list_name == "api:visit-list" else cast.superuser
    api = client(editor)
    first = api.get(reverse(list_name), {"page_size": 1}).json()["results"][0]
    url = reverse(detail_name, args=[first["id"]])
    read = api.get(url).json()
    response = api.put(url, read, format="json")
    assert response.status_code == 200, response.content
    again = api.get(url).json()
    assert response.json()["version"] == read["version"] + 1
    response = api.patch(url, again, format="json")
    assert response.status_code == 200, response.content
    unchanged = {key for key in read if key not in ("version", "last_updated", "warnings")}
    assert {key: response.json()[key] for key in unchanged} == {key: read[key] for key in unchanged}


# ---------------------------------------------------------------------------------------------------------------------
# Natural codes and former codes
# ---------------------------------------------------------------------------------------------------------------------
def test_an_allocation_is_written_with_codes_and_a_former_code_is_answered_with_todays(cast: Any) -> None:
    api = client(cast.ministry_staff)
    data = {"year": 2021, "regency": "91.01", "sub_field": "revitalisasi", "amount": 2_000_000_000}
    response = api.post("/api/v1/allocations/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["regency"] == "93.01" and body["regency_code_then"] == "91.01" and body["sub_field"] == "revitalisasi"
    assert Allocation.objects.get(pk=body["id"]).sub_field.year == 2021  # the sub-field of the allocation's year
    # The same code in another year is that year's sub-field.
    response = api.post("/api/v1/allocations/", data | {"year": 2019, "regency": "9301"}, format="json")
    assert response.status_code == 201 and Allocation.objects.get(pk=response.json()["id"]).sub_field.year == 2019


def test_a_sentra_under_a_former_kabkota_code_is_found_by_its_former_and_current_codes(cast: Any) -> None:
    village = Village.objects.filter(code__startswith="93.01.").order_by("code").first()
    assert village is not None
    api = client(cast.ministry_staff)
    data = {"name": "Sentra Merauke", "village": "91.01" + village.code[5:], "commodity_group": "pangan",
            "kbli": "10710", "unit_count": 6}  # fmt: skip
    response = api.post("/api/v1/sentra/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["village"] == village.code and response.json()["regency"] == "93.01"
    make_sentra(cast.officer_a, name="Sentra Bandung")
    for code in ("91.01", "93.01", "9301"):
        names = [row["name"] for row in api.get("/api/v1/sentra/", {"regency": code}).json()["results"]]
        assert names == ["Sentra Merauke"], code
    assert [r["regency"] for r in api.get("/api/v1/allocations/", {"regency": "91.01"}).json()["results"]] == []


def test_an_unknown_or_foreign_code_is_a_400_naming_the_field(cast: Any) -> None:
    api = client(cast.ministry_staff)
    response = api.get("/api/v1/sentra/", {"regency": "99.99"})
    assert response.status_code == 400 and list(response.json()) == ["regency"]
    data = {"year": 2021, "regency": "99.99", "sub_field": "revitalisasi", "amount": 2_000_000_000}
    response = api.post("/api/v1/allocations/", data, format="json")
    assert response.status_code == 400 and response.json() == {"regency": ["99.99 is not a code you can choose."]}
    response = api.post("/api/v1/allocations/", data | {"regency": ["32.73"]}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["regency"]
    officer = client(cast.officer_a)
    response = officer.get("/api/v1/sentra/", {"regency": "34.04"})
    assert response.status_code == 400 and list(response.json()) == ["regency"]


# ---------------------------------------------------------------------------------------------------------------------
# Read-only and unknown fields
# ---------------------------------------------------------------------------------------------------------------------
def test_a_changed_read_only_field_or_an_unknown_field_is_a_400_naming_it(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    api, url = client(cast.officer_a), f"/api/v1/sentra/{sentra.pk}/"
    version = api.get(url).json()["version"]
    response = api.patch(url, {"regency": "34.04", "is_idle": True, "version": version}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"regency", "is_idle"}, response.content
    response = api.patch(url, {"is_idle": False, "regency": "32.73", "workers": 7, "version": version}, format="json")
    assert response.status_code == 200, response.content  # sent as they are: ignored
    allocation = make_allocation(cast.ministry_staff)
    response = client(cast.ministry_staff).patch(
        f"/api/v1/allocations/{allocation.pk}/", {"sub_field_id": 1, "colour": "red", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "sub_field_id": ["Unknown field: send `sub_field` instead."],
        "colour": ["Unknown field."],
    }
    assert Sentra.objects.get(pk=sentra.pk).workers == 7


# ---------------------------------------------------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------------------------------------------------
def test_a_likely_unit_slip_is_saved_and_answered_with_a_warning(cast: Any) -> None:
    """The import's "likely a unit slip" for Rp 5 applies to the API too: one rule (`Allocation.get_warnings`)."""
    api = client(cast.ministry_staff)
    data = {"year": 2021, "regency": "32.73", "sub_field": "revitalisasi", "amount": 5}
    response = api.post("/api/v1/allocations/", data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert [w["field"] for w in body["warnings"]] == ["amount"] and "Rp 5 is very small" in body["warnings"][0][
        "message"
    ]
    response = api.patch(f"/api/v1/allocations/{body['id']}/", {"amount": 5_000_000_000, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["warnings"] == []
    assert "warnings" not in api.get(f"/api/v1/allocations/{body['id']}/").json()  # reads stay as they were


def test_a_sentra_below_five_members_is_saved_with_a_warning(cast: Any) -> None:
    data = {"name": "Sentra Kecil", "village": "32.73.01.1001", "commodity_group": "pangan", "kbli": "10710",
            "unit_count": 3}  # fmt: skip
    response = client(cast.officer_a).post("/api/v1/sentra/", data, format="json")
    assert response.status_code == 201 and [w["field"] for w in response.json()["warnings"]] == ["unit_count"]

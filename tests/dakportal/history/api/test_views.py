"""#9: the history through the API: `<resource>/{id}/history/` and the feed `history/`, scoped like everything
else; versions on every write; 409 with `blocked_by` instead of a cascade; voiding money records."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from allocations.models import Allocation, Realisation
from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
from dakportal.history.models import Event
from sentra.testing import VILLAGE_B, make_sentra, make_unit

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.app_label != "history"}


def test_a_pagu_change_is_in_the_objects_history_with_the_users_name(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    client = api(cast.ministry_staff)
    url = f"/api/v1/allocations/{allocation.pk}/"
    response = client.patch(url, {"amount": 5_500_000_000, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    history = client.get(url + "history/").json()
    event = history["results"][0]
    assert set(event) >= {"id", "at", "user", "action", "model", "object_id", "object", "changes", "reason"}
    assert event["user"] == "ministry" and event["action"] == "update" and event["source"] == "api"
    assert event["model"] == "allocations.allocation" and event["object_id"] == str(allocation.pk)
    assert event["changes"]["amount"] == [5_000_000_000, 5_500_000_000]
    assert history["results"][-1]["action"] == "create"


def test_the_feed_filters_and_exports_and_is_scoped(cast: Any) -> None:
    own = make_sentra(cast.officer_a, name="Sentra Bandung")
    other = make_sentra(cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
    make_unit(cast.officer_a, own)
    officer = api(cast.officer_a).get("/api/v1/history/").json()
    assert {e["regency"] for e in officer["results"]} == {"32.73"}  # never another region's changes
    assert all(e["model"] != "accounts.user" for e in officer["results"])  # nor accounts
    assert api(cast.officer_a).get(f"/api/v1/sentra/{other.pk}/history/").status_code == 404

    auditor = api(cast.auditor)
    feed = auditor.get("/api/v1/history/", {"model": "sentra.sentra", "action": "create"}).json()
    assert {e["object"] for e in feed["results"]} >= {"Sentra: Sentra Bandung", "Sentra: Sentra Sleman"}
    assert auditor.get("/api/v1/history/", {"user": "officer_b", "regency": "3404"}).json()["count"] >= 1
    assert auditor.get("/api/v1/history/", {"since": "2999-01-01"}).json()["count"] == 0
    assert auditor.get("/api/v1/history/", {"until": "2000-01-01"}).json()["count"] == 0
    assert auditor.get("/api/v1/history/", {"since": "kemarin"}).status_code == 400
    response = auditor.get("/api/v1/history/", {"format": "csv", "regency": "32.73"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows and {r["regency"] for r in rows} == {"32.73"} and "changes" in rows[0]


def test_nobody_can_change_the_history(cast: Any) -> None:
    make_sentra(cast.officer_a)
    event = Event.objects.first()
    client = api(cast.superuser)
    assert client.delete(f"/api/v1/history/{event.pk}/").status_code == 405
    assert client.patch(f"/api/v1/history/{event.pk}/", {"reason": "x"}, format="json").status_code == 405
    assert client.post("/api/v1/history/", {}, format="json").status_code == 405


@pytest.mark.parametrize("size", [10, 1000])
def test_the_history_endpoints_run_a_fixed_number_of_queries(
    cast: Any, size: int, django_assert_num_queries: Any
) -> None:
    sentra = make_sentra(cast.officer_a)
    for index in range(15):
        make_unit(cast.officer_a, sentra, nib=f"91200000000{index:02d}")
    client = api(cast.officer_a)
    client.get("/api/v1/history/")  # warm the user's scope
    with django_assert_num_queries(2):  # count, page
        assert len(client.get("/api/v1/history/", {"page_size": size}).json()["results"]) == min(size, 17)
    with django_assert_num_queries(3):  # the object in scope, count, page
        client.get(f"/api/v1/sentra/{sentra.pk}/history/", {"page_size": size})


def test_a_delete_that_others_depend_on_answers_409_and_changes_nothing(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    make_contract(cast.officer_a, allocation, 500_000_000)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000)
    realise(cast.officer_a, allocation, 1, 400_000_000, "20")
    before = row_counts()
    response = api(cast.ministry_staff).delete(f"/api/v1/allocations/{allocation.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["blocked_by"] == {
        "activity_items": 1, "contracts": 1, "disbursements": 1, "realisations": 1,
        "stage_documents": 4,  # #13: Tahap I's documents, verified before its disbursement
    }  # fmt: skip
    assert "detail" in body
    response = api(cast.officer_a).delete(f"/api/v1/sentra/{sentra.pk}/")
    assert response.status_code == 409 and body["detail"]
    assert row_counts() == before

    empty = make_allocation(cast.ministry_staff, year=2020)
    assert api(cast.ministry_staff).delete(f"/api/v1/allocations/{empty.pk}/").status_code == 204
    deleted = Event.objects.get(model="allocations.allocation", object_id=str(empty.pk), action="delete")
    assert deleted.username == "ministry" and deleted.changes["amount"] == [5_000_000_000, None]


def test_a_wrong_realisation_is_voided_with_a_reason_and_leaves_the_totals(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000)
    realisation = realise(cast.officer_a, allocation, 1, 400_000_000, "20")
    client = api(cast.officer_a)
    url = f"/api/v1/realisations/{realisation.pk}/void/"
    assert client.post(url, {"version": 1}, format="json").status_code == 400  # a reason is required
    assert client.post(url, {"reason": "Salah input", "version": 9}, format="json").status_code == 409
    response = client.post(url, {"reason": "Salah input", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["void_reason"] == "Salah input"
    assert response.json()["voided_at"] and response.json()["version"] == 2
    assert Allocation.objects.with_totals().get(pk=allocation.pk).spent == 0  # out of every total
    assert Realisation.all_objects.filter(pk=realisation.pk).exists()  # but still on record
    assert client.get(f"/api/v1/realisations/{realisation.pk}/").json()["void_reason"] == "Salah input"
    patch = client.patch(f"/api/v1/realisations/{realisation.pk}/", {"spent": 1, "version": 2}, format="json")
    assert patch.status_code == 400  # a voided record is final
    event = Event.objects.filter(model="allocations.realisation", object_id=str(realisation.pk)).latest("id")
    assert event.reason == "Salah input" and event.changes["void_reason"] == ["", "Salah input"]
    # The quarter can be reported again, correctly.
    assert realise(cast.officer_a, allocation, 1, 300_000_000, "20").pk != realisation.pk


def test_the_history_masks_personal_data_like_the_record_does(cast: Any) -> None:
    from sentra.testing import VALID_NIK

    unit = make_unit(cast.officer_a, make_sentra(cast.officer_a))
    url = f"/api/v1/history/?model=sentra.ikmunit&object_id={unit.pk}"
    assert VALID_NIK not in str(api(cast.analyst).get(url).json())
    assert VALID_NIK not in str(api(cast.auditor).get(url).json())
    assert VALID_NIK in str(api(cast.officer_a).get(url).json())
    assert VALID_NIK in str(api(cast.ministry_staff).get(url).json())


def test_a_regional_officer_sees_the_steps_of_their_reports(cast: Any) -> None:
    from monev.testing import make_report

    make_report(cast.officer_a, make_sentra(cast.officer_a))
    feed = api(cast.officer_a).get("/api/v1/history/", {"model": "monev.reporttransition"}).json()
    assert feed["count"] == 1


def test_an_unknown_api_address_is_json(cast: Any) -> None:
    response = api(cast.analyst).get("/api/v1/contracts-yang-tidak-ada/")
    assert response.status_code == 404 and response.json()["detail"]


def test_the_feed_takes_region_codes_as_people_write_them_and_refuses_unknown_ones(cast: Any) -> None:
    make_sentra(cast.officer_a)
    client = api(cast.auditor)
    assert client.get("/api/v1/history/", {"regency": "3273"}).json()["count"] >= 1
    assert client.get("/api/v1/history/", {"province": "32"}).json()["count"] >= 1
    response = client.get("/api/v1/history/", {"regency": "Kota Bandung"})
    assert response.status_code == 400 and "regency" in response.json()

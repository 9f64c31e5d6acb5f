"""#17.4 at entry: the plan form, the API and the form's check endpoint warn about a unit-cost outlier with the
national median and the range, and refuse it without a justification (kept with the line, in its history)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from allocations.models import ActivityItem
from allocations.testing import make_allocation, make_item, ref
from dakportal.history.models import Event
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db

JUTA = 1_000_000
PEERS = [4 * JUTA, 4 * JUTA, 4_500_000, 5 * JUTA, 3_500_000, 4 * JUTA]  # median 4 juta, range 2-6 juta
# In English here (the Indonesian comes with the translations): Accept-Language: en.
WARNING = (
    "Unit cost Rp 9.000.000 is more than 1.5 times the national median of Rp 4.000.000 (usual range Rp 2.000.000–"
    "Rp 6.000.000) for Bangunan produksi per m², TA 2021."
)
REFUSAL = WARNING + " Say why in the justification of the unit cost."
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def plan(cast: Any) -> Any:
    """Kota Bandung's plan of TA 2021, and six lines of Bangunan produksi per m² in Kab. Sleman."""
    bandung = make_allocation(cast.ministry_staff, amount=50_000 * JUTA)
    sleman = make_allocation(cast.ministry_staff, regency="34.04", amount=50_000 * JUTA)
    sentra = make_sentra(cast.officer_b, village=VILLAGE_B)
    for cost in PEERS:
        make_item(cast.ministry_staff, sleman, sentra, volume="10", unit_cost=cost)
    return bandung, make_sentra(cast.officer_a), sleman


def line(allocation: Any, sentra: Any, **values: Any) -> dict[str, Any]:
    year = allocation.year
    return {
        "menu": ref(year, "menu", "revitalisasi").pk, "detail": ref(year, "detail", "bangunan_produksi").pk,
        "sentra": sentra.pk, "volume": "2", "unit": ref(year, "unit", "m2").pk, "unit_cost": 9 * JUTA,
        "unit_cost_justification": "",
    } | values  # fmt: skip


def test_the_form_refuses_an_outlier_without_a_justification_and_keeps_it_with_one(cast: Any, plan: Any) -> None:
    bandung, sentra, _sleman = plan
    client = Client(**EN)
    client.force_login(cast.officer_a)
    url = reverse("allocations:activityitem_add", args=[bandung.pk])
    response = client.post(url, line(bandung, sentra))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="object-form"' in page and "invalid-feedback" in page
    assert all(figure in page for figure in ("Rp 9.000.000", "Rp 4.000.000", "Rp 2.000.000–Rp 6.000.000"))
    assert not bandung.activity_items.exists()

    response = client.post(url, line(bandung, sentra, unit_cost_justification="Lahan rawa, perlu tiang pancang"))
    assert response.status_code == 302
    item = bandung.activity_items.get()
    assert item.unit_cost_justification == "Lahan rawa, perlu tiang pancang"
    event = Event.objects.get(model="allocations.activityitem", object_id=str(item.pk))
    assert event.changes["unit_cost_justification"][1] == "Lahan rawa, perlu tiang pancang"


def test_the_form_carries_the_check_address_and_its_script(cast: Any, plan: Any) -> None:
    bandung, _sentra, _sleman = plan
    client = Client(**EN)
    client.force_login(cast.officer_a)
    page = client.get(reverse("allocations:activityitem_add", args=[bandung.pk])).content.decode()
    assert f'data-unit-cost-check="/allocations/{bandung.pk}/unit-cost-check/"' in page
    assert "allocations/unit-cost.js" in page and "<script>" not in page


def test_the_api_refuses_an_outlier_without_a_justification_and_answers_warnings(cast: Any, plan: Any) -> None:
    bandung, sentra, _sleman = plan
    api = APIClient(**EN)
    api.force_authenticate(cast.officer_a)
    url = reverse("api:activityitem-list")
    data = {"allocation": bandung.pk, "sentra": sentra.pk, "menu": "revitalisasi", "detail": "bangunan_produksi",
            "unit": "m2", "volume": 2, "unit_cost": 9 * JUTA}  # fmt: skip
    response = api.post(url, data, format="json")
    assert response.status_code == 400
    assert response.json() == {"unit_cost_justification": [REFUSAL]}
    assert not bandung.activity_items.exists()

    response = api.post(url, data | {"unit_cost_justification": "Lahan rawa"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit_cost_justification"] == "Lahan rawa"
    assert body["warnings"] == [{"field": "unit_cost", "message": WARNING}]

    # An ordinary cost: no warning, no justification needed.
    response = api.post(url, data | {"unit_cost": 5 * JUTA}, format="json")
    assert response.status_code == 201 and response.json()["warnings"] == []


def test_a_line_whose_cost_stands_changes_without_a_justification(cast: Any, plan: Any) -> None:
    """The median moves as other lines are entered: a line entered before keeps its warning, and its volume may
    change; a new cost is checked again."""
    bandung, sentra, sleman = plan
    first = make_item(cast.officer_a, bandung, sentra, volume="1", unit_cost=9 * JUTA, justification="Lahan rawa")
    ActivityItem.objects.filter(pk=first.pk).update(unit_cost_justification="")  # entered before the rule
    first.refresh_from_db()
    api = APIClient(**EN)
    api.force_authenticate(cast.officer_a)
    url = reverse("api:activityitem-detail", args=[first.pk])
    response = api.patch(url, {"volume": 3, "version": first.version}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["warnings"][0]["field"] == "unit_cost"
    response = api.patch(url, {"unit_cost": 9_500_000, "version": first.version + 1}, format="json")
    assert response.status_code == 400 and "unit_cost_justification" in response.json()


def english_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"  # pages speak Indonesian unless the user chose English
    return client


def check_url(allocation: Any) -> str:
    return reverse("allocations:unit_cost_check", args=[allocation.pk])


def test_the_check_endpoint_gives_the_median_range_and_warning(
    cast: Any, plan: Any, django_assert_num_queries: Any
) -> None:
    bandung, sentra, _sleman = plan
    client = english_client(cast.officer_a)
    query = {"detail": ref(2021, "detail", "bangunan_produksi").pk, "unit": ref(2021, "unit", "m2").pk}
    with django_assert_num_queries(8):  # session, user, their kab/kota and provinces, allocation, detail, unit, median
        response = client.get(check_url(bandung), query | {"unit_cost": 9 * JUTA})
    assert response.json() == {
        "peers": 6, "median": 4 * JUTA, "low": 2 * JUTA, "high": 6 * JUTA, "ratio": "2.25", "outlier": True,
        "summary": "National median of 6 other lines: Rp 4.000.000 (usual range Rp 2.000.000–Rp 6.000.000).",
        "warning": WARNING,
    }  # fmt: skip
    item = make_item(cast.officer_a, bandung, sentra, volume="1", unit_cost=5 * JUTA)
    with django_assert_num_queries(9):  # and the line being changed, left out of the median
        response = client.get(check_url(bandung), query | {"unit_cost": 5 * JUTA, "item": item.pk})
    assert (response.json()["peers"], response.json()["outlier"], response.json()["warning"]) == (6, False, "")


def test_the_check_endpoint_is_scoped_and_refuses_bad_input(cast: Any, plan: Any) -> None:
    bandung, _sentra, sleman = plan
    client = Client(**EN)
    client.force_login(cast.officer_a)
    query = {"detail": ref(2021, "detail", "bangunan_produksi").pk, "unit": ref(2021, "unit", "m2").pk}
    assert client.get(check_url(sleman), query | {"unit_cost": 1}).status_code == 404  # another kab/kota's plan
    other_line = sleman.activity_items.first()
    response = client.get(check_url(bandung), query | {"unit_cost": 1, "item": other_line.pk})
    assert response.status_code == 400 and list(response.json()) == ["item"]
    response = client.get(check_url(bandung), {"detail": "x", "unit": ref(2020, "unit", "m2").pk, "unit_cost": "-1"})
    assert response.status_code == 400 and set(response.json()) == {"detail", "unit", "unit_cost"}
    assert Client().get(check_url(bandung), query | {"unit_cost": 1}).status_code == 302  # anonymous: log in

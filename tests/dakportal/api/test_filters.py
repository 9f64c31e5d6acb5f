"""#12: the query parameters of every list endpoint, generated from the URL configuration (`list_endpoints()`, the
same list `/api/v1/` shows), so a new endpoint is covered the day it is added: an unknown parameter answers 400
naming it, `modified_after` works everywhere and a bad one is a clear 400, `ordering` takes only its fields."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIClient

from allocations.testing import make_allocation, make_item
from dakportal.api.filters import modified_fields, parse_moment
from dakportal.api.root import ListEndpoint, list_endpoints
from monev.testing import make_finding, make_report
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db

ENDPOINTS = list_endpoints()


@pytest.fixture
def records(cast: Any) -> dict[str, Any]:
    """One record of each parent a nested list needs, keyed by the URL argument that names it."""
    sentra = make_sentra(cast.officer_a, name="Sentra Filter")
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    report = make_report(cast.officer_a, sentra)
    recommendation = make_finding(cast.auditor, sentra).recommendations.get()  # #13: its follow-ups
    return {"sentra_pk": sentra.pk, "allocation_pk": allocation.pk, "report_pk": report.pk,
            "recommendation_pk": recommendation.pk}  # fmt: skip


def url(endpoint: ListEndpoint, records: dict[str, Any]) -> str:
    return endpoint.path.format(**{name: records[name] for name in endpoint.arguments})


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def test_the_generated_list_covers_the_api() -> None:
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert {"sentra", "allocations", "monev/reports", "history", "regencies"} <= names, names


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_an_unknown_query_parameter_answers_400_naming_it(
    endpoint: ListEndpoint, cast: Any, records: dict[str, Any]
) -> None:
    api = client(cast.superuser)
    response = api.get(url(endpoint, records), {"is_idle": "true", "page_size": 5})
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["is_idle"] and "Unknown query parameter" in body["is_idle"][0]
    assert "page_size" in body["is_idle"][0]  # it says what the list takes
    indonesian = APIClient()
    indonesian.force_authenticate(cast.superuser)
    assert indonesian.get(url(endpoint, records), {"is_idle": "1"}).status_code == 400


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_every_list_takes_modified_after(endpoint: ListEndpoint, cast: Any, records: dict[str, Any]) -> None:
    api, address = client(cast.superuser), url(endpoint, records)
    everything = api.get(address, {"page_size": 1000})
    assert everything.status_code == 200, everything.content
    total = everything.json()["count"]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get(address, {"modified_after": past}).json()["count"] == total
    future = api.get(address, {"modified_after": (timezone.now() + timedelta(days=1)).isoformat()}).json()
    view = resolve(address).func.cls  # type: ignore[attr-defined]
    keeps_times = bool(modified_fields(view, view.queryset.model))
    assert future["count"] == (0 if keeps_times else total)  # a reference list without times: every row
    bad = api.get(address, {"modified_after": "kemarin"})
    assert bad.status_code == 400 and list(bad.json()) == ["modified_after"], bad.content
    assert "ISO 8601" in bad.json()["modified_after"][0]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_ordering_takes_only_the_listed_fields(endpoint: ListEndpoint, cast: Any, records: dict[str, Any]) -> None:
    api, address = client(cast.superuser), url(endpoint, records)
    response = api.get(address, {"ordering": "-no_such_field"})
    assert response.status_code == 400 and list(response.json()) == ["ordering"], response.content
    assert "no_such_field" in response.json()["ordering"][0]


def test_modified_after_returns_what_changed_since(cast: Any) -> None:
    """The sync of #12: pull all, change one, pull what changed since the last pull."""
    old = make_sentra(cast.officer_a, name="Sentra Lama")
    make_sentra(cast.officer_a, name="Sentra Tetap")
    api = client(cast.analyst)
    assert api.get("/api/v1/sentra/").json()["count"] == 2
    since = timezone.now()
    officer = client(cast.officer_a)
    current = officer.get(f"/api/v1/sentra/{old.pk}/").json()
    assert officer.patch(f"/api/v1/sentra/{old.pk}/", {"workers": 12, "version": current["version"]}).status_code == 200
    changed = api.get("/api/v1/sentra/", {"modified_after": since.isoformat(), "ordering": "last_updated"}).json()
    assert [row["name"] for row in changed["results"]] == ["Sentra Lama"]


def test_a_space_for_the_plus_of_a_time_zone_is_read_as_a_plus() -> None:
    """`?modified_after=2026-01-01T00:00:00+07:00` typed unencoded: the + arrives as a space."""
    assert parse_moment("2026-01-01T00:00:00 07:00") == parse_moment("2026-01-01T00:00:00+07:00")
    assert parse_moment("2026-01-01") == parse_moment("2026-01-01T00:00:00+07:00")  # Asia/Jakarta's midnight
    assert parse_moment("0311-03-07T14:30:01.5+16:48").tzinfo is not None  # an odd offset, read in UTC (fuzz)


def test_pages_stay_lenient(client: Any, cast: Any) -> None:
    """Only the API is strict: a bookmarked page with an old parameter still opens."""
    client.force_login(cast.ministry_staff)
    assert client.get("/sentra/", {"is_idle": "true"}).status_code == 200


def test_the_summary_takes_the_filters_but_not_ordering(cast: Any) -> None:
    """#12 (found by the fuzz run): the summary is ordered by its groups; `ordering=spent` was a server error."""
    api = client(cast.analyst)
    assert api.get("/api/v1/allocations/summary/", {"group_by": "year", "regency": "91.01"}).status_code == 200
    response = api.get("/api/v1/allocations/summary/", {"ordering": "spent"})
    assert response.status_code == 400 and list(response.json()) == ["ordering"]


def test_a_huge_age_is_a_400_not_a_server_error(cast: Any) -> None:
    response = client(cast.auditor).get("/api/v1/monev/findings/", {"older_than_days": 903285810})
    assert response.status_code == 400 and list(response.json()) == ["older_than_days"]

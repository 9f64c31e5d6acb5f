"""#12: `/api/v1/` lists every list endpoint by name and URL (it listed only provinces and regencies)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from dakportal.api.root import list_endpoints

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_list_endpoint(cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.analyst)
    body = api.get("/api/v1/").json()
    expected = {
        "provinces", "regencies", "districts", "villages", "sentra", "ikm-units", "facilities", "documents",
        "sentra/{sentra_pk}/status-changes", "allocations", "realisations", "activity-items", "contracts",
        "disbursements", "reference-items", "fiscal-years", "monev/reports", "monev/reports/{report_pk}/transitions",
        "monev/findings", "monev/evidence", "notifications", "history", "jobs",
    }  # fmt: skip
    assert expected <= set(body), expected - set(body)
    assert body["sentra"] == "http://testserver/api/v1/sentra/"
    assert body["sentra/{sentra_pk}/status-changes"] == "http://testserver/api/v1/sentra/{sentra_pk}/status-changes/"
    for name, url in body.items():
        if "{" not in url:
            assert api.get(url, {"page_size": 1}).status_code == 200, name
    assert APIClient().get("/api/v1/").status_code == 401


def test_every_list_route_of_the_api_is_listed() -> None:
    """Read from the URL configuration: a list registered in any app's router is there."""
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    names = set()

    def walk(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern)
            elif (pattern.name or "").endswith("-list"):
                names.add(f"api:{pattern.name}")

    walk(api)
    assert names == {endpoint.url_name for endpoint in list_endpoints()}

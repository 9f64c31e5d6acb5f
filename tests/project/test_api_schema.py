"""#12: a schema that tells the truth. Every list endpoint of the URL configuration is documented with its filters,
`modified_after`, its ordering fields and every error response; natural-key fields say what code they take; the
introduction's Python example runs against a live portal. (The schema-driven fuzz run is test_api_fuzz.py.)"""

from __future__ import annotations

import csv
import io
import sys
import types
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve

from dakportal.api.filters import filterset_parameters
from dakportal.api.introduction import INTRODUCTION, PYTHON_EXAMPLE
from dakportal.api.root import list_endpoints
from dakportal.testing.users import make_cast

pytestmark = pytest.mark.django_db
ENDPOINTS = list_endpoints()


@pytest.fixture(scope="module")
def schema(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """The schema as the analyst reads it, generated once for the module's tests (which only read it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        client.force_login(make_cast().analyst)
        document: dict[str, Any] = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
        transaction.set_rollback(True)
    return document


def test_every_list_endpoint_is_documented_with_its_parameters_and_errors(schema: dict[str, Any]) -> None:
    problems = []
    for endpoint in ENDPOINTS:
        operation = schema["paths"].get(endpoint.path, {}).get("get")
        if operation is None:
            problems.append(f"{endpoint.path}: not in the schema")
            continue
        documented = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        view = resolve(endpoint.path.format(**{name: 1 for name in endpoint.arguments})).func.cls  # type: ignore[attr-defined]
        expected = {"modified_after", "ordering", "page", "page_size", "format"} | filterset_parameters(view, None)
        if expected - documented:
            problems.append(f"{endpoint.path}: {sorted(expected - documented)} undocumented")
        if {"400", "401", "403", "404"} - set(operation["responses"]):
            problems.append(f"{endpoint.path}: error responses missing")
    assert problems == []


def test_every_write_documents_its_conflicts(schema: dict[str, Any]) -> None:
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method in operations and path.startswith("/api/v1/") and path != "/api/v1/auth/token/":
                assert {"400", "403", "404", "409"} <= set(operations[method]["responses"]), (method, path)


def test_ordering_lists_its_fields(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/allocations/"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")
    assert {"year", "-year", "last_updated", "-last_updated"} <= set(ordering["schema"]["items"]["enum"])
    regency = next(p for p in parameters if p["name"] == "regency")
    assert regency["schema"]["type"] == "string" and "former code" in regency["description"]


def test_natural_key_fields_say_what_they_take(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    regency = components["AllocationRequest"]["properties"]["regency"]
    assert regency["type"] == "string" and "Kemendagri code" in regency["description"]
    assert "91.01" in regency["description"]
    sub_field = components["AllocationRequest"]["properties"]["sub_field"]
    assert sub_field["type"] == "string" and sub_field["example"] == "revitalisasi"
    assert "sub_field_id" not in components["AllocationRequest"]["properties"]  # #12: no id twin
    assert components["SentraRequest"]["properties"]["village"]["type"] == "string"
    assert components["ActivityItemRequest"]["properties"]["unit"]["type"] == "string"
    warnings = components["Allocation"]["properties"]["warnings"]
    assert warnings["type"] == "array" and "warnings" not in components["Allocation"].get("required", [])
    money = components["Allocation"]["properties"]["amount"]
    assert money["type"] == "integer" and components["Allocation"]["properties"]["progress"]["type"] == "number"


def test_the_introduction_covers_what_a_client_needs(schema: dict[str, Any]) -> None:
    assert schema["info"]["description"] == INTRODUCTION
    for topic in ("Authentication", "Scope", "Lists", "Incremental sync", "Errors", "pandas"):
        assert topic in INTRODUCTION, topic


@pytest.mark.usefixtures("portal_data")
def test_the_python_example_runs_against_the_portal(live_server: Any, monkeypatch: Any) -> None:
    """The introduction's example, as written, against a live portal; pandas is stood in for by the csv module
    (the portal does not depend on it), reading the same file with the same arguments."""
    from allocations.testing import make_allocation
    from dakportal.accounts.models import User

    ministry = User.objects.get(username="ditjen")
    make_allocation(ministry, regency="32.73", amount=3_000_000_000)
    make_allocation(ministry, regency="34.04", amount=2_000_000_000)

    def read_csv(buffer: io.StringIO, dtype: dict[str, Any]) -> list[dict[str, Any]]:
        return [row | {"amount": int(row["amount"])} for row in csv.DictReader(buffer)]

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=list, read_csv=read_csv))
    namespace: dict[str, Any] = {"__name__": "example"}
    exec(PYTHON_EXAMPLE.replace("http://127.0.0.1:8000", live_server.url), namespace)  # noqa: S102
    rows = namespace["allocations"](2021)
    assert sorted((row["regency"], row["amount"]) for row in rows) == [
        ("32.73", 3_000_000_000),
        ("34.04", 2_000_000_000),
    ]

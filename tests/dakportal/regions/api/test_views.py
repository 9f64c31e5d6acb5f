"""provinces/ and regencies/ endpoints and the API conventions (#2, CONTRACT.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(cast.analyst)
    return client


def test_regencies_csv_has_all_514_rows(api: APIClient) -> None:
    response = api.get("/api/v1/regencies/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 514
    assert rows[0].keys() >= {"code", "name", "kind", "province", "former_codes"}


def test_merauke_names_its_former_code(api: APIClient) -> None:
    body = api.get("/api/v1/regencies/93.01/").json()
    assert body["name"] == "Kabupaten Merauke"
    assert body["former_codes"] == ["91.01"]
    assert body["province"] == "93" and body["kind"] == "kabupaten"


def test_a_province_detail_and_list(api: APIClient) -> None:
    assert api.get("/api/v1/provinces/32/").json()["name"] == "Jawa Barat"
    body = api.get("/api/v1/provinces/").json()
    assert body["count"] == 38 and set(body) == {"count", "next", "previous", "results"}


def test_regencies_filter_by_province_search_and_ordering(api: APIClient) -> None:
    body = api.get("/api/v1/regencies/", {"province": "34", "ordering": "-name"}).json()
    assert body["count"] == 5
    names = [row["name"] for row in body["results"]]
    assert names == sorted(names, reverse=True)
    assert api.get("/api/v1/regencies/", {"q": "91.01"}).json()["results"][0]["code"] == "93.01"


def test_page_size_is_capped_at_1000(api: APIClient) -> None:
    body = api.get("/api/v1/regencies/", {"page_size": 5000}).json()
    assert len(body["results"]) == 514
    body = api.get("/api/v1/regencies/", {"page_size": 10, "page": 2}).json()
    assert len(body["results"]) == 10 and body["previous"] and body["next"]


def test_an_unknown_code_answers_404(api: APIClient) -> None:
    assert api.get("/api/v1/regencies/99.99/").status_code == 404


def test_every_endpoint_needs_credentials() -> None:
    response = APIClient().get("/api/v1/regencies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_regencies_list_runs_a_fixed_number_of_queries(api: APIClient) -> None:
    counts = []
    for size in (10, 500):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/regencies/", {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_messages_are_indonesian_by_default_and_english_on_request(api: APIClient) -> None:
    anonymous = APIClient()
    indonesian = anonymous.get("/api/v1/regencies/").json()["detail"]
    english = anonymous.get("/api/v1/regencies/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english == "Authentication credentials were not provided."
    assert indonesian != english


def test_the_regions_page_lists_filters_and_exports(client: Any, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.get("/regions/", {"province": "34"})
    assert response.status_code == 200 and "Kabupaten Sleman" in response.content.decode()
    export = client.get("/regions/", {"province": "34", "export": "csv"})
    assert len(b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()) == 6


def test_a_former_code_redirects_to_todays_regency(api: APIClient) -> None:
    response = api.get("/api/v1/regencies/91.01/")
    assert response.status_code == 301 and response["Location"] == "/api/v1/regencies/93.01/"


def test_not_found_is_in_indonesian(api: APIClient) -> None:
    assert api.get("/api/v1/regencies/99.99/").json() == {"detail": "Data tidak ditemukan."}


# ---------------------------------------------------------------------------------------------------------------------
# #12: kecamatan and desa/kelurahan
# ---------------------------------------------------------------------------------------------------------------------
def test_districts_by_regency_current_or_former_code(api: APIClient) -> None:
    body = api.get("/api/v1/districts/", {"regency": "32.73", "page_size": 1000}).json()
    assert body["count"] == 30 and {row["regency"] for row in body["results"]} == {"32.73"}
    assert (
        api.get("/api/v1/districts/", {"regency": "91.01"}).json()["count"]
        == api.get("/api/v1/districts/", {"regency": "93.01"}).json()["count"]
        > 0
    )
    assert api.get("/api/v1/districts/32.73.01/").json()["name"] == "Sukasari"
    response = api.get("/api/v1/districts/", {"regency": "99.99"})
    assert response.status_code == 400 and list(response.json()) == ["regency"]


def test_villages_by_regency_district_and_name(api: APIClient) -> None:
    body = api.get("/api/v1/villages/", {"district": "32.73.01"}).json()
    assert body["count"] == 4 and {row["district"] for row in body["results"]} == {"32.73.01"}
    row = api.get("/api/v1/villages/32.73.01.1001/").json()
    assert row == {"code": "32.73.01.1001", "name": "Sukarasa", "kind": "kelurahan", "district": "32.73.01",
                   "regency": "32.73", "active": True}  # fmt: skip
    named = api.get("/api/v1/villages/", {"regency": "32.73", "q": "sukarasa"}).json()
    assert [r["code"] for r in named["results"]] == ["32.73.01.1001"]
    former = api.get("/api/v1/villages/", {"regency": "91.01", "page_size": 1}).json()
    assert former["count"] > 0 and former["results"][0]["regency"] == "93.01"


def test_villages_csv_and_fixed_queries(api: APIClient) -> None:
    response = api.get("/api/v1/villages/", {"format": "csv", "regency": "32.73"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 151 and rows[0].keys() == {"code", "name", "kind", "district", "regency", "active"}
    counts = []
    for size in (10, 1000):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/villages/", {"regency": "32.73", "page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts == [3, 3], counts  # the code checked, the count, the rows

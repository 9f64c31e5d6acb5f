"""CSV exports written by PostgreSQL's COPY (#11): the same file as the serializer would give, row for row, with
formulas neutralised, personal data masked, a row count to check, and streamed from a connection of its own."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from rest_framework.test import APIClient

from dakportal.exports import safe_cell
from sentra.testing import VALID_NIK, make_sentra, make_unit


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def download(user: Any, url: str, **params: Any) -> tuple[Any, list[list[str]]]:
    response = api(user).get(url, {"format": "csv", **params})
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(body[1:])))


def expected(user: Any, url: str, header: list[str]) -> list[list[str]]:
    """What the per-row serializer path gives: the JSON of every page, each cell through safe_cell."""
    rows, page = [], api(user).get(url, {"page_size": 1000}).json()
    for item in page["results"]:
        row = []
        for name in header:
            value = safe_cell(item[name])
            row.append(str(value))
        rows.append(row)
    return rows


@pytest.mark.django_db
def test_the_units_file_is_the_serializers_rows_with_a_row_count(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    make_unit(cast.officer_a, sentra, business_name='=HYPERLINK("http://x")', nib="9120000000001")
    make_unit(cast.officer_a, sentra, business_name="-12.5", nib="9120000000002", products="+62 batik")
    for user in (cast.analyst, cast.officer_a):
        response, rows = download(user, "/api/v1/ikm-units/", ordering="nib")
        header, body = rows[0], rows[1:]
        assert response["X-Row-Count"] == "2"
        assert body == expected(user, "/api/v1/ikm-units/?ordering=nib", header)
    _, rows = download(cast.analyst, "/api/v1/ikm-units/", ordering="nib")
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["business_name"].startswith("'=HYPERLINK")  # a formula is text, never run
    assert dict(zip(rows[0], rows[2], strict=True))["business_name"] == "-12.5"  # a number stays a number
    assert cells["owner_nik"] == "327301**********" and VALID_NIK not in str(rows)
    assert cells["halal_certified"] in ("true", "false")
    assert "T" in cells["created"] and cells["created"].endswith("+07:00")  # local time, ISO 8601


@pytest.mark.django_db
def test_filters_and_the_region_scope_hold_in_the_file(cast: Any) -> None:
    from sentra.testing import VILLAGE_B

    make_unit(cast.officer_a, make_sentra(cast.officer_a), nib="9120000000011")
    make_unit(cast.officer_b, make_sentra(cast.officer_b, village=VILLAGE_B), nib="9120000000012")
    response, rows = download(cast.officer_a, "/api/v1/ikm-units/")
    assert response["X-Row-Count"] == "1" and [row[2] for row in rows[1:]] == ["9120000000011"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_file_streams_from_a_connection_of_its_own(portal_data: Any) -> None:
    from dakportal.accounts.models import User
    from dakportal.copy_export import CopyStream

    ditjen = User.objects.get(username="ditjen")
    sentra = make_sentra(ditjen)
    for n in range(30):
        make_unit(ditjen, sentra, nib=f"91200000001{n:02d}", business_name=f"Unit {n}")
    streams: list[CopyStream] = []
    original = CopyStream.__init__

    def spy(self: CopyStream, *args: Any) -> None:
        original(self, *args)
        streams.append(self)

    CopyStream.__init__ = spy  # type: ignore[method-assign]
    try:
        response, rows = download(ditjen, "/api/v1/ikm-units/")
    finally:
        CopyStream.__init__ = original  # type: ignore[method-assign]
    assert not streams[0].shared and streams[0].connection.closed
    assert response["X-Row-Count"] == "30" and len(rows) == 31


@pytest.mark.django_db
def test_a_queryset_no_row_can_match_gives_the_header_alone(cast: Any) -> None:
    from dakportal.copy_export import Column, copy_csv_response
    from sentra.models import IKMUnit

    response = copy_csv_response("units", IKMUnit.objects.none(), [Column("nib", "nib")])
    assert b"".join(response.streaming_content).decode() == "\ufeffnib\r\n"

"""#10: no input makes a server error; files have one door; imports cannot hold the server."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from dakportal import spreadsheets
from dakportal.testing.users import make_cast
from monev.models import MonevReport
from sentra.testing import make_sentra


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_a_nul_byte_in_a_path_or_query_is_a_400(client: Client, cast: Any) -> None:
    client.force_login(cast.ministry_staff)
    for url in ("/api/v1/reports/region/32.7%003/", "/api/v1/sentra/?q=a%00b"):
        response = client.get(url)
        assert response.status_code == 400 and "detail" in response.json()
    assert client.get("/reports/region/32.7%003/").status_code == 400
    assert client.get("/sentra/?q=%00").status_code == 400


@pytest.mark.django_db
def test_json_nested_too_deep_is_a_400(cast: Any) -> None:
    response = api(cast.ministry_staff).generic(
        "POST", "/api/v1/sentra/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400 and "detail" in response.json()
    response = api(cast.ministry_staff).generic("POST", "/api/v1/sentra/", "{bad", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_no_url_serves_uploaded_files(client: Client, cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "sentra").mkdir()
    (tmp_path / "sentra" / "secret.pdf").write_bytes(b"%PDF-1.4")
    for user in (None, cast.officer_a, cast.superuser):
        if user:
            client.force_login(user)
        assert client.get("/media/sentra/secret.pdf").status_code == 404


@pytest.mark.django_db
def test_an_import_bomb_stops_at_the_row_limit_and_a_big_file_is_refused_unread(
    cast: Any, settings: Any, monkeypatch: Any
) -> None:
    from openpyxl import Workbook

    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 50)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for index in range(5_000):
        sheet.append([f"Sentra {index}", "32.73.01.1001"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="50"):
        spreadsheets.read_table(SimpleUploadedFile("bom.xlsx", buffer.getvalue()))
    csv_bomb = ("name\n" + "x\n" * 5_000).encode()
    with pytest.raises(ValidationError, match="50"):
        spreadsheets.read_table(SimpleUploadedFile("bom.csv", csv_bomb))

    settings.IMPORT_MAX_MB = 1

    class Unread:
        name, size = "besar.csv", 1024 * 1024 + 10

        def read(self, *args: Any) -> bytes:
            raise AssertionError("a file over the limit must not be read")

    with pytest.raises(ValidationError, match="1 MB"):
        spreadsheets.read_table(Unread())


def test_the_same_report_posted_at_once_gives_one_201_and_400s_never_500(portal_data: None) -> None:
    cast = make_cast()
    sentra = make_sentra(cast.officer_a)
    body = {"sentra": sentra.pk, "period_kind": "quarter", "year": 2021, "quarter": 3}
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def post() -> None:
        client = api(cast.officer_a)
        barrier.wait()
        try:
            statuses.append(client.post("/api/v1/monev/reports/", body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 400, 400]
    assert MonevReport.objects.filter(sentra=sentra, year=2021, quarter=3).count() == 1


@pytest.mark.django_db
def test_every_api_error_is_json_in_the_users_language(cast: Any, settings: Any) -> None:
    client = api(cast.ministry_staff)
    response = client.get("/api/v1/tidak-ada/")
    assert response.status_code == 404 and response.json()["detail"] == "Data tidak ditemukan."
    response = client.delete("/api/v1/realisations/999/")
    assert response.status_code == 405 and "tidak diizinkan" in response.json()["detail"]
    assert "Invalid page" not in client.get("/api/v1/sentra/", {"page": 999}).json()["detail"]
    assert client.get("/api/v1/sentra/", {"page": 999}, HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Invalid page."
    response = client.post("/api/v1/sentra/", {"unit_count": "banyak"}, format="json")
    assert response.status_code == 400 and "is required" not in str(response.json())
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.generic("POST", "/api/v1/sentra/", "x" * 1000, content_type="application/json")
    assert response.status_code == 413 and "detail" in response.json()


@pytest.mark.django_db
def test_a_locked_out_token_request_is_a_json_429_with_retry_after(cast: Any, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    client = APIClient()
    body = {"username": "analyst", "password": "salah"}
    statuses = [client.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(3)]
    assert statuses[-1] == 429
    response = client.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 429 and response["Retry-After"] and response.json()["detail"]


@pytest.mark.django_db
def test_a_created_record_answers_with_its_computed_fields(cast: Any) -> None:
    """#10: the answer to a POST or PATCH matches its schema: totals and completeness, never null."""
    from sentra.testing import VILLAGE_A

    sentra = (
        api(cast.officer_a)
        .post(
            "/api/v1/sentra/",
            {
                "name": "Sentra Baru",
                "village": VILLAGE_A,
                "commodity_group": "pangan",
                "kbli": "10710",
                "unit_count": 6,
            },
            format="json",
        )
        .json()
    )
    assert isinstance(sentra["completeness"], int) and sentra["is_idle"] is False
    allocation = api(cast.ministry_staff).post(
        "/api/v1/allocations/", {"year": 2021, "regency": "32.73", "sub_field": "revitalisasi", "amount": 10**9},
        format="json",
    ).json()  # fmt: skip
    assert allocation["progress"] == 0 and allocation["spent"] == 0, allocation

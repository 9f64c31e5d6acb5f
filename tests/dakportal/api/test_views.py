"""The API shell (#2): tokens, schema and documentation served locally."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_token_for_good_credentials(cast: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "analyst", "password": "test-password-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/provinces/").status_code == 200


def test_bad_credentials_answer_401(cast: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "analyst", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/provinces/").status_code == 401


def test_a_missing_field_answers_400_in_the_error_shape(cast: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "analyst"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["password"]


def test_the_schema_and_the_docs_are_served_from_the_portal(cast: Any, client: Any) -> None:
    client.force_login(cast.analyst)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/regencies/{code}/" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()

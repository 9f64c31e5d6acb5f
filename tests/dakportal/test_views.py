"""The web shell (#2): login, dashboard by role, language, health probe, security headers."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_indonesian_by_default(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html and "Masuk" in html


def test_english_is_there_on_request(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Log in" in response.content.decode()


def test_the_dashboard_needs_a_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_a", "Kota Bandung"),
        ("officer_b", "Kabupaten Sleman"),
        ("provincial", "Jawa Barat"),
        ("ministry_staff", "Seluruh Indonesia"),
        ("auditor", "Seluruh Indonesia"),
        ("analyst", "Seluruh Indonesia"),
    ],
)
def test_each_role_sees_its_working_area_on_the_dashboard(client: Client, cast: Any, who: str, expected: str) -> None:
    client.force_login(getattr(cast, who))
    response = client.get("/")
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_a_regional_officer_sees_no_admin_link(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    assert reverse("admin:index") not in client.get("/").content.decode()
    client.force_login(cast.ministry_staff)
    assert reverse("admin:index") in client.get("/").content.decode()


def test_login_and_logout(client: Client, cast: Any) -> None:
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "test-password-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_gets_a_clear_message(client: Client, cast: Any) -> None:
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client: Client) -> None:
    with mock.patch("dakportal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_pages_carry_a_content_security_policy(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_static_files_are_vendored_not_from_a_cdn(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in html
    assert "https://" not in html.split("<body")[0]


@pytest.mark.django_db(transaction=False)
def test_login_is_throttled_after_repeated_failures(client: Client, cast: Any, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "test-password-123"})
    assert response.status_code == 429

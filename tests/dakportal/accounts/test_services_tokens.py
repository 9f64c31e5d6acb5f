"""API tokens that people manage (#10, item 3): named, expiring, read-only or not, revocable; only their hash is
stored; a password change or a deactivation revokes them all; the "API tokens" page and the admin."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dakportal.accounts.models import ApiToken, User
from dakportal.accounts.services import create_token, revoke_all_tokens, revoke_token
from dakportal.history.models import Event
from dakportal.testing.users import PASSWORD
from sentra.testing import VILLAGE_A

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
SENTRA = {"name": "Sentra Token", "village": VILLAGE_A, "commodity_group": "sandang", "kbli": "13134", "unit_count": 8}


def obtain(username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return APIClient().post(TOKEN_URL, {"username": username, "password": password, **extra}, format="json")


def with_token(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def token_of(key: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=hashlib.sha256(key.encode()).hexdigest())


# ---------------------------------------------------------------------------------------------------------------------
# Through the API
# ---------------------------------------------------------------------------------------------------------------------
def test_the_lifecycle_create_use_revoke(cast: Any) -> None:
    before = timezone.now()
    response = obtain("analyst", name="laporan mingguan", expires_in_days=30)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires", "name", "read_only"}
    assert body["name"] == "laporan mingguan" and body["read_only"] is False
    expires = datetime.fromisoformat(body["expires"])
    assert before + timedelta(days=30) <= expires <= timezone.now() + timedelta(days=30)
    key = body["token"]
    token = token_of(key)
    assert token.user == cast.analyst and token.last_used is None and token.prefix == key[:8]

    client = with_token(key)
    assert client.get("/api/v1/sentra/").status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None and token.last_used >= before

    assert client.delete(TOKEN_URL).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get("/api/v1/sentra/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_a_token_lasts_api_token_days_by_default(cast: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 7
    body = obtain("analyst").json()
    token = token_of(body["token"])
    assert timedelta(days=7) - timedelta(minutes=1) < token.expires - token.created <= timedelta(days=7)
    assert token.name  # a default name when none is given


def test_an_expired_token_answers_401(cast: Any) -> None:
    token, key = create_token(cast.analyst, name="lama", expires_in_days=1, acting_user=cast.analyst)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = with_token(key).get("/api/v1/sentra/")
    assert response.status_code == 401 and "detail" in response.json()


def test_an_unknown_token_and_a_malformed_header_answer_401(cast: Any) -> None:
    assert with_token("not-a-token").get("/api/v1/sentra/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Token").get("/api/v1/sentra/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Token a b").get("/api/v1/sentra/").status_code == 401


def test_an_inactive_users_token_answers_401(cast: Any) -> None:
    _token, key = create_token(cast.analyst, name="x", acting_user=cast.analyst)
    User.objects.filter(pk=cast.analyst.pk).update(is_active=False)  # past the signal: the check itself
    assert with_token(key).get("/api/v1/sentra/").status_code == 401


def test_a_read_only_token_reads_but_does_not_write(cast: Any) -> None:
    body = obtain("officer_a", name="dasbor", read_only=True).json()
    assert body["read_only"] is True
    client = with_token(body["token"])
    assert client.get("/api/v1/sentra/").status_code == 200
    response = client.post("/api/v1/sentra/", SENTRA, format="json")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    # The same user with a read-write token may create it: the 403 is the token's, not the role's.
    write = with_token(obtain("officer_a").json()["token"])
    assert write.post("/api/v1/sentra/", SENTRA, format="json").status_code == 201
    # A read-only token may still revoke itself.
    assert client.delete(TOKEN_URL).status_code == 204
    assert client.get("/api/v1/sentra/").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(cast: Any) -> None:
    token, key = create_token(cast.analyst, name="x", acting_user=cast.analyst)
    client = with_token(key)

    def updates() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/provinces/").status_code == 200
        return sum('UPDATE "accounts_apitoken"' in query["sql"] for query in queries)

    assert updates() == 1
    assert updates() == 0
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now() - timedelta(minutes=2))
    assert updates() == 1
    # Using a token is not a change of it: no history event.
    assert not Event.objects.filter(model="accounts.apitoken", action="update").exists()


@pytest.mark.parametrize("days", [0, 1000, "x", -1])
def test_a_bad_expiry_answers_400(cast: Any, days: Any) -> None:
    response = obtain("analyst", expires_in_days=days)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert list(response.json()) == ["expires_in_days"]
    assert not ApiToken.objects.exists()


def test_a_missing_password_answers_400(cast: Any) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "analyst"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["password"]


def test_wrong_credentials_answer_401_and_make_no_token(cast: Any) -> None:
    response = obtain("analyst", password="wrong")
    assert response.status_code == 401 and "detail" in response.json()
    assert not ApiToken.objects.exists()


def test_repeated_failures_are_throttled_with_429(cast: Any, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    assert [obtain("analyst", password="wrong").status_code for _ in range(3)] == [401, 401, 429]
    assert obtain("analyst").status_code == 429  # the right password too, while locked out
    assert not ApiToken.objects.exists()


def test_an_old_token_sent_along_does_not_block_a_new_one(cast: Any) -> None:
    token, key = create_token(cast.analyst, name="x", acting_user=cast.analyst)
    revoke_token(token, acting_user=cast.analyst)
    response = with_token(key).post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_delete_needs_a_token(cast: Any, client: Client) -> None:
    assert APIClient().delete(TOKEN_URL).status_code == 401
    client.force_login(cast.analyst)  # a session is not a token: nothing to revoke
    assert client.delete(TOKEN_URL).status_code == 401


def test_the_schema_documents_the_token_scheme_and_both_methods(cast: Any, client: Client) -> None:
    client.force_login(cast.analyst)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Token <key>",
    }
    operations = schema["paths"]["/api/v1/auth/token/"]
    assert {"200", "400", "401", "429"} <= set(operations["post"]["responses"])
    assert {"204", "401"} <= set(operations["delete"]["responses"])
    assert operations["delete"]["security"] == [{"tokenAuth": []}]


# ---------------------------------------------------------------------------------------------------------------------
# Storage and revocation rules
# ---------------------------------------------------------------------------------------------------------------------
def test_the_key_is_not_stored_in_clear(cast: Any) -> None:
    key = obtain("analyst", name="rahasia").json()["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(key in str(value) for value in rows[0])
    assert token_of(key).key_hash == hashlib.sha256(key.encode()).hexdigest()
    # Neither the key nor its hash is in the history.
    event = Event.objects.get(model="accounts.apitoken", action="create")
    assert event.changes["key_hash"] == [None, "***"] and key not in str(event.changes)
    assert event.parent_model == "accounts.user" and event.parent_id == str(cast.analyst.pk)


def test_a_password_change_revokes_every_token_of_the_user(cast: Any, client: Client) -> None:
    keys = [create_token(cast.analyst, name=f"t{i}", acting_user=cast.analyst)[1] for i in range(2)]
    _other, other_key = create_token(cast.auditor, name="other", acting_user=cast.auditor)
    client.force_login(cast.analyst)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-new-long-password-1", "new_password2": "a-new-long-password-1"},
    )
    assert response.status_code == 302
    for key in keys:
        assert token_of(key).revoked_at is not None
        assert with_token(key).get("/api/v1/provinces/").status_code == 401
    assert token_of(other_key).revoked_at is None
    event = Event.objects.filter(model="accounts.apitoken", action="update").first()
    assert event is not None and event.reason and event.username == "analyst"


def test_a_deactivation_revokes_every_token_of_the_user(cast: Any) -> None:
    _token, key = create_token(cast.officer_a, name="x", acting_user=cast.officer_a)
    user = User.objects.get(pk=cast.officer_a.pk)
    user.is_active = False
    user.save()
    assert token_of(key).revoked_at is not None


def test_other_saves_of_the_user_revoke_nothing(cast: Any, settings: Any) -> None:
    _token, key = create_token(cast.analyst, name="x", acting_user=cast.analyst)
    user = User.objects.get(pk=cast.analyst.pk)
    user.full_name = "Analis Baru"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    # Django re-hashing the same password at login with a stronger hasher is not a password change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = user.password
    assert user.check_password(PASSWORD)
    assert User.objects.get(pk=user.pk).password != old_hash
    assert token_of(key).revoked_at is None


def test_the_services_refuse_a_bad_expiry_and_revoke_idempotently(cast: Any) -> None:
    with pytest.raises(ValidationError):
        create_token(cast.analyst, name="x", expires_in_days=366, acting_user=cast.analyst)
    token, _key = create_token(cast.analyst, name="x", acting_user=cast.analyst)
    first = revoke_token(token, acting_user=cast.analyst).revoked_at
    assert first is not None and revoke_token(token, acting_user=cast.analyst).revoked_at == first
    create_token(cast.analyst, name="y", acting_user=cast.analyst)
    assert revoke_all_tokens(cast.analyst, acting_user=cast.analyst) == 1
    assert not ApiToken.objects.active().exists()


# ---------------------------------------------------------------------------------------------------------------------
# The "API tokens" page
# ---------------------------------------------------------------------------------------------------------------------
def test_the_page_needs_a_login(client: Client) -> None:
    response = client.get(reverse("token_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_shows_a_new_key_once_then_only_its_prefix(cast: Any, client: Client) -> None:
    client.force_login(cast.officer_a)
    url = reverse("token_list")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Skrip Dinas", "expires_in_days": 30, "read_only": "on"})
    assert response.status_code == 302  # post/redirect/get: reloading the page makes no second token
    response = client.get(url)
    key = response.context["new_key"]
    html = response.content.decode()
    assert html.count(key) == 1 and "no-store" in response["Cache-Control"]
    token = token_of(key)
    assert token.user == cast.officer_a and token.read_only and token.name == "Skrip Dinas"
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)

    html = client.get(url).content.decode()
    assert key not in html and f"{token.prefix}…" in html and "Skrip Dinas" in html
    assert with_token(key).get("/api/v1/sentra/").status_code == 200


def test_the_page_refuses_bad_input(cast: Any, client: Client) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("token_list"), {"name": "x", "expires_in_days": 1000})
    assert response.status_code == 200 and "expires_in_days" in response.context["form"].errors
    assert "new_key" not in response.context and not ApiToken.objects.exists()


def test_the_page_revokes_a_token(cast: Any, client: Client) -> None:
    token, key = create_token(cast.officer_a, name="x", acting_user=cast.officer_a)
    client.force_login(cast.officer_a)
    response = client.post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("token_list")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert with_token(key).get("/api/v1/sentra/").status_code == 401


def test_another_users_token_cannot_be_revoked(cast: Any, client: Client) -> None:
    token, _key = create_token(cast.officer_b, name="x", acting_user=cast.officer_b)
    client.force_login(cast.officer_a)
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "x (" not in client.get(reverse("token_list")).content.decode()


def test_the_user_menu_links_to_the_page(cast: Any, client: Client) -> None:
    client.force_login(cast.analyst)
    assert f'href="{reverse("token_list")}"' in client.get("/").content.decode()


# ---------------------------------------------------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------------------------------------------------
def test_the_admin_lists_tokens_and_revokes_them_for_superusers_only(cast: Any, client: Client) -> None:
    token, key = create_token(cast.analyst, name="skrip", acting_user=cast.analyst)
    client.force_login(cast.ministry_staff)
    assert client.get("/admin/accounts/apitoken/").status_code == 403
    client.force_login(cast.superuser)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200 and "skrip" in listing.content.decode() and key not in listing.content.decode()
    assert client.get(f"/admin/accounts/apitoken/?user__id__exact={cast.analyst.pk}").status_code == 200
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke_selected", "_selected_action": [token.pk], "index": 0}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(model="accounts.apitoken", action="update", username="root").exists()

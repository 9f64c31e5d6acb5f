"""API token authentication (#10): `Authorization: Token <key>`, checked against `ApiToken` (accounts/models.py).

One query per request (the token and its user, by the key's SHA-256), plus a bare UPDATE of `last_used` at most
once a minute per token. A missing, unknown, expired or revoked token, or an inactive user, answers 401."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from dakportal.accounts.models import ApiToken, TokenStatus, User


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the next class (the session) may authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as `Authorization: Token <key>`."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        status = token.status(now)
        if status == TokenStatus.REVOKED:
            raise exceptions.AuthenticationFailed(_("This token was revoked: create a new one."))
        if status == TokenStatus.EXPIRED:
            raise exceptions.AuthenticationFailed(_("This token has expired: create a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token.mark_used(now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular: unannotated __init_subclass__
    """Documents the scheme in the OpenAPI document as `tokenAuth`."""

    target_class = "dakportal.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <key>"}

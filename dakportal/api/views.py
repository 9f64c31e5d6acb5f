from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dakportal.accounts.models import ApiToken
from dakportal.accounts.requests import signed_in
from dakportal.accounts.services import MAX_TOKEN_DAYS, create_token, revoke_token
from dakportal.api.authentication import ApiTokenAuthentication


class TokenRequestSerializer(serializers.Serializer[None]):
    username = serializers.CharField(label=_("Username"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        label=_("Name"), required=False, allow_blank=True, default="", max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )  # fmt: skip
    read_only = serializers.BooleanField(  # type: ignore[assignment]  # DRF's metaclass moves a declared field off the class
        label=_("Read-only"), required=False, default=False, help_text=_("The token may read but not write.")
    )
    expires_in_days = serializers.IntegerField(
        label=_("Expires in (days)"), required=False, min_value=1, max_value=MAX_TOKEN_DAYS,
        help_text=_("From 1 to 365; when left out, the portal's default (API_TOKEN_DAYS: 90 unless changed)."),
    )  # fmt: skip


class TokenResponseSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(help_text=_("The key: shown only now, send it as `Authorization: Token <key>`."))
    expires = serializers.DateTimeField()
    name = serializers.CharField()
    read_only = serializers.BooleanField()  # type: ignore[assignment]  # DRF's metaclass moves a declared field off the class


class ObtainTokenView(APIView):
    """`POST /api/v1/auth/token/` {"username", "password", optional "name", "read_only", "expires_in_days"} ->
    {"token", "expires", "name", "read_only"}: a new API token (#10); bad credentials answer 401. Goes through
    `authenticate(request=...)`, so login throttling (django-axes) applies here too.

    `DELETE /api/v1/auth/token/`, sent with a token: revokes that token (204). A read-only token may do this too:
    giving up its own access is not a write to the portal's data."""

    serializer_class = TokenRequestSerializer

    def get_authenticators(self) -> list[BaseAuthentication]:
        # The password makes a token, so a POST looks at no credentials (an old or expired token sent along is
        # ignored); a DELETE is about the token it is sent with, so only a token authenticates it.
        if getattr(getattr(self, "request", None), "method", None) == "DELETE":
            return [ApiTokenAuthentication()]
        return []

    def get_permissions(self) -> list[BasePermission]:
        if getattr(getattr(self, "request", None), "method", None) == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        summary="Create an API token",
        description=(
            "With a username and password (login throttling applies): a new token, lasting `expires_in_days` "
            "(1 to 365; default API_TOKEN_DAYS, 90 unless changed), read-only if asked. The key is in this answer only."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="A field is missing or invalid (e.g. expires_in_days not in 1..365)."),
            401: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Too many failed attempts: locked out for a while."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong username or password.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        token, key = create_token(
            user,
            name=data["name"],
            read_only=data["read_only"],
            expires_in_days=data.get("expires_in_days"),
            acting_user=user,
        )
        answer = {"token": key, "expires": token.expires, "name": token.name, "read_only": token.read_only}
        return Response(TokenResponseSerializer(answer).data)

    @extend_schema(
        summary="Revoke this API token",
        description="Revokes the token the request is sent with (also a read-only one): it no longer works.",
        request=None,
        responses={
            204: OpenApiResponse(description="The token sent with the request is revoked."),
            401: OpenApiResponse(description="No token, or an unknown, expired or revoked one."),
        },
        auth=[{"tokenAuth": []}],  # type: ignore[list-item]  # drf-spectacular hints names; it writes this as is
    )
    def delete(self, request: Request) -> Response:
        # only ApiTokenAuthentication and IsAuthenticated guard a DELETE: the auth is the token, the user signed in
        revoke_token(cast(ApiToken, request.auth), acting_user=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

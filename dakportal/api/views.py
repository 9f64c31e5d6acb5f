from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"))
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)


class ObtainTokenView(APIView):
    """`POST /api/v1/auth/token/` {"username", "password"} -> {"token"}; bad credentials answer 401.
    Goes through `authenticate(request=...)`, so login throttling (django-axes) applies here too."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="A field is missing."),
            401: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Too many failed attempts: locked out for a while."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong username or password.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dakportal.services import Blocked, Conflict, blocked


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a model's `ValidationError` (from `full_clean()` or a constraint) answers 400 with
    the same `{"field": [...]}` shape as a serializer's (CONTRACT.md, "Errors")."""
    if isinstance(exc, ProtectedError | RestrictedError):
        exc = blocked(context["view"].get_object(), exc)
    if isinstance(exc, Blocked):
        # #9: a delete refused because other records point to the object: 409 with what blocks it.
        return Response({"detail": str(exc), "blocked_by": exc.blocked_by}, status=409)
    if isinstance(exc, Conflict):
        # #9: the record changed since the client read it: 409 with who changed it, when, and the new version.
        return Response(exc.as_dict(), status=409)
    if isinstance(exc, Http404):
        exc = NotFound()  # DRF's "Not found." is translated; Django's names the model in English
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        detail = {("non_field_errors" if key == "__all__" else key): value for key, value in detail.items()}
        exc = ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is not None and context.get("request") is not None:
        # An error body is JSON even when the client asked for ?format=csv or geojson (#12: the fuzz run's 400
        # of the map's points came back as application/geo+json, which the schema does not promise).
        request = context["request"]
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format not in ("json", "api"):
            from rest_framework.renderers import JSONRenderer

            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
    return response

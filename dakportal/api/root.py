"""`GET /api/v1/`: every list endpoint by name and URL (#12), read from the URL configuration, so an endpoint added
to any app's router is listed without anyone remembering to (the apps' routers each had a root of their own that
listed only their own, and the first, the regions', hid the others)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dakportal.routes import routes

NAMESPACE = "api"
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*(?:\([^)]*\)[^)]*)*\)")


@dataclass(frozen=True)
class ListEndpoint:
    """A list endpoint of the API: its name (the path without the slash, `monev/reports`), its URL name
    (`api:monevreport-list`), its path (`/api/v1/monev/reports/`; a nested one has a placeholder,
    `/api/v1/sentra/{sentra_pk}/status-changes/`) and the arguments the placeholders stand for."""

    name: str
    url_name: str
    path: str
    arguments: tuple[str, ...]


def list_endpoints() -> list[ListEndpoint]:
    """Every `<basename>-list` route of the API namespace, in URL order, each once."""
    api = [route for route in routes() if route.namespace == NAMESPACE]
    if not api:  # pragma: no cover - the URL configuration always has the API
        return []
    base = reverse(f"{NAMESPACE}:root")
    endpoints, seen = [], set()
    for route in api:
        if not route.name.endswith("-list") or route.name in seen:
            continue
        seen.add(route.name)
        path = _GROUP.sub(lambda match: "{" + match.group(1) + "}", route.path)
        endpoints.append(
            ListEndpoint(
                name=path.removeprefix(base).strip("/"), url_name=route.name, path=path, arguments=route.arguments
            )
        )
    return endpoints


class ApiRootView(APIView):
    """`/api/v1/`: `{"<name>": "<absolute URL>"}` for every list endpoint; a nested list (the status changes of
    one sentra) shows its URL with the placeholder to fill (`.../sentra/{sentra_pk}/status-changes/`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Every list endpoint",
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        origin = request.build_absolute_uri("/").rstrip("/")  # not quoted: a placeholder keeps its braces
        return Response({endpoint.name: origin + endpoint.path for endpoint in list_endpoints()})

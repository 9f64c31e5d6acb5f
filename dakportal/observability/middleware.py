"""Each request's id, its log line (on the logger `dakportal.request`) and its metrics (#15)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from dakportal.observability import metrics, request_id_context

logger = logging.getLogger("dakportal.request")

# A caller's id is kept when it looks like an id (a UUID, a proxy's hex id, a trace header): nothing that could
# break a log line or a header.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> Any:
    """The user's id when the request looked the user up; never a database query of its own (a page that did
    not need the user, or a database outage, must not pay for the log line)."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestMiddleware:
    """Gives each request its id (`request.request_id`, the `X-Request-ID` response header, every log line while it
    runs); when it is answered, writes one line (method, path, status, duration, view and user; server errors as
    errors, the rest as info) and counts it in the metrics. First in MIDDLEWARE, so that it sees every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with request_id_context(request_id):
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            seconds = time.perf_counter() - started
            match = request.resolver_match
            view = match.view_name if match else None
            metrics.count_request(view, request.method or "", response.status_code, seconds)
            logger.log(
                logging.ERROR if response.status_code >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "view": view,
                    "user_id": _user_id(request),
                },
            )
        return response

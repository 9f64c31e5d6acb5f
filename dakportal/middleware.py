"""Language choice (#2): Indonesian by default, English on request.

Pages follow only the user's explicit choice (the language cookie set by /i18n/setlang/), so a browser
configured in English still opens the portal in Indonesian. The API also honours Accept-Language, as
CONTRACT.md says, so analysts' scripts can ask for English messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _language_for(request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen) and chosen in dict(settings.LANGUAGES):
            return chosen
        if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            return translation.get_language_from_request(request)
        return settings.LANGUAGE_CODE


class RefuseNulMiddleware:
    """#10: a NUL byte in a path or query (`/api/v1/reports/region/32.7%003/`) is refused with 400 before it
    reaches a view: PostgreSQL cannot store or compare one, so it would otherwise end as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or "%00" in request.META.get("QUERY_STRING", "")
        ):
            message = translation.gettext("The address contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """A lost or refused database connection (not a bad query): the portal answers 503 and recovers by itself."""
    from django.db import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)


def outage_response(request: HttpRequest) -> HttpResponse:
    """#10: the friendly 503 while the database is unreachable: JSON for the API, a page that needs no database
    (no session, no user, no navigation) otherwise; `Retry-After` on both, and never a traceback."""
    from django.template.loader import render_to_string

    message = translation.gettext("The database is not reachable at the moment. Try again in a minute.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        html = render_to_string("503.html", {"message": message, "LANGUAGE_CODE": translation.get_language()})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """Turns a database outage during a view into 503 (in every mode, DEBUG included); `dakportal.views.server_error`
    does the same for one outside a view. Django drops the broken connection at the end of the request, so the
    next request connects again: no restart needed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return outage_response(request) if is_outage(exception) else None


class ApiNotFoundMiddleware:
    """#10: an address under /api/ that matches nothing answers JSON, in the user's language and in every mode
    (Django's own 404 page, or its debug page with DEBUG on, is HTML)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return JsonResponse({"detail": translation.gettext("Not found.")}, status=404)
        return response


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=<ms>` on every answer: the portal's own time for the request, which browsers' developer
    tools show and `manage.py loadtest` reads (#11)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

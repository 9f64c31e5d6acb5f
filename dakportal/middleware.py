"""Language choice (#2): Indonesian by default, English on request.

Pages follow only the user's explicit choice (the language cookie set by /i18n/setlang/), so a browser
configured in English still opens the portal in Indonesian. The API also honours Accept-Language, as
CONTRACT.md says, so analysts' scripts can ask for English messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
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

"""The web shell's own pages: the dashboard and the health probe (#2)."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dakportal.accounts.choices import Role
from dakportal.accounts.scoping import Scope
from dakportal.regions.models import Province, Regency


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """`/`: what the user's role and region call for. The apps register the panels and the attention items
    (`dakportal/dashboard.py`, #16 point 3); this view only draws the working area around them."""
    from dakportal import dashboard as registry

    user: Any = request.user
    scope = Scope.of(user)
    regencies = scope.regencies().select_related("province")
    context = {
        "role": _("Superuser (administrator)") if user.is_superuser else Role(user.role).label,
        "scope": scope,
        "scope_regencies": list(regencies[:20]) if not scope.national else [],
        "scope_provinces": list(Province.objects.filter(code__in=scope.province_codes)) if not scope.national else [],
        "counts": Regency.objects.filter(active=True).aggregate(
            regencies=Count("pk"), provinces=Count("province", distinct=True)
        )
        if scope.national
        else {},
        "panels": registry.panels_for(user),
        "attention": registry.attention_for(user),
        "deadlines": registry.deadlines_for(user),
    }
    return render(request, "dashboard.html", context)


@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: every kind of record the user may see, matched by the list pages' own search (#14)."""
    from dakportal import search as portal_search

    text = request.GET.get("q", "")[:100]
    groups = portal_search.search(request.user, text)
    context = {"q": text.strip(), "groups": groups, "too_short": 0 < len(text.strip()) < portal_search.MIN_LENGTH}
    return render(request, "search.html", context)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} when the database answers, 503 when it does not (CONTRACT.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, OSError, RuntimeError):
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return redirect(static("dakportal/favicon.svg"), permanent=True)


# ---------------------------------------------------------------------------------------------------------------------
# Errors (#10): JSON for the API, in the user's language; a database outage is a 503, never a traceback
# ---------------------------------------------------------------------------------------------------------------------
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    from django.core.exceptions import RequestDataTooBig
    from django.views import defaults

    too_big = isinstance(exception, RequestDataTooBig)
    if request.path.startswith("/api/"):
        message = _("The request body is too large.") if too_big else _("The request is not valid.")
        return JsonResponse({"detail": message}, status=413 if too_big else 400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    from django.views import defaults

    from dakportal.middleware import is_outage, outage_response

    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on the server; it has been logged.")}, status=500)
    return defaults.server_error(request)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Too many failed logins (django-axes): 429 with Retry-After; JSON for the API's token endpoint."""
    from django.conf import settings

    seconds = int(settings.AXES_COOLOFF_TIME * 3600)
    if request.path.startswith("/api/"):
        message = _("Too many failed attempts: try again in %(minutes)d minutes.") % {"minutes": seconds // 60}
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", status=429)
    response["Retry-After"] = str(seconds)
    return response

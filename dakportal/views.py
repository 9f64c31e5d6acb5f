"""The web shell's own pages: the dashboard and the health probe (#2)."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
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
    """`/`: what the user's role and region call for. Each app adds its cards as it lands."""
    from allocations.models import Allocation
    from sentra.models import Sentra

    user: Any = request.user
    scope = Scope.of(user)
    sentra = Sentra.objects.for_user(user)
    yearly = list(Allocation.objects.for_user(user).summary("year"))
    regencies = scope.regencies().select_related("province")
    context = {
        "role": _("Superuser (administrator)") if user.is_superuser else Role(user.role).label,
        "scope": scope,
        "scope_regencies": list(regencies[:20]) if not scope.national else [],
        "scope_provinces": list(Province.objects.filter(code__in=scope.province_codes)) if not scope.national else [],
        "sentra_count": sentra.count(),
        "idle_count": sentra.idle().count(),
        "latest_allocation": yearly[-1] if yearly else None,
        "counts": {
            "provinces": Province.objects.filter(active=True).count(),
            "regencies": Regency.objects.filter(active=True).count(),
            "autonomous": Regency.objects.filter(active=True).autonomous().count(),
        },
    }
    context["attention"] = attention(user)
    return render(request, "dashboard.html", context)


def attention(user: Any) -> list[dict[str, Any]]:
    """What needs the user's attention, by role: counts (one query each) with a link to the list behind them."""
    from django.urls import reverse
    from django.utils import timezone

    from allocations.models import Allocation
    from monev.models import Finding, FollowUp, MonevReport

    today = timezone.localdate()
    inbox, findings_url = reverse("monev:inbox"), reverse("monev:finding_list")
    items: list[tuple[Any, int, str]] = []
    reports = MonevReport.objects.for_user(user)
    findings = Finding.objects.for_user(user).filter(status="open")
    if user.has_perm("monev.add_monevreport") and not Scope.of(user).national:
        items += [
            (_("Monev reports returned to you"), reports.filter(status="returned").count(), reverse("monev:inbox")),
            (_("Monev reports due within 30 days"),
             reports.filter(status="draft", deadline__range=(today, today + timedelta(days=30))).count(), inbox),
            (_("Monev reports overdue"), reports.filter(status__in=("draft", "returned"), deadline__lt=today).count(),
             reverse("monev:inbox")),
            (_("Open Itjen findings"), findings.count(), reverse("monev:finding_list") + "?status=open"),
        ]  # fmt: skip
    if user.has_perm("monev.review_monevreport"):
        items += [
            (_("Monev reports waiting for review"), reports.filter(status__in=("submitted", "resubmitted")).count(),
             reverse("monev:review_queue")),
            (_("Activity plans waiting for approval"),
             Allocation.objects.for_user(user).filter(plan_status="submitted").count(),
             reverse("allocations:allocation_list") + "?plan_status=submitted"),
        ]  # fmt: skip
    if user.has_perm("monev.verify_followup"):
        items += [
            (_("Follow-ups waiting for verification"),
             FollowUp.objects.for_user(user).filter(verification="").count(), findings_url + "?status=open"),
            (_("Findings with follow-up overdue"), findings.filter(due_date__lt=today).count(),
             reverse("monev:finding_list") + "?overdue=true"),
        ]  # fmt: skip
    return [{"label": label, "count": count, "url": url} for label, count, url in items]


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

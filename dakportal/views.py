"""The web shell's own pages: the dashboard and the health probe (#2)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    return render(request, "dashboard.html", context)


@require_GET
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

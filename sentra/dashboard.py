"""The registry's part of the dashboard (#14), registered with the foundation in `SentraConfig.ready()` (#16
point 3): the sentra in the user's scope by status, and those built but idle, each count leading to the list."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from dakportal.accounts.choices import Role
from dakportal.dashboard import register_panel
from sentra.choices import SentraStatus
from sentra.models import Sentra
from sentra.querysets import idle_q


def _url(**params: Any) -> str:
    return f"{reverse('sentra:sentra_list')}?{urlencode(params)}"


def by_status(user: Any) -> dict[str, Any]:
    """Every status and the idle ones, one query (the idle rule is `SentraQuerySet.idle()`'s)."""
    counts = (
        Sentra.objects.for_user(user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            idle=Count("pk", filter=idle_q()),
            **{status: Count("pk", filter=Q(status=status)) for status in SentraStatus.values},
        )
    )
    rows = [
        {"value": value, "label": label, "count": counts[value], "url": _url(status=value)}
        for value, label in SentraStatus.choices
    ]
    return {
        "rows": rows,
        "total": counts["total"],
        "total_url": reverse("sentra:sentra_list"),
        "idle": counts["idle"],
        "idle_url": _url(idle="true"),
    }


def register() -> None:
    register_panel(
        "sentra-by-status",
        template="sentra/dashboard/by_status.html",
        applies=lambda user: user.has_perm("sentra.view_sentra") and getattr(user, "role", None) != Role.AUDITOR,
        build=by_status,
        order=25,
        width="col-xl-5",
    )

"""The navigation of the web shell, by role (#2): each item shows only when the user may view its target."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

# (label, URL name, permission needed or None). Later apps add their pages here.
NAVIGATION: list[tuple[Any, str, str | None]] = [
    (_("Dashboard"), "dashboard", None),
    (_("Sentra IKM"), "sentra:sentra_list", "sentra.view_sentra"),
    (_("Map"), "sentra:sentra_map", "sentra.view_sentra"),
    (_("IKM units"), "sentra:ikmunit_list", "sentra.view_ikmunit"),
    (_("Allocations"), "allocations:allocation_list", "allocations.view_allocation"),
    (_("Monev"), "monev:inbox", "monev.view_monevreport"),
    (_("Itjen"), "monev:assignment_list", "monev.view_assignment"),  # #13: surat tugas and visit reports (LHM)
    (_("Priorities"), "monev:risk", "monev.view_riskrule"),  # #17: the risk register's "Prioritas monev"
    (_("Reports"), "reports", None),
    (_("Regions"), "regions:regency_list", "regions.view_regency"),
    (_("History"), "history:event_list", "history.view_event"),
]


# Other pages an item stands for (#13: Itjen's visit reports are under "Itjen", not "Monev").
ALSO_ACTIVE: dict[str, tuple[str, ...]] = {"monev:assignment_list": ("monev:visit_list",)}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, url_name, perm in NAVIGATION:
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        prefixes = [url, *(reverse(name) for name in ALSO_ACTIVE.get(url_name, ()))]
        active = request.path == url or any(p != "/" and request.path.startswith(p) for p in prefixes)
        items.append({"label": label, "url": url, "active": active, "depth": max(map(len, prefixes))})
    # #13: one item is active, the most specific (/monev/assignments/ is Itjen's, not also /monev/'s)
    deepest = max((item["depth"] for item in items if item["active"]), default=0)
    for item in items:
        item["active"] = item["active"] and item["depth"] == deepest
    return {"navigation": items, "unread_notifications": SimpleLazyObject(lambda: _unread(user))}


def _unread(user: Any) -> int:
    """#14: the bell's count (one query, only on pages that show it)."""
    from django.apps import apps

    notification = apps.get_model("monev", "Notification")
    return int(notification.objects.filter(user=user, read_at__isnull=True).count())

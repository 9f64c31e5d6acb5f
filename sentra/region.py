"""Sentra's card of the region profile (#6, #16; `dakportal/reporting/region.py`): the kab/kota's sentra by status and
those built but idle."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from dakportal.regions.models import Regency
from dakportal.reporting.region import Section
from sentra.choices import SentraStatus
from sentra.models import Sentra


def sentra_data(user: Any, regency: Regency) -> dict[str, Any]:
    sentra = Sentra.objects.for_user(user).filter(regency=regency)
    by_status = list(sentra.order_by().values("status").annotate(count=Count("pk")).order_by("status"))
    for row in by_status:
        row["label"] = str(SentraStatus(row["status"]).label)
    return {
        "sentra_by_status": by_status,
        "sentra_total": sentra.count(),
        "idle": list(sentra.idle().order_by("status_since").values("pk", "name", "status", "status_since")),
    }


SECTIONS = [Section("sentra", "sentra/region_sentra.html", sentra_data, order=10)]

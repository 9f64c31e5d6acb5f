"""Allocations' card of the region profile (#6, #16; `dakportal/reporting/region.py`): the kab/kota's money over the
years, also the profile's XLSX sheet."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from allocations.models import Allocation
from dakportal.regions.models import Regency
from dakportal.reporting.region import Section


def money_data(user: Any, regency: Regency) -> dict[str, Any]:
    allocations = Allocation.objects.for_user(user).filter(regency=regency)
    money = list(
        allocations.with_totals()
        .order_by("year")
        .values("year")
        .annotate(amount=Sum("amount"), received=Sum("received"), spent=Sum("spent"))
    )
    return {"money": money}


def money_sheet(data: dict[str, Any]) -> tuple[list[str], list[list[Any]], list[int]]:
    rows = [[m["year"], m["amount"], m["received"], m["spent"]] for m in data["money"]]
    return ["year", "pagu", "received", "spent"], rows, [1, 2, 3]


SECTIONS = [Section("money", "allocations/region_money.html", money_data, order=20, sheet=money_sheet)]

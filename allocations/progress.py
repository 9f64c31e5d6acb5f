"""Targets against actuals (#13.5): the quarterly plan (rencana penarikan dana and target fisik) held against the
realisation, as an S-curve, with the quarters more than `BEHIND_POINTS` points behind flagged. The numbers come from
one queryset method, `AllocationQuerySet.plan_curve()`, for one allocation (its page) or a whole filtered set (the
absorption report)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from allocations.querysets import BEHIND_POINTS, QUARTERS


@dataclass
class QuarterProgress:
    quarter: int
    plan: Decimal | None  # funds planned by the end of the quarter, % of the pagu
    actual: Decimal | None  # money spent by then, % of the pagu
    plan_physical: Decimal | None
    physical: Decimal | None
    behind: bool

    @property
    def label(self) -> str:
        return f"TW {self.quarter}"


def curve(values: dict[str, Any]) -> list[QuarterProgress]:
    """The four quarters of a `plan_curve()` result."""

    def number(key: str) -> Decimal | None:
        value = values.get(key)
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))

    return [
        QuarterProgress(
            quarter=q,
            plan=number(f"plan_q{q}"),
            actual=number(f"actual_q{q}"),
            plan_physical=number(f"plan_physical_q{q}"),
            physical=number(f"physical_q{q}"),
            behind=bool(values.get(f"behind_q{q}")),
        )
        for q in QUARTERS
    ]


def plan_against_actual(allocation: Any, plan: Any = None) -> list[QuarterProgress]:
    """One allocation's S-curve (one query)."""
    from allocations.models import Allocation

    return curve(Allocation.objects.filter(pk=allocation.pk).with_plan_gaps().plan_curve())


def scurve_chart(quarters: list[QuarterProgress]) -> dict[str, Any] | None:
    """The data of the S-curve chart (static/dakportal/charts.js, kind "scurve"); None when there is nothing to
    draw."""
    if not any(q.plan is not None or q.actual is not None for q in quarters):
        return None

    def series(values: list[Decimal | None]) -> list[float | None]:
        return [None if value is None else float(value) for value in values]

    return {
        "labels": [q.label for q in quarters],
        "plan": series([q.plan for q in quarters]),
        "actual": series([q.actual for q in quarters]),
        "plan_physical": series([q.plan_physical for q in quarters]),
        "physical": series([q.physical for q in quarters]),
        "behind": [q.behind for q in quarters],
        "plan_label": _("Funds planned (% of pagu)"),
        "actual_label": _("Money spent (% of pagu)"),
        "plan_physical_label": _("Physical target (%)"),
        "physical_label": _("Physical progress (%)"),
        "behind_label": _("More than %(points)d points behind the plan") % {"points": BEHIND_POINTS},
    }

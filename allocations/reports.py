"""Allocations' reports of the report framework (#6, `dakportal/reporting/base.py`): the allocations per year,
province or kab/kota (#4: with the growth against the year before; the numbers are `Allocation.objects.summary()`,
the same method as `allocations/summary/` in the API), and the absorption report."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allocations.filtersets import AllocationFilterSet
from allocations.models import Allocation
from dakportal.db.expressions import percent as percent_of
from dakportal.formatting import percent
from dakportal.reporting.base import Chart, Column, Report, register


@register
class AllocationsReport(Report):
    """Pagu and kab/kota per year, province or kab/kota, with the growth against the year before."""

    slug = "allocations"
    title = gettext_lazy("Allocations per year, province and kab/kota")
    description = gettext_lazy("Pagu and number of kab/kota; growth between years.")
    permission = "allocations.view_allocation"
    model = Allocation
    filterset_class = AllocationFilterSet
    filter_fields = ("year_min", "year_max", "province", "regency")
    chart = Chart("bar", "group", [("amount", gettext_lazy("Pagu"))])
    groups = {"year": gettext_lazy("Year"), "province": gettext_lazy("Province"), "regency": gettext_lazy("Kab/kota")}

    def get_columns(self, built: Any) -> list[Column]:
        columns = [
            Column("group", self.groups[self.group]),
            Column("amount", gettext_lazy("Pagu (Rp)"), "money"),
            Column("regency_count", gettext_lazy("Kab/kota"), "int", total=False),  # distinct per group
        ]
        if self.group == "year":
            columns.append(Column("growth", gettext_lazy("Growth (%)"), "percent"))
        return columns

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        group = self.group
        rows = list(queryset.summary(group))
        names = {}
        if group != "year":
            from dakportal.regions.models import Province, Regency

            model = Province if group == "province" else Regency
            names = dict(model.objects.filter(code__in=[r[group] for r in rows]).values_list("code", "name"))
        previous = None
        for row in rows:
            row["group"] = f"{row[group]} {names.get(row[group], '')}".strip()
            if group == "year":
                row["growth"] = round((row["amount"] - previous) * 100 / previous, 2) if previous else None
                previous = row["amount"]
        return rows


@register
class AbsorptionReport(Report):
    """Pagu, funds received, spent and physical output by kab/kota, province or year; how many allocations meet
    the stage II and stage III conditions (as kept with the disbursement, else now or at the close of the window);
    how many are more than 10 points behind their quarterly plan, with the S-curve of the whole selection; the
    groups lagging furthest behind first."""

    slug = "absorption"
    title = gettext_lazy("Absorption of DAK")
    description = gettext_lazy(
        "Pagu, funds received, money spent, physical progress and stage conditions met, lowest absorption first."
    )
    permission = "allocations.view_allocation"
    model = Allocation
    filterset_class = AllocationFilterSet
    filter_fields = ("year", "province", "regency")
    chart = Chart(
        "bar",
        "group",
        [
            ("absorption_pagu", gettext_lazy("Absorption of pagu (%)")),
            ("progress", gettext_lazy("Physical progress (%)")),
        ],
    )
    groups = {
        "province": gettext_lazy("Province"),
        "regency": gettext_lazy("Kab/kota"),
        "year": gettext_lazy("Year"),
    }
    CHART_ENDS = 10  # #14: the chart shows the 10 lowest and the 10 highest; the table has every row

    def __init__(self, request: Any) -> None:
        super().__init__(request)
        # #14: readable by default: the latest year with realisation reported, unless a year (or "all", an empty
        # year) is asked for
        if "year" not in self.params:
            year = Allocation.objects.for_user(request.user).latest_reported_year()
            if year is not None:
                self.params = self.params.copy()
                self.params["year"] = str(year)

    @property
    def group(self) -> str:
        """As asked; by default by province, or by kab/kota once a province or kab/kota is chosen (#14)."""
        asked = self.params.get("group_by", "")
        if asked in self.groups:
            return asked
        return "regency" if self.params.get("province") or self.params.get("regency") else "province"

    def chart_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The lowest and highest `CHART_ENDS` groups (rows are sorted lowest absorption first)."""
        if len(rows) <= 2 * self.CHART_ENDS:
            return rows
        return rows[: self.CHART_ENDS] + rows[-self.CHART_ENDS :]

    def get_columns(self, built: Any) -> list[Column]:
        return [
            Column("group", self.groups[self.group]),
            Column("allocations", gettext_lazy("Allocations"), "int"),
            Column("amount", gettext_lazy("Pagu (Rp)"), "money"),
            Column("received", gettext_lazy("Received (Rp)"), "money"),
            Column("spent", gettext_lazy("Spent (Rp)"), "money"),
            Column("absorption_received", gettext_lazy("Absorption of received (%)"), "percent"),
            Column("absorption_pagu", gettext_lazy("Absorption of pagu (%)"), "percent"),
            Column("progress", gettext_lazy("Physical progress (%)"), "percent"),
            Column("stage2_met", gettext_lazy("Stage II conditions met"), "int"),
            Column("stage3_met", gettext_lazy("Stage III conditions met"), "int"),
            Column("behind_plan", gettext_lazy("Behind the quarterly plan"), "int"),
        ]

    def queryset(self) -> Any:
        # #13, #16: the stage conditions and the plan gaps come from the same queryset methods as the allocation page
        return Allocation.objects.for_user(self.request.user).with_totals().with_stage_conditions().with_plan_gaps()

    def extra_charts(self, built: Any) -> list[dict[str, Any]]:
        """#13.5: the S-curve of the filtered allocations, plan against actual, quarters far behind flagged."""
        from allocations.progress import curve, scurve_chart

        quarters = curve(self.filtered.plan_curve())
        data = scurve_chart(quarters)
        if data is None:
            return []
        rows = [
            {
                "flag": q.behind,
                "cells": [q.label, percent(q.plan), percent(q.actual), percent(q.plan_physical), percent(q.physical)],
            }
            for q in quarters
        ]
        header = [_("Quarter"), _("Funds planned"), _("Spent"), _("Physical target"), _("Physical")]
        return [
            {
                "kind": "scurve", "source": "scurve-data", "title": _("Plan against actual (S-curve)"), "data": data,
                "table": {"header": header, "rows": rows}, "note": data["behind_label"],
            }
        ]  # fmt: skip

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        group = self.group
        key = {"regency": "regency__name", "province": "regency__province__name", "year": "year"}.get(
            group, "regency__name"
        )
        rows = list(
            queryset.order_by()
            .values(key)
            .annotate(
                allocations=models.Count("pk"),
                amount=models.Sum("amount"),
                received=models.Sum("received"),
                spent=models.Sum("spent"),
                progress=models.Avg("progress"),
                stage2_met=models.Count("pk", filter=models.Q(stage2_met=True)),
                stage3_met=models.Count("pk", filter=models.Q(stage3_met=True)),
                behind_plan=models.Count("pk", filter=models.Q(behind_plan=True)),
            )
            .annotate(  # #16: absorption by the one rule (`percent`), as on each allocation (`with_totals`)
                absorption_received=percent_of("spent", "received"), absorption_pagu=percent_of("spent", "amount")
            )
        )
        for row in rows:
            row["group"] = row.pop(key)
            row["progress"] = round(float(row["progress"] or 0), 2)
        return sorted(rows, key=lambda row: (row["absorption_pagu"] or 0, str(row["group"])))[:200]


__all__ = ["AbsorptionReport", "AllocationsReport"]

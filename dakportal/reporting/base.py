"""The report framework (#6).

A report declares its FilterSet, its columns and a `rows(queryset, params)` method that aggregates in SQL through
the apps' queryset methods; the base scopes the queryset to the user (`for_user`) before anything else. The page,
the CSV, XLSX and PDF downloads and the API twin all call `Report.build()`, so they show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = "text"  # text, int, money, percent
    total: bool = True  # an int or money column summed in the totals row (not a count of distinct kab/kota)
    link: str = ""  # the row key holding the URL this column's value links to on the page (#14)


@dataclass
class Chart:
    kind: str  # bar or line
    label_key: str
    series: list[tuple[str, str | Promise]]  # (row key, label); money series are shown in miliar


@dataclass
class Built:
    report: Report
    rows: list[dict[str, Any]]
    filters: list[tuple[str, str]]
    generated: Any = field(default_factory=timezone.localtime)

    def chart_data(self) -> dict[str, Any] | None:
        chart = self.report.chart
        if chart is None or not self.rows:
            return None
        money = {c.key for c in self.report.get_columns(self) if c.kind == "money"}
        rows = self.report.chart_rows(self.rows)
        return {
            "kind": chart.kind,
            "labels": [str(row[chart.label_key]) for row in rows],
            "datasets": [
                {
                    "label": str(label) + (" (Rp miliar)" if key in money else ""),
                    "data": [float(row[key] or 0) / (1e9 if key in money else 1) for row in rows],
                }
                for key, label in chart.series
            ],
        }

    def totals(self) -> list[Any] | None:
        """#14: the totals row of the table (page and PDF): every summable column over all rows, not only the
        rows shown; None for a single row, where it would repeat it."""
        if len(self.rows) < 2:
            return None
        columns = self.report.get_columns(self)
        summable = [c.kind in ("int", "money") and c.total for c in columns]
        if not any(summable):
            return None
        return [
            sum(row.get(c.key) or 0 for row in self.rows) if ok else None
            for c, ok in zip(columns, summable, strict=True)
        ]

    def table(self) -> tuple[list[Column], list[list[Any]]]:
        columns = self.report.get_columns(self)
        return columns, [[row.get(c.key) for c in columns] for row in self.rows]


class Report:
    slug: ClassVar[str]
    title: ClassVar[str | Promise]
    description: ClassVar[str | Promise] = ""
    permission: ClassVar[str]
    model: ClassVar[Any]
    filterset_class: ClassVar[Any]
    columns: ClassVar[list[Column]] = []
    chart: ClassVar[Chart | None] = None
    filter_fields: ClassVar[tuple[str, ...]] = ()
    # #14: how the rows may be grouped (`?group_by=`), offered on the page as a choice; the first is the default.
    groups: ClassVar[dict[str, str | Promise]] = {}

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.params: QueryDict = request.GET  # a subclass may put a copy with defaults in its place

    @property
    def group(self) -> str:
        """The grouping asked for, or the default one when none or an unknown one is asked."""
        asked = self.params.get("group_by", "")
        return asked if asked in self.groups else next(iter(self.groups), "")

    def queryset(self) -> Any:
        return self.model.objects.for_user(self.request.user)

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_columns(self, built: Built) -> list[Column]:
        return list(self.columns)

    def chart_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows the chart draws (#14: a report may draw fewer than its table holds, so the chart stays
        readable); all of them by default."""
        return rows

    def extra_charts(self, built: Built) -> list[dict[str, Any]]:
        """Charts beside the main one, each `{"kind", "title", "data"}` drawn by static/dakportal/charts.js (the
        absorption report's S-curve, #13.5); none by default."""
        return []

    def filterset(self) -> Any:
        return self.filterset_class(self.params, queryset=self.queryset(), request=self.request)

    def build(self) -> Built:
        filterset = self.filterset()
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        filters = []
        for name in self.filter_fields:
            value = filterset.form.cleaned_data.get(name) if filterset.is_valid() else None
            if value not in (None, ""):
                filters.append((str(filterset.form.fields[name].label), str(value)))
        if len(self.groups) > 1:
            filters.append((str(_("Group by")), str(self.groups[self.group])))
        self.form = filterset.form
        self.filtered = queryset  # the scoped, filtered rows, for extra_charts()
        return Built(self, self.rows(queryset), filters)


REGISTRY: dict[str, type[Report]] = {}


def register(report: type[Report]) -> type[Report]:
    REGISTRY[report.slug] = report
    return report

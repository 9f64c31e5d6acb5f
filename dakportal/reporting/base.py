"""The report framework (#6).

A report declares its FilterSet, its columns and a `rows(queryset, params)` method that aggregates in SQL through
the apps' queryset methods; the base scopes the queryset to the user (`for_user`) before anything else. The page,
the CSV, XLSX and PDF downloads and the API twin all call `Report.build()`, so they show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = "text"  # text, int, money, percent


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
        return {
            "kind": chart.kind,
            "labels": [str(row[chart.label_key]) for row in self.rows],
            "datasets": [
                {
                    "label": str(label) + (" (Rp miliar)" if key in money else ""),
                    "data": [float(row[key] or 0) / (1e9 if key in money else 1) for row in self.rows],
                }
                for key, label in chart.series
            ],
        }

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

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.params = request.GET

    def queryset(self) -> Any:
        return self.model.objects.for_user(self.request.user)

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_columns(self, built: Built) -> list[Column]:
        return list(self.columns)

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
        self.form = filterset.form
        self.filtered = queryset  # the scoped, filtered rows, for extra_charts()
        return Built(self, self.rows(queryset), filters)


REGISTRY: dict[str, type[Report]] = {}


def register(report: type[Report]) -> type[Report]:
    REGISTRY[report.slug] = report
    return report

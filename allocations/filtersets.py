from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from allocations.choices import AllocationKind, DocumentStatus, PlanStatus, ReferenceKind
from allocations.models import Allocation, QuarterlyPlan, Realisation, ReferenceItem, StageDocument
from dakportal.filtersets import BaseFilterSet, ScopedModelChoiceFilter
from dakportal.regions.models import Province, Regency


class AllocationFilterSet(BaseFilterSet):
    """Shared by the list page, `allocations/`, `allocations/summary/`, the exports and the report."""

    search_fields = ("regency__name", "regency__code", "regency_code_then", "legal_basis")

    year = django_filters.NumberFilter(label=_("Year"))
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    province = ScopedModelChoiceFilter(field_name="regency__province", model=Province, label=_("Province"))
    regency = django_filters.CharFilter(method="filter_regency", label=_("Kab/kota"))
    sub_field = django_filters.CharFilter(field_name="sub_field__code", label=_("Sub-field"))
    kind = django_filters.ChoiceFilter(choices=AllocationKind.choices, label=_("Kind"))
    plan_status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Plan status"))

    class Meta:
        model = Allocation
        fields = ["year", "year_min", "year_max", "province", "regency", "sub_field", "kind", "plan_status"]

    def filter_regency(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """A current or former code: `91.01` finds today's 93.01 Merauke."""
        regency = Regency.objects.resolve(value) if value else None
        return queryset.filter(regency=regency) if regency else queryset.none()


class RealisationFilterSet(BaseFilterSet):
    allocation = django_filters.NumberFilter(label=_("Allocation"))
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("Year"))
    quarter = django_filters.NumberFilter(label=_("Quarter"))
    regency = ScopedModelChoiceFilter(field_name="allocation__regency", model=Regency, label=_("Kab/kota"))

    class Meta:
        model = Realisation
        fields = ["allocation", "year", "quarter", "regency"]


class QuarterlyPlanFilterSet(BaseFilterSet):
    allocation = django_filters.NumberFilter(label=_("Allocation"))
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("Year"))
    regency = ScopedModelChoiceFilter(field_name="allocation__regency", model=Regency, label=_("Kab/kota"))

    class Meta:
        model = QuarterlyPlan
        fields = ["allocation", "year", "regency"]


class StageDocumentFilterSet(BaseFilterSet):
    allocation = django_filters.NumberFilter(label=_("Allocation"))
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("Status"))
    stage = django_filters.CharFilter(field_name="requirement__rule__code", label=_("Stage"))
    regency = ScopedModelChoiceFilter(field_name="allocation__regency", model=Regency, label=_("Kab/kota"))

    class Meta:
        model = StageDocument
        fields = ["allocation", "year", "status", "stage", "regency"]


def sub_field_choices(year: int | None = None) -> QuerySet[ReferenceItem]:
    queryset = ReferenceItem.objects.filter(kind=ReferenceKind.SUB_FIELD)
    return queryset.filter(year=year) if year else queryset

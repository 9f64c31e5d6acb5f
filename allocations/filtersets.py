from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from allocations.choices import AllocationKind, ContractMethod, DocumentStatus, PlanStatus, ReferenceKind
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    StageDocument,
)
from dakportal.filtersets import BaseFilterSet, ScopedModelChoiceFilter
from dakportal.regions.models import Province, Regency


class AllocationFilterSet(BaseFilterSet):
    """Shared by the list page, `allocations/`, `allocations/summary/`, the exports and the report."""

    search_fields = ("regency__name", "regency__code", "regency_code_then", "legal_basis")

    year = django_filters.NumberFilter(label=_("Year"))
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    province = ScopedModelChoiceFilter(field_name="regency__province", model=Province, label=_("Province"))
    # A code, current or former (`91.01`), checked against the user's kab/kota (#12); chosen in the region select.
    regency = ScopedModelChoiceFilter(model=Regency, label=_("Kab/kota"))
    sub_field = django_filters.CharFilter(field_name="sub_field__code", label=_("Sub-field"))
    kind = django_filters.ChoiceFilter(choices=AllocationKind.choices, label=_("Kind"))
    plan_status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Plan status"))

    class Meta:
        model = Allocation
        fields = ["year", "year_min", "year_max", "province", "regency", "sub_field", "kind", "plan_status"]


class RealisationFilterSet(BaseFilterSet):
    allocation = django_filters.NumberFilter(label=_("Allocation"))
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("Year"))
    quarter = django_filters.NumberFilter(label=_("Quarter"))
    regency = ScopedModelChoiceFilter(field_name="allocation__regency", model=Regency, label=_("Kab/kota"))

    class Meta:
        model = Realisation
        fields = ["allocation", "year", "quarter", "regency"]


class AllocationPartFilterSet(BaseFilterSet):
    """The filters every part of an allocation shares (#12): its allocation, year and kab/kota."""

    allocation = django_filters.NumberFilter(label=_("Allocation"))
    year = django_filters.NumberFilter(field_name="allocation__year", label=_("Year"))
    regency = ScopedModelChoiceFilter(field_name="allocation__regency", model=Regency, label=_("Kab/kota"))


class ActivityItemFilterSet(AllocationPartFilterSet):
    sentra = django_filters.NumberFilter(label=_("Sentra"))
    menu = django_filters.CharFilter(field_name="menu__code", label=_("Menu"))
    detail = django_filters.CharFilter(field_name="detail__code", label=_("Detail (rincian)"))

    class Meta:
        model = ActivityItem
        fields = ["allocation", "year", "regency", "sentra", "menu", "detail"]


class ContractFilterSet(AllocationPartFilterSet):
    search_fields = ("number", "supplier")

    method = django_filters.ChoiceFilter(choices=ContractMethod.choices, label=_("Method"))
    voided = django_filters.BooleanFilter(field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("Voided"))

    class Meta:
        model = Contract
        fields = ["allocation", "year", "regency", "method", "voided"]


class DisbursementFilterSet(AllocationPartFilterSet):
    stage = django_filters.CharFilter(field_name="rule__code", label=_("Stage"))  # #13: the rule's code
    voided = django_filters.BooleanFilter(field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("Voided"))

    class Meta:
        model = Disbursement
        fields = ["allocation", "year", "regency", "stage", "voided"]


class ReferenceItemFilterSet(BaseFilterSet):
    """The yearly reference lists (#12): by kind, year and code."""

    search_fields = ("code", "name")

    kind = django_filters.ChoiceFilter(choices=ReferenceKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(label=_("Year"))
    code = django_filters.CharFilter(label=_("Code"))

    class Meta:
        model = ReferenceItem
        fields = ["kind", "year", "code"]


class QuarterlyPlanFilterSet(AllocationPartFilterSet):
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

"""One FilterSet per model, shared by the list pages, the API and the exports (#3)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dakportal.filtersets import BaseFilterSet, ScopedModelChoiceFilter
from dakportal.regions.models import Province, Regency
from sentra.choices import CommodityGroup, DocumentKind, FacilityCondition, FacilityKind, SentraStatus, SizeClass
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument

COMPLETENESS_BANDS = [
    ("complete", _("Complete (100%)")),
    ("partial", _("Partly complete (50-99%)")),
    ("low", _("Low (under 50%)")),
]


class SentraFilterSet(BaseFilterSet):
    search_fields = ("name", "products", "village__name", "regency__name", "kbli")

    province = ScopedModelChoiceFilter(field_name="regency__province", model=Province, label=_("Province"))
    regency = ScopedModelChoiceFilter(model=Regency, label=_("Kab/kota"))
    commodity = django_filters.ChoiceFilter(
        field_name="commodity_group", choices=CommodityGroup.choices, label=_("Commodity")
    )
    status = django_filters.ChoiceFilter(choices=SentraStatus.choices, label=_("Status"))
    completeness = django_filters.ChoiceFilter(
        choices=COMPLETENESS_BANDS, method="filter_completeness", label=_("Completeness")
    )
    idle = django_filters.BooleanFilter(method="filter_idle", label=_("Built but idle"))
    below_minimum = django_filters.BooleanFilter(method="filter_below_minimum", label=_("Fewer than 5 members"))
    located = django_filters.BooleanFilter(
        field_name="latitude", lookup_expr="isnull", exclude=True, label=_("Has coordinates")
    )  # #14: the map's points, and the sentra still to place on it

    class Meta:
        model = Sentra
        fields = ["province", "regency", "commodity", "status"]

    def filter_completeness(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.completeness_band(value) if value else queryset  # type: ignore[attr-defined]

    def filter_idle(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        idle = queryset.idle()  # type: ignore[attr-defined]
        return idle if value else queryset.exclude(pk__in=idle.values("pk"))

    def filter_below_minimum(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(unit_count__lt=5) if value else queryset.filter(unit_count__gte=5)


class IKMUnitFilterSet(BaseFilterSet):
    search_fields = ("business_name", "owner_name", "nib", "products")

    sentra = ScopedModelChoiceFilter(model=Sentra, autocomplete="sentra:sentra_choices", label=_("Sentra"))
    regency = ScopedModelChoiceFilter(field_name="sentra__regency", model=Regency, label=_("Kab/kota"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("Size class"))

    class Meta:
        model = IKMUnit
        fields = ["sentra", "regency", "size_class", "legal_form", "halal_certified", "sni_certified"]


class FacilityFilterSet(BaseFilterSet):
    """Facilities of the sentra in scope (#12): by sentra, kab/kota, kind and condition."""

    search_fields = ("description", "sentra__name")

    sentra = ScopedModelChoiceFilter(model=Sentra, autocomplete="sentra:sentra_choices", label=_("Sentra"))
    regency = ScopedModelChoiceFilter(field_name="sentra__regency", model=Regency, label=_("Kab/kota"))
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, label=_("Kind"))
    condition = django_filters.ChoiceFilter(choices=FacilityCondition.choices, label=_("Condition"))

    class Meta:
        model = Facility
        fields = ["sentra", "regency", "kind", "condition"]


class SentraDocumentFilterSet(BaseFilterSet):
    """Documents and photos of the sentra in scope (#12): by sentra, kab/kota and kind."""

    search_fields = ("title", "sentra__name")

    sentra = ScopedModelChoiceFilter(model=Sentra, autocomplete="sentra:sentra_choices", label=_("Sentra"))
    regency = ScopedModelChoiceFilter(field_name="sentra__regency", model=Regency, label=_("Kab/kota"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Kind"))

    class Meta:
        model = SentraDocument
        fields = ["sentra", "regency", "kind"]

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dakportal.filtersets import BaseFilterSet
from dakportal.regions.choices import RegencyKind
from dakportal.regions.models import Province, Regency


class ProvinceFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = Province
        fields = ["active"]


class RegencyFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "former_codes__code", "former_codes__name")

    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), label=_("Province"))
    kind = django_filters.ChoiceFilter(choices=RegencyKind.choices, label=_("Kind"))

    class Meta:
        model = Regency
        fields = ["province", "kind", "autonomous", "active"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return super().search(queryset, name, value).distinct()

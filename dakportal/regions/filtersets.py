from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dakportal.filtersets import BaseFilterSet, RegionCodeFilter
from dakportal.regions.choices import DistrictKind, RegencyKind, VillageKind
from dakportal.regions.models import District, Province, Regency, Village


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

    def search(self, queryset: QuerySet[Regency], name: str, value: str) -> QuerySet[Regency]:
        return super().search(queryset, name, value).distinct()


class DistrictFilterSet(BaseFilterSet):
    """Kecamatan (#12): by kab/kota (a current or former code) and by name or code (`q`)."""

    search_fields = ("code", "name")

    regency = RegionCodeFilter(field_name="regency", region_model=Regency, label=_("Kab/kota code"))
    province = RegionCodeFilter(field_name="regency__province", region_model=Province, label=_("Province code"))
    kind = django_filters.ChoiceFilter(choices=DistrictKind.choices, label=_("Kind"))

    class Meta:
        model = District
        fields = ["regency", "province", "kind", "active"]


class VillageFilterSet(BaseFilterSet):
    """Desa/kelurahan (#12): by kecamatan or kab/kota (current or former codes) and by name or code (`q`)."""

    search_fields = ("code", "name")

    district = RegionCodeFilter(field_name="district", region_model=District, label=_("Kecamatan code"))
    regency = RegionCodeFilter(field_name="district__regency", region_model=Regency, label=_("Kab/kota code"))
    kind = django_filters.ChoiceFilter(choices=VillageKind.choices, label=_("Kind"))

    class Meta:
        model = Village
        fields = ["district", "regency", "kind", "active"]

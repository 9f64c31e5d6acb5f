from __future__ import annotations

from dakportal.api.viewsets import ScopedReadOnlyViewSet
from dakportal.regions.api.serializers import ProvinceSerializer, RegencySerializer
from dakportal.regions.filtersets import ProvinceFilterSet, RegencyFilterSet
from dakportal.regions.models import Province, Regency

CODE_PATTERN = r"[0-9]{2}(\.[0-9]{2})*"


class ProvinceViewSet(ScopedReadOnlyViewSet):
    """Provinces (reference data: every role sees all of them)."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN


class RegencyViewSet(ScopedReadOnlyViewSet):
    """Kab/kota with their kind, province, autonomy and former codes (reference data)."""

    queryset = Regency.objects.with_former_codes()
    serializer_class = RegencySerializer
    filterset_class = RegencyFilterSet
    ordering_fields = ["code", "name", "province"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN

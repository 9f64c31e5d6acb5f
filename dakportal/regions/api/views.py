from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal.api.viewsets import ScopedReadOnlyViewSet
from dakportal.regions.api.serializers import (
    DistrictSerializer,
    ProvinceSerializer,
    RegencySerializer,
    VillageSerializer,
)
from dakportal.regions.filtersets import DistrictFilterSet, ProvinceFilterSet, RegencyFilterSet, VillageFilterSet
from dakportal.regions.models import District, Province, Regency, Village

CODE_PATTERN = r"[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{4})?"  # province, kab/kota, kecamatan, desa (#12)


class ProvinceViewSet(ScopedReadOnlyViewSet):
    """Provinces (reference data: every role sees all of them)."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN


class RegencyViewSet(ScopedReadOnlyViewSet):
    """Kab/kota with their kind, province, autonomy and former codes (reference data). A former code
    (`regencies/91.01/`) redirects to today's kab/kota (`regencies/93.01/`)."""

    queryset = Regency.objects.with_former_codes()
    serializer_class = RegencySerializer
    filterset_class = RegencyFilterSet
    ordering_fields = ["code", "name", "province"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        code = kwargs[self.lookup_field]
        if not Regency.objects.filter(code=code).exists():
            current = Regency.objects.resolve(code)
            if current is not None:
                url = reverse("api:regency-detail", args=[current.code])
                return Response(status=301, headers={"Location": url})
        return super().retrieve(request, *args, **kwargs)


class DistrictViewSet(ScopedReadOnlyViewSet):
    """Kecamatan (distrik in Papua) with their kab/kota (reference data, #12); filters `regency` (a former code
    such as 91.01 finds today's kab/kota), `province`, `kind`, `q` (name or code)."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilterSet
    ordering_fields = ["code", "name", "regency"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN


class VillageViewSet(ScopedReadOnlyViewSet):
    """Desa and kelurahan with their kecamatan and kab/kota (reference data, #12): the `village` of a sentra.
    Filters `district`, `regency` (current or former codes), `kind`, `q` (name or code)."""

    queryset = Village.objects.select_related("district")
    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
    ordering_fields = ["code", "name", "district"]
    ordering = ["code"]
    lookup_value_regex = CODE_PATTERN

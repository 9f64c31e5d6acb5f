from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response

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

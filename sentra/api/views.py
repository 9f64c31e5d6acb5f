from __future__ import annotations

from typing import Any

from dakportal.api.viewsets import ScopedModelViewSet
from sentra import services
from sentra.api.serializers import IKMUnitSerializer, SentraSerializer
from sentra.filtersets import IKMUnitFilterSet, SentraFilterSet
from sentra.models import IKMUnit, Sentra


class SentraViewSet(ScopedModelViewSet):
    """Sentra IKM in the user's scope; filters `province`, `regency`, `status`, `commodity`, `q` and more."""

    queryset = Sentra.objects.select_related("regency").with_profile()
    serializer_class = SentraSerializer
    filterset_class = SentraFilterSet
    ordering_fields = ["id", "name", "regency", "status", "unit_count", "completeness", "investment_value"]
    ordering = ["id"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.save_sentra(Sentra(**serializer.validated_data), acting_user=self.request.user)

    def perform_update(self, serializer: Any) -> None:
        sentra = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(sentra, name, value)
        services.save_sentra(sentra, acting_user=self.request.user, reason="API")

    def perform_destroy(self, instance: Sentra) -> None:
        services.delete_sentra(instance, acting_user=self.request.user)


class IKMUnitViewSet(ScopedModelViewSet):
    """Member IKM units of the sentra in the user's scope; filter `sentra`."""

    queryset = IKMUnit.objects.select_related("sentra__regency")
    serializer_class = IKMUnitSerializer
    filterset_class = IKMUnitFilterSet
    ordering_fields = ["id", "business_name", "nib", "sentra", "investment_value"]
    ordering = ["id"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.save_unit(IKMUnit(**serializer.validated_data), acting_user=self.request.user)

    def perform_update(self, serializer: Any) -> None:
        unit = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(unit, name, value)
        services.save_unit(unit, acting_user=self.request.user)

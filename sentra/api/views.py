from __future__ import annotations

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

    save_service = services.save_sentra

    def perform_destroy(self, instance: Sentra) -> None:
        services.delete_sentra(instance, acting_user=self.request.user)


class IKMUnitViewSet(ScopedModelViewSet):
    """Member IKM units of the sentra in the user's scope; filter `sentra`."""

    queryset = IKMUnit.objects.select_related("sentra__regency")
    serializer_class = IKMUnitSerializer
    filterset_class = IKMUnitFilterSet
    ordering_fields = ["id", "business_name", "nib", "sentra", "investment_value"]
    ordering = ["id"]

    save_service = services.save_unit

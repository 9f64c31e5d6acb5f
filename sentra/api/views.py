from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from dakportal.api.renderers import GeoJSONRenderer
from dakportal.api.viewsets import ScopedModelViewSet
from sentra import services
from sentra.api.serializers import IKMUnitSerializer, SentraSerializer
from sentra.filtersets import IKMUnitFilterSet, SentraFilterSet
from sentra.models import IKMUnit, Sentra


class SentraViewSet(ScopedModelViewSet):
    """Sentra IKM in the user's scope; filters `province`, `regency`, `status`, `commodity`, `q` and more."""

    queryset = Sentra.objects.select_related("regency", "village").with_profile()
    serializer_class = SentraSerializer
    filterset_class = SentraFilterSet
    ordering_fields = ["id", "name", "regency", "status", "unit_count", "completeness", "investment_value"]
    ordering = ["id"]

    save_service = services.save_sentra
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer]

    def get_renderers(self) -> list[Any]:
        """GeoJSON for the list only: a single sentra, its history or an action has no FeatureCollection."""
        renderers = super().get_renderers()
        if self.action == "list":
            return renderers
        return [renderer for renderer in renderers if not isinstance(renderer, GeoJSONRenderer)]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """`?format=geojson` (#14): every matching sentra with coordinates as a point, for the map."""
        if getattr(request.accepted_renderer, "format", None) == "geojson":
            return Response(geojson(self.filter_queryset(self.get_queryset())))
        return super().list(request, *args, **kwargs)

    def perform_destroy(self, instance: Sentra) -> None:
        services.delete_sentra(instance, acting_user=self.request.user)


def geojson(queryset: Any) -> dict[str, Any]:
    """A FeatureCollection of the sentra that have coordinates: id, name, regency, status, completeness, url."""
    rows = queryset.filter(latitude__isnull=False).values_list(
        "id", "name", "regency_id", "regency__name", "status", "completeness", "longitude", "latitude"
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": {
                    "id": pk,
                    "name": name,
                    "regency": code,
                    "regency_name": regency,
                    "status": status,
                    "completeness": completeness,
                    "url": reverse("sentra:sentra_detail", args=[pk]),
                },
            }  # fmt: skip
            for pk, name, code, regency, status, completeness, lon, lat in rows
        ],
    }


class IKMUnitViewSet(ScopedModelViewSet):
    """Member IKM units of the sentra in the user's scope; filter `sentra`."""

    queryset = IKMUnit.objects.select_related("sentra__regency")
    serializer_class = IKMUnitSerializer
    filterset_class = IKMUnitFilterSet
    ordering_fields = ["id", "business_name", "nib", "sentra", "investment_value"]
    ordering = ["id"]

    save_service = services.save_unit

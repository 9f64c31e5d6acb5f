from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from dakportal.api.renderers import GeoJSONRenderer
from dakportal.api.viewsets import (
    CSVListMixin,
    FileDownloadMixin,
    HistoryMixin,
    NestedViewSetMixin,
    ScopedModelViewSet,
    ScopedViewSetMixin,
    ServiceWriteMixin,
)
from dakportal.generic import scoped
from sentra import services
from sentra.api.serializers import (
    DocumentUploadSerializer,
    FacilitySerializer,
    IKMUnitSerializer,
    SentraDocumentSerializer,
    SentraSerializer,
    SentraStatusChangeSerializer,
)
from sentra.filtersets import FacilityFilterSet, IKMUnitFilterSet, SentraDocumentFilterSet, SentraFilterSet
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument, SentraStatusChange


class SentraViewSet(ScopedModelViewSet):
    """Sentra IKM in the user's scope; filters `province`, `regency`, `status`, `commodity`, `q` and more."""

    queryset = Sentra.objects.select_related("regency", "village").with_profile()
    serializer_class = SentraSerializer
    filterset_class = SentraFilterSet
    ordering_fields = ["id", "name", "regency", "status", "unit_count", "completeness", "investment_value"]
    ordering = ["id"]

    save_service = services.save_sentra
    # api_settings imports the classes it names (the stubs type them as the dotted paths)
    renderer_classes = [*cast("list[type[BaseRenderer]]", api_settings.DEFAULT_RENDERER_CLASSES), GeoJSONRenderer]

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


class FacilityViewSet(ScopedModelViewSet):
    """Facilities of the sentra in the user's scope (#12); filters `sentra`, `regency`, `kind`, `condition`."""

    queryset = Facility.objects.select_related("sentra")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    ordering_fields = ["id", "sentra", "kind", "condition", "quantity"]
    ordering = ["id"]

    save_service = services.save_facility


def upload_errors(error: DjangoValidationError) -> dict[str, Any]:
    """A file refused by the upload checks: its messages under `file` (a model rule keeps its own field)."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"file": error.messages}


class SentraDocumentViewSet(
    FileDownloadMixin,
    CSVListMixin,
    ScopedViewSetMixin,
    HistoryMixin,
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[SentraDocument],
):
    """Documents and photos of the sentra in the user's scope (#12). `POST` (multipart: `sentra`, `kind`, `title`,
    `file`) stores a file after the same checks as the page (content, not name; size); `{id}/file/` serves it."""

    queryset = SentraDocument.objects.select_related("sentra")
    serializer_class = SentraDocumentSerializer
    filterset_class = SentraDocumentFilterSet
    ordering_fields = ["id", "sentra", "kind", "created"]
    ordering = ["id"]

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: SentraDocumentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = DocumentUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        if not scoped(Sentra.objects.filter(pk=data["sentra"].pk), request.user, "change").exists():
            raise ValidationError({"sentra": [_("This is outside your region.")]})
        try:
            document = services.add_document(
                data["sentra"], upload=data["file"], kind=data["kind"], title=data["title"], acting_user=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError(upload_errors(error)) from None
        return Response(self.get_serializer(document).data, status=201)


class SentraStatusChangeViewSet(
    NestedViewSetMixin,
    CSVListMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SentraStatusChange],
):
    """`sentra/{sentra_pk}/status-changes/`: the operating status history of one sentra, newest first (#12).
    `POST {"status", "reason", "effective_date"}` moves the sentra to a new status through the same service as
    the page (a reason is required; the date defaults to today and cannot be in the future)."""

    queryset = SentraStatusChange.objects.select_related("changed_by")
    serializer_class = SentraStatusChangeSerializer
    ordering_fields = ["id", "changed_at", "effective_date"]
    ordering = ["-changed_at", "-id"]
    modified_fields = ("changed_at",)  # written once, never changed

    parent_model = Sentra
    parent_kwarg = "sentra_pk"
    parent_related = "status_changes"

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.change_status(
            self.get_parent(),
            status=data["to_status"],
            reason=data.get("reason", ""),
            effective_date=data.get("effective_date"),
            acting_user=self.request.user,
        )

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from allocations import services
from allocations.api.serializers import (
    AllocationSerializer,
    DocumentDecisionSerializer,
    QuarterlyPlanSerializer,
    RealisationSerializer,
    StageDocumentSerializer,
    StageSerializer,
    SummaryRowSerializer,
)
from allocations.filtersets import (
    AllocationFilterSet,
    QuarterlyPlanFilterSet,
    RealisationFilterSet,
    StageDocumentFilterSet,
)
from allocations.models import Allocation, QuarterlyPlan, Realisation, StageDocument
from allocations.querysets import GROUPS
from allocations.stages import stage_statuses
from dakportal.api.viewsets import CONFLICT, ScopedCreateListUpdateViewSet, ScopedModelViewSet, VoidActionMixin
from dakportal.exports import csv_response


class AllocationViewSet(ScopedModelViewSet):
    """Allocations in the user's scope; filters `year`, `year_min`, `year_max`, `province`, `regency`."""

    queryset = Allocation.objects.select_related("regency", "sub_field").with_totals()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    ordering_fields = ["id", "year", "regency", "amount", "spent", "progress"]
    ordering = ["id"]

    save_service = services.save_allocation

    @extend_schema(
        parameters=[OpenApiParameter("group_by", enum=list(GROUPS), default="year")],
        responses={200: SummaryRowSerializer(many=True)},
    )
    @action(detail=False, pagination_class=None)
    def summary(self, request: Request) -> Any:
        """One row per group (`year`, `province` or `regency`): the pagu and the number of kab/kota, for every
        allocation matching the filters; all groups, no paging."""
        group_by = request.query_params.get("group_by", "year")
        if group_by not in GROUPS:
            raise ValidationError({"group_by": [f"{group_by!r}: use year, province or regency."]})
        queryset = self.filter_queryset(Allocation.objects.for_user(request.user))  # no per-row totals needed
        rows = list(queryset.summary(group_by))
        if getattr(request.accepted_renderer, "format", None) == "csv":
            header = [group_by, "amount", "regency_count"]
            return csv_response(
                f"allocations-by-{group_by}", header, ([r[group_by], r["amount"], r["regency_count"]] for r in rows)
            )
        return Response(rows)

    @extend_schema(
        responses={200: StageSerializer(many=True), 404: OpenApiResponse(description="Not in the user's scope.")},
        filters=False,
    )
    @action(detail=True, pagination_class=None, filter_backends=[])
    def stages(self, request: Request, pk: str | None = None) -> Response:
        """The allocation's disbursement stages as the year's rules define them (#13): amount (Tahap III: min(pagu,
        contract value) less what Tahap I and II disbursed), what was disbursed and when, the window, and each
        condition with the reason when it is not met."""
        allocation = self.get_object()
        return Response(StageSerializer([s.as_api() for s in stage_statuses(allocation)], many=True).data)


class QuarterlyPlanViewSet(ScopedCreateListUpdateViewSet):
    """Quarterly plans (rencana penarikan dana) of the allocations in the user's scope (#13.5): one per allocation,
    entered and changed with the activity plan while the ministry has not received it; PATCH with `version`."""

    queryset = QuarterlyPlan.objects.select_related("allocation")
    serializer_class = QuarterlyPlanSerializer
    filterset_class = QuarterlyPlanFilterSet
    ordering_fields = ["id", "allocation"]
    ordering = ["id"]

    save_service = services.save_quarterly_plan


class StageDocumentViewSet(ScopedCreateListUpdateViewSet):
    """Documents the disbursement stages require (#13), in the user's scope: the region uploads (POST multipart),
    the ministry verifies (`verify/`) or rejects with a reason (`reject/`); `download` is the file's scoped
    address. A document is never changed: a rejected one is uploaded again."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = StageDocument.objects.select_related("requirement__rule", "uploaded_by", "decided_by")
    serializer_class = StageDocumentSerializer
    filterset_class = StageDocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["id", "submitted_on", "status"]
    ordering = ["id"]
    action_permissions = {"verify": ("change", "change"), "reject": ("change", "change")}

    def perform_create(self, serializer: Any) -> None:
        upload = serializer.validated_data.pop("file", None)
        document = services.upload_stage_document(
            StageDocument(**serializer.validated_data), upload=upload, acting_user=self.request.user
        )
        serializer.instance = self.fresh(document)

    def _decide(self, request: Request, verify: bool) -> Response:
        data = DocumentDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.decide_stage_document(
            self.get_object(), verify=verify, reason=data.validated_data.get("reason", ""),
            decided_on=data.validated_data.get("decided_on"), version=data.validated_data["version"],
            acting_user=request.user,
        )  # fmt: skip
        return Response(self.get_serializer(self.fresh(document)).data)

    @extend_schema(request=DocumentDecisionSerializer, responses={200: StageDocumentSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, verify=True)

    @extend_schema(request=DocumentDecisionSerializer, responses={200: StageDocumentSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, verify=False)


class RealisationViewSet(VoidActionMixin, ScopedCreateListUpdateViewSet):
    """Quarterly realisation of the allocations in the user's scope, voided ones included (`voided_at`); a wrong
    one is corrected by PATCH or voided with `void/` and a reason."""

    queryset = Realisation.all_objects.select_related("allocation")
    action_permissions = {"void": ("change", "change")}
    serializer_class = RealisationSerializer
    filterset_class = RealisationFilterSet
    ordering_fields = ["id", "quarter", "allocation"]
    ordering = ["id"]

    save_service = services.record_realisation

from __future__ import annotations

from typing import Any, cast

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from allocations import services
from allocations.api.serializers import (
    ActivityItemSerializer,
    AllocationSerializer,
    ContractSerializer,
    DisbursementSerializer,
    DocumentDecisionSerializer,
    FiscalYearSerializer,
    QuarterlyPlanSerializer,
    RealisationSerializer,
    ReferenceItemSerializer,
    StageDocumentSerializer,
    StageSerializer,
    SummaryRowSerializer,
)
from allocations.filtersets import (
    ActivityItemFilterSet,
    AllocationFilterSet,
    ContractFilterSet,
    DisbursementFilterSet,
    QuarterlyPlanFilterSet,
    RealisationFilterSet,
    ReferenceItemFilterSet,
    StageDocumentFilterSet,
)
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    FiscalYear,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    StageDocument,
)
from allocations.querysets import GROUPS, AllocationQuerySet
from allocations.stages import stage_statuses
from allocations.workflows import PLAN_STEPS
from dakportal.api.viewsets import (
    CONFLICT,
    ScopedCreateListUpdateViewSet,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    VoidActionMixin,
    WorkflowMixin,
)
from dakportal.exports import csv_response


class AllocationViewSet(WorkflowMixin, ScopedModelViewSet):
    """Allocations in the user's scope; filters `year`, `year_min`, `year_max`, `province`, `regency`."""

    queryset = Allocation.objects.select_related("regency", "sub_field").with_totals()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    ordering_fields = ["id", "year", "regency", "amount", "spent", "progress"]
    ordering = ["id"]

    save_service = services.save_allocation
    extra_query_parameters = {"summary": {"group_by"}}  # #12: known to the strict query parameters
    # #12: the plan's workflow (plan/submit/, plan/approve/, plan/return/); submitting is the planner's right,
    # deciding the ministry's: the page's table (#16)
    workflow = PLAN_STEPS
    workflow_prefix = "plan/"

    @property
    def filter_backends(self) -> list[Any]:  # type: ignore[override]
        """The summary is ordered by its groups: no `ordering` there (the fuzz run's `ordering=spent` was a server
        error, the summary's rows having no per-allocation totals)."""
        # api_settings imports the classes it names (the stubs type them as the dotted paths)
        backends = cast("list[type[BaseFilterBackend]]", list(api_settings.DEFAULT_FILTER_BACKENDS))
        if getattr(self, "action", None) == "stages":  # #13: one allocation's stages, no list filters
            return []
        if getattr(self, "action", None) == "summary":
            return [backend for backend in backends if not issubclass(backend, OrderingFilter)]
        return backends

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
            raise ValidationError({"group_by": [_("%(value)s: use year, province or regency.") % {"value": group_by}]})
        # no per-row totals needed; the filters keep the queryset's own class
        queryset = cast(AllocationQuerySet, self.filter_queryset(Allocation.objects.for_user(request.user)))
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
    @action(detail=True, pagination_class=None)
    def stages(self, request: Request, pk: str | None = None) -> Response:
        """The allocation's disbursement stages as the year's rules define them (#13): amount (Tahap III: min(pagu,
        contract value) less what Tahap I and II disbursed), what was disbursed and when, the window, and each
        condition with the reason when it is not met."""
        allocation = self.get_object()
        stages = [s.as_api() for s in stage_statuses(allocation)]
        return Response(StageSerializer(stages, many=True).data)  # type: ignore[arg-type]  # many=True: a list


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


class ActivityItemViewSet(ScopedModelViewSet):
    """The activity plans (RK) of the allocations in the user's scope, line by line (#12); filters `allocation`,
    `year`, `regency`, `sentra`, `menu`, `detail`. Lines change only while the plan is a draft or returned; the
    plan is submitted, approved or returned at `allocations/{id}/plan/submit/` (`approve/`, `return/`)."""

    queryset = ActivityItem.objects.select_related("allocation", "menu", "detail", "unit")
    serializer_class = ActivityItemSerializer
    filterset_class = ActivityItemFilterSet
    ordering_fields = ["id", "allocation", "sentra", "value"]
    ordering = ["id"]

    save_service = services.save_item

    def perform_destroy(self, instance: ActivityItem) -> None:
        services.delete_item(instance, acting_user=self.request.user)


class ContractViewSet(VoidActionMixin, ScopedCreateListUpdateViewSet):
    """Contracts of the allocations in the user's scope (#12), voided ones included (`voided_at`); filters
    `allocation`, `year`, `regency`, `method`, `voided`, `q` (number, supplier)."""

    queryset = Contract.all_objects.select_related("allocation")
    action_permissions = {"void": ("change", "change")}
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    ordering_fields = ["id", "date", "value", "allocation"]
    ordering = ["id"]

    save_service = services.save_contract


class DisbursementViewSet(VoidActionMixin, ScopedCreateListUpdateViewSet):
    """Disbursements (RKUN to RKUD) of the allocations in the user's scope (#12), voided ones included; recorded
    by the ministry. Filters `allocation`, `year`, `regency`, `stage`, `voided`."""

    queryset = Disbursement.all_objects.select_related("allocation", "rule")
    action_permissions = {"void": ("change", "change")}
    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilterSet
    ordering_fields = ["id", "date", "amount", "allocation"]
    ordering = ["id"]

    save_service = services.record_disbursement


def years_of_code() -> Subquery:
    """Every year whose list has the row's kind and code, in order (#12: "the years they apply to")."""
    same = ReferenceItem.objects.filter(kind=OuterRef("kind"), code=OuterRef("code")).order_by().values("kind")
    return Subquery(same.annotate(years=ArrayAgg("year", order_by="year")).values("years")[:1])


class ReferenceItemViewSet(ScopedReadOnlyViewSet):
    """The yearly reference lists (#12): sub-fields, menus, details (rincian) and units, one row per year, each
    with every year its code applies to; filters `kind`, `year`, `code`. These codes are what an allocation's
    `sub_field` and a plan line's `menu`, `detail` and `unit` take."""

    queryset = ReferenceItem.objects.annotate(years=years_of_code())
    serializer_class = ReferenceItemSerializer
    filterset_class = ReferenceItemFilterSet
    ordering_fields = ["id", "kind", "year", "code"]
    ordering = ["kind", "year", "code"]


class FiscalYearViewSet(ScopedReadOnlyViewSet):
    """Fiscal years (TA) with their legal basis and disbursement rules (#12), by year (`fiscal-years/2021/`)."""

    queryset = FiscalYear.objects.prefetch_related("rules")
    serializer_class = FiscalYearSerializer
    ordering_fields = ["year"]
    ordering = ["year"]
    lookup_value_regex = "[0-9]{4}"

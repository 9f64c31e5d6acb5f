from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Value
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal.accounts.requests import signed_in
from dakportal.api.permissions import refuse_read_only_token_writes
from dakportal.api.viewsets import (
    CSVListMixin,
    FileDownloadMixin,
    HistoryMixin,
    NestedViewSetMixin,
    ScopedCreateListUpdateViewSet,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    WorkflowMixin,
)
from dakportal.exports import csv_response
from dakportal.generic import scoped
from monev import services
from monev.api.serializers import (
    AssignmentSerializer,
    ChecksSerializer,
    EvidenceItemSerializer,
    EvidenceUploadSerializer,
    FindingSerializer,
    FollowUpSerializer,
    MonevReportSerializer,
    NotificationSerializer,
    RecommendationDetailSerializer,
    RegistryCheckSerializer,
    ReportTransitionSerializer,
    RiskRuleSerializer,
    VerificationSerializer,
    VisitActionSerializer,
    VisitFindingSerializer,
    VisitSerializer,
)
from monev.filtersets import (
    AssignmentFilterSet,
    EvidenceFilterSet,
    FindingFilterSet,
    MonevReportFilterSet,
    NotificationFilterSet,
    RecommendationFilterSet,
    RiskFilterSet,
    VisitFilterSet,
)
from monev.models import (
    Assignment,
    AssignmentMember,
    Evidence,
    Finding,
    FollowUp,
    MonevReport,
    Notification,
    Recommendation,
    RegistryCheck,
    ReportTransition,
    RiskRule,
    Visit,
)
from monev.workflows import REPORT_STEPS, VISIT_STEPS
from sentra.models import Sentra

CONFLICT = OpenApiResponse(description="Another user changed the record meanwhile.")


class MonevReportViewSet(WorkflowMixin, ScopedCreateListUpdateViewSet):
    """Monev reports in the user's scope. Workflow: `submit/` (officer), `return/` with a reason and `accept/`
    (ministry). A transition not allowed from the current status answers 400; pass the `version` you saw to get
    409 instead of acting on a report someone else changed meanwhile."""

    queryset = MonevReport.objects.with_flags().select_related("sentra").prefetch_related("allocations", "evidence")
    serializer_class = MonevReportSerializer
    filterset_class = MonevReportFilterSet
    ordering_fields = ["id", "year", "quarter", "deadline", "status"]
    ordering = ["id"]
    workflow = REPORT_STEPS  # submit/, return/, accept/: as on the report's page

    def perform_create(self, serializer: Any) -> None:
        allocations = serializer.validated_data.pop("allocations", [])
        serializer.instance = services.create_report(
            MonevReport(**serializer.validated_data), acting_user=self.request.user, allocations=allocations
        )

    def perform_update(self, serializer: Any) -> None:
        self.report_allocations = serializer.validated_data.pop("allocations", None)
        super().perform_update(serializer)

    def save_instance(self, instance: Any, serializer: Any) -> Any:
        return services.update_report(instance, acting_user=self.request.user, allocations=self.report_allocations)


class FindingViewSet(ScopedCreateListUpdateViewSet):
    """Itjen findings in the user's scope, with recommendations. #13: each recommendation is followed up on its own
    (`monev/recommendations/{id}/follow-ups/`); a finding closes by itself when all its recommendations are
    verified as sesuai or tidak dapat ditindaklanjuti, and its `follow_up_class` follows from theirs."""

    queryset = Finding.objects.with_flags().select_related("regency").prefetch_related("recommendations")
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["id", "due_date", "created", "loss_value"]
    ordering = ["id"]

    def perform_create(self, serializer: Any) -> None:
        recommendations = serializer.validated_data.pop("recommendations", [])
        finding = Finding(**serializer.validated_data)
        serializer.instance = services.record_finding(
            finding, acting_user=self.request.user, recommendations=[Recommendation(**r) for r in recommendations]
        )

    save_service = services.update_finding

    def perform_update(self, serializer: Any) -> None:
        serializer.validated_data.pop("recommendations", None)
        super().perform_update(serializer)


# ---------------------------------------------------------------------------------------------------------------------
# Follow-up per recommendation (TLHP), #13
# ---------------------------------------------------------------------------------------------------------------------
class RecommendationViewSet(ScopedReadOnlyViewSet):
    """Recommendations of Itjen findings in the user's scope (#13), each with its follow-up status (the latest
    verification into the four classes of Peraturan BPK 2/2017), due date and amounts (to recover, recovered,
    remaining). Filters `finding`, `regency`, `province`, `status`, `overdue`, `year`. The follow-ups of one are at
    `{id}/follow-ups/`."""

    queryset = Recommendation.objects.select_related("finding").with_amounts().with_year().with_flags()
    serializer_class = RecommendationDetailSerializer
    filterset_class = RecommendationFilterSet
    ordering_fields = ["id", "due_date", "status", "amount_to_recover"]
    ordering = ["id"]


class FollowUpViewSet(
    NestedViewSetMixin,
    CSVListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[FollowUp],
):
    """`monev/recommendations/{recommendation_pk}/follow-ups/`: the follow-ups of one recommendation (#13). `POST`
    (multipart, with `attachments`, or JSON) by the officers of its kab/kota: the reply, documents, and any money
    deposited with its proof; refused on a settled recommendation or above what remains to recover. Itjen
    verifies one at `{id}/verify/` with the class, a reason where required and the follow-up's `version`."""

    queryset = FollowUp.objects.select_related("submitted_by", "verified_by").prefetch_related("evidence")
    serializer_class = FollowUpSerializer
    ordering_fields = ["id", "created"]
    ordering = ["created", "id"]
    action_permissions = {"verify": ("verify", "view")}

    parent_model = Recommendation
    parent_kwarg = "recommendation_pk"
    parent_related = "follow_ups"

    def get_parent(self) -> Any:
        """The recommendation in the user's view scope (404 outside it): following it up is the region's right,
        checked by the service with the kab/kota, not a change of the recommendation."""
        if getattr(self, "parent", None) is None:
            parents = scoped(Recommendation.objects.all(), self.request.user, "view")
            self.parent = get_object_or_404(parents, pk=self.kwargs[self.parent_kwarg])
        return self.parent

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("evidence")  # the parent's rows keep only select_related

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reply = data.pop("reply")
        serializer.instance = services.submit_follow_up(
            self.get_parent(), reply=reply, acting_user=self.request.user, **data
        )

    @extend_schema(request=VerificationSerializer, responses={200: FollowUpSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, recommendation_pk: str, pk: str) -> Response:
        """Itjen's verification: `{"verification": "sesuai", "reason": "...", "version": 1}`."""
        item = self.get_object()
        data = VerificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.verify_follow_up(item, acting_user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas) and field visit reports (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
class AssignmentViewSet(ScopedCreateListUpdateViewSet):
    """Itjen's surat tugas in the user's scope: a regional officer reads those naming their kab/kota (and on them
    only their own kab/kota, sentra and issued reports); Itjen writes them. The team, kab/kota and sentra are
    checked together with the record: any problem is a 400 naming the field, and nothing is saved."""

    queryset = Assignment.objects.prefetch_related(
        "regencies",
        Prefetch("sentra", Sentra.objects.only("id", "regency_id")),
        Prefetch("members", AssignmentMember.objects.select_related("user")),
    )
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering_fields = ["id", "number", "date", "period_start"]
    ordering = ["id"]

    def get_queryset(self) -> Any:
        visits = Visit.objects.for_user(self.request.user).only("id", "assignment_id").order_by("id")
        return super().get_queryset().prefetch_related(Prefetch("visits", visits, to_attr="visible_visits"))

    def save_instance(self, instance: Any, serializer: Any) -> Any:
        data = serializer.validated_data
        return services.save_assignment(
            instance,
            acting_user=self.request.user,
            members=data.get("members"),
            regencies=list(data["regencies"]) if "regencies" in data else None,
            sentra=list(data["sentra"]) if "sentra" in data else None,
        )

    def perform_create(self, serializer: Any) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("members", "regencies", "sentra")}
        serializer.instance = self.fresh(self.save_instance(Assignment(**data), serializer))

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            if name not in ("members", "regencies", "sentra"):
                setattr(instance, name, value)
        serializer.instance = self.fresh(self.save_instance(instance, serializer))

    def fresh(self, instance: Any) -> Any:
        return self.get_queryset().filter(pk=instance.pk).first() or instance


class VisitViewSet(WorkflowMixin, ScopedCreateListUpdateViewSet):
    """Itjen's field visit reports (Laporan Hasil Monev). Auditors see every report; the ministry, analysts and
    the regions only issued ones (a region, those of its sentra). Only the team of the surat tugas drafts and
    submits (`submit/`); only its controllers `return/` (with a reason), `approve/` and `issue/`. An issued
    report is locked: any change answers 400. Pass the `version` you saw to get 409 rather than act on a report
    changed meanwhile."""

    queryset = Visit.objects.select_related("sentra", "approved_by", "issued_by").prefetch_related(
        "checks", "evidence", Prefetch("findings", Finding.objects.prefetch_related("recommendations"))
    )
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    ordering_fields = ["id", "visit_date", "issued_on", "status"]
    ordering = ["id"]
    workflow = VISIT_STEPS  # submit/, return/, approve/, issue/: as on the report's page
    action_permissions = {
        "findings": ("change", "change"),
        "checks": ("change", "change"),
        "decide": ("monev.decide_registrycheck", "view"),
    }

    def save_instance(self, instance: Any, serializer: Any) -> Any:
        if instance.pk:
            return services.update_visit(instance, acting_user=self.request.user)
        return services.create_visit(instance, acting_user=self.request.user)

    def _respond(self, visit: Visit) -> Response:
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data)

    @extend_schema(request=VisitFindingSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        """A finding of the report with its recommendations (the team, while the report is a draft)."""
        visit = self.get_object()
        data = VisitFindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        recommendations = [Recommendation(**row) for row in values.pop("recommendations", [])]
        finding = services.record_visit_finding(
            visit, Finding(**values), acting_user=request.user, recommendations=recommendations
        )
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=ChecksSerializer, responses={200: VisitSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def checks(self, request: Request, pk: str) -> Response:
        """The registry check: `{"checks": [{"id", "result", "observed", "proposed_value", ...}], "version"}`."""
        visit = self.get_object()
        data = ChecksSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        known = {check.pk: check for check in visit.checks.all()}
        changed, errors, failed = [], [], False
        for row in data.validated_data["checks"]:
            check = known.get(row.get("id")) if isinstance(row.get("id"), int) else None
            if check is None:
                errors.append({"id": [_("Not an item of this report.")]})
                failed = True
                continue
            item = RegistryCheckSerializer(check, data=row, partial=True)
            if not item.is_valid():
                errors.append(item.errors)
                failed = True
                continue
            for name, value in item.validated_data.items():
                setattr(check, name, value)
            try:
                check.full_clean()
            except DjangoValidationError as error:
                errors.append(error.message_dict)
                failed = True
                continue
            errors.append({})
            changed.append(check)
        if failed:
            raise ValidationError({"checks": errors})
        visit = services.save_registry_checks(
            visit, changed, acting_user=request.user, version=data.validated_data["version"]
        )
        return self._respond(visit)

    @extend_schema(
        operation_id="v1_monev_visits_checks_decide",
        request=VisitActionSerializer,
        responses={200: RegistryCheckSerializer, 409: CONFLICT},
        parameters=[
            OpenApiParameter("check", int, OpenApiParameter.PATH),
            OpenApiParameter("decision", str, OpenApiParameter.PATH, enum=["confirm", "reject"]),
        ],
    )
    @action(detail=True, methods=["post"], url_path=r"checks/(?P<check>\d+)/(?P<decision>confirm|reject)")
    def decide(self, request: Request, pk: str, check: str, decision: str) -> Response:
        """The region confirms (the registry is corrected) or rejects, with a reason, a correction the issued
        report proposes."""
        visit = self.get_object()
        item = get_object_or_404(RegistryCheck, pk=check, visit=visit)
        data = VisitActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.decide_correction(
            item, confirm=decision == "confirm", acting_user=request.user, reason=data.validated_data["reason"],
            version=data.validated_data["version"],
        )  # fmt: skip
        return Response(RegistryCheckSerializer(item).data)


# #12: evidence, report steps, notifications
# ---------------------------------------------------------------------------------------------------------------------
class EvidenceViewSet(
    FileDownloadMixin,
    CSVListMixin,
    ScopedViewSetMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Evidence],
):
    """Photos and documents of the monev reports in the user's scope (#12); filters `report`, `regency`,
    `flagged`. `POST` (multipart: `report`, `title`, `file`) adds one to a draft or returned report through the
    page's checks (content, size, EXIF place and time); the answer's `warnings` say why a photo is flagged.
    `{id}/file/` serves the file."""

    queryset = Evidence.objects.select_related("report")
    serializer_class = EvidenceItemSerializer
    filterset_class = EvidenceFilterSet
    ordering_fields = ["id", "created", "report"]
    ordering = ["id"]

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from monev.views import flag_labels  # the page's words for the flags: one list

        upload = EvidenceUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        if not scoped(MonevReport.objects.filter(pk=data["report"].pk), request.user, "change").exists():
            raise ValidationError({"report": [_("This is outside your region.")]})
        try:
            evidence = services.add_evidence(
                upload=data["file"], title=data["title"], acting_user=request.user, report=data["report"]
            )
        except DjangoValidationError as error:
            detail = dict(error.message_dict) if hasattr(error, "error_dict") else {"file": error.messages}
            raise ValidationError(detail) from None
        body = dict(self.get_serializer(evidence).data)
        body["warnings"] = [{"field": "file", "message": str(label)} for label in flag_labels(evidence.flags)]
        return Response(body, status=201)


class ReportTransitionViewSet(
    NestedViewSetMixin, CSVListMixin, mixins.ListModelMixin, viewsets.GenericViewSet[ReportTransition]
):
    """`monev/reports/{report_pk}/transitions/`: every step of one report's workflow, in order (#12): who moved it
    from which status to which, when, and why (the reason of a return)."""

    queryset = ReportTransition.objects.select_related("by")
    serializer_class = ReportTransitionSerializer
    ordering_fields = ["id", "at"]
    ordering = ["at", "id"]
    modified_fields = ("at",)  # written once, never changed

    parent_model = MonevReport
    parent_kwarg = "report_pk"
    parent_related = "transitions"


class OwnRecords(permissions.IsAuthenticated):
    """Logged in; a read-only token may not mark anything read (#10)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        refuse_read_only_token_writes(request)
        return True


class NotificationViewSet(
    CSVListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]
):
    """The user's own notifications, newest first (#12; everyone has theirs, nobody sees another's); filter
    `unread`. `POST {id}/read/` marks one read, `POST read-all/` all of them."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [OwnRecords]
    ordering_fields = ["id", "created"]
    ordering = ["-created", "-id"]
    modified_fields = ("created", "read_at")  # a notification changes once: when it is read

    def get_queryset(self) -> QuerySet[Notification]:
        read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
        return Notification.objects.filter(user=signed_in(self.request)).annotate(read=read)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        if notification.read_at is None:
            self.get_queryset().filter(pk=notification.pk).update(read_at=timezone.now())
        return Response(self.get_serializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request: Request) -> Response:
        """Marks every unread notification read, as the page's button does; answers how many."""
        marked = self.get_queryset().filter(read_at__isnull=True).update(read_at=timezone.now())
        return Response({"marked": marked})


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17)
# ---------------------------------------------------------------------------------------------------------------------
class RiskRuleViewSet(
    ScopedViewSetMixin, HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet[RiskRule],
):  # fmt: skip
    """The rules of the risk register: every role that sees warnings reads them; ministry staff and Itjen change a
    rule's label, threshold, weight or activity with PATCH and the `version` it is based on."""

    queryset = RiskRule.objects.all()
    serializer_class = RiskRuleSerializer
    ordering_fields = ["code", "weight"]
    ordering = ["-weight", "code"]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: Any) -> None:
        rule = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(rule, name, value)
        try:
            serializer.instance = services.save_risk_rule(rule, acting_user=self.request.user)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None


RISK_ROW = {
    "type": "object",
    "properties": {
        "rank": {"type": "integer"}, "key": {"type": "string"}, "name": {"type": "string"},
        "regency": {"type": "string"}, "regency_name": {"type": "string"}, "province": {"type": "string"},
        "score": {"type": "integer"}, "url": {"type": "string"},
        "reasons": {"type": "array", "items": {"type": "object", "properties": {
            "rule": {"type": "string"}, "label": {"type": "string"}, "weight": {"type": "integer"},
            "count": {"type": "integer"}, "details": {"type": "array", "items": {"type": "string"}},
        }}},
    },
}  # fmt: skip


class RiskRankingView(viewsets.GenericViewSet[RiskRule]):
    """Kab/kota, sentra or allocations ranked by their risk score for a year (the latest with allocations in the
    user's scope by default), each row with its `score` and `reasons`: the rules that fired and the figures behind
    them. Filters `year`, `province`, `regency`, `rule`; `ordering` by `rank` (the default), `score` or `name`;
    paged like every list. Computed when asked, so `modified_after` keeps every row. Scoped: a regional officer
    sees their own region only."""

    level = "regency"
    queryset = RiskRule.objects.all()
    filterset_class = RiskFilterSet  # the assessment's questions, validated by the usual backends (400 naming them)
    ordering_fields = ["rank", "score", "name"]
    ordering = ["rank"]
    modified_fields = ()  # computed now: no row has a time of its own

    def get_queryset(self) -> Any:
        # The usual filter backends check the parameters against this queryset (never evaluated); the ordering
        # names resolve on it as on the rows ranked below.
        rows = RiskRule.objects.for_user(self.request.user)
        return rows.annotate(rank=Value(0), score=Value(0), name=F("label"))

    @extend_schema(
        responses={200: {"type": "object", "properties": {
            "count": {"type": "integer"}, "year": {"type": "integer"}, "next": {"type": "string"},
            "previous": {"type": "string"}, "results": {"type": "array", "items": RISK_ROW},
        }}, 400: OpenApiResponse(description="A filter that is not valid, named with its message.")},
    )  # fmt: skip
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response | StreamingHttpResponse:
        self.filter_queryset(self.get_queryset())  # the parameters checked: unknown, invalid, ordering
        filterset = RiskFilterSet(request.query_params, queryset=RiskRule.objects.none(), request=request)
        assessment = filterset.assessment()
        ranked = assessment.ranking(self.level) if assessment is not None else []
        rows = [{"rank": rank, "key": str(row.key), **row.as_dict()} for rank, row in enumerate(ranked, start=1)]
        ordering = request.query_params.get("ordering", "").strip()
        if ordering.lstrip("-") in ("score", "name"):
            rows.sort(key=lambda row: row[ordering.lstrip("-")], reverse=ordering.startswith("-"))
        elif ordering == "-rank":
            rows.reverse()
        if getattr(request.accepted_renderer, "format", None) == "csv":
            header = ["rank", "key", "name", "regency", "regency_name", "province", "score", "reasons"]
            lines = [
                [*(row[name] for name in header[:-1]), " | ".join(
                    f"{r['label']} (+{r['weight']}): {'; '.join(r['details'])}" for r in row["reasons"])]
                for row in rows
            ]  # fmt: skip
            return csv_response(f"risk-{self.level}", header, lines)
        page = self.paginate_queryset(rows)  # a list of rows: paged all the same
        response = self.get_paginated_response(page if page is not None else rows)
        response.data["year"] = assessment.context.year if assessment else None
        return response


class RegencyRiskView(RiskRankingView):
    level = "regency"


class SentraRiskView(RiskRankingView):
    level = "sentra"


class AllocationRiskView(RiskRankingView):
    level = "allocation"

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal.api.viewsets import ScopedCreateListUpdateViewSet
from dakportal.generic import scoped
from monev import services
from monev.api.serializers import (
    FindingSerializer,
    FollowUpSerializer,
    MonevReportSerializer,
    TransitionSerializer,
    VerificationSerializer,
)
from monev.filtersets import FindingFilterSet, MonevReportFilterSet
from monev.models import Finding, FollowUp, MonevReport, Recommendation

CONFLICT = OpenApiResponse(description="Another user changed the record meanwhile.")


class MonevReportViewSet(ScopedCreateListUpdateViewSet):
    """Monev reports in the user's scope. Workflow: `submit/` (officer), `return/` with a reason and `accept/`
    (ministry). A transition not allowed from the current status answers 400; pass the `version` you saw to get
    409 instead of acting on a report someone else changed meanwhile."""

    queryset = MonevReport.objects.select_related("sentra").prefetch_related("allocations", "evidence")
    serializer_class = MonevReportSerializer
    filterset_class = MonevReportFilterSet
    ordering_fields = ["id", "year", "quarter", "deadline", "status"]
    ordering = ["id"]
    action_permissions = {
        "submit": ("change", "change"),
        "return_": ("review", "view"),
        "accept": ("review", "view"),
    }

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

    def _transition(self, request: Request, function: Any, **kwargs: Any) -> Response:
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = function(self.get_object(), acting_user=request.user, version=data.validated_data["version"], **kwargs)
        return Response(MonevReportSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=TransitionSerializer, responses={200: MonevReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._transition(request, services.submit_report)

    @extend_schema(request=TransitionSerializer, responses={200: MonevReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        reason = str(request.data.get("reason", ""))
        return self._transition(request, services.return_report, reason=reason)

    @extend_schema(request=TransitionSerializer, responses={200: MonevReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._transition(request, services.accept_report)


class FindingViewSet(ScopedCreateListUpdateViewSet):
    """Itjen findings in the user's scope, with recommendations; follow-ups at `{id}/follow-ups/`, Itjen's
    verification at `{id}/follow-ups/{follow_up}/verify/`, closing at `{id}/close/`."""

    queryset = Finding.objects.select_related("regency").prefetch_related("recommendations")
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    ordering_fields = ["id", "due_date", "created", "loss_value"]
    ordering = ["id"]
    action_permissions = {
        "follow_ups": ("view", "view"),
        "verify": ("verify", "view"),
        "close": ("change", "view"),
    }

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

    @extend_schema(request=FollowUpSerializer, responses={200: FollowUpSerializer(many=True), 201: FollowUpSerializer})
    @action(detail=True, methods=["get", "post"], url_path="follow-ups", url_name="follow-ups")
    def follow_ups(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        if request.method == "GET":
            return Response(FollowUpSerializer(finding.follow_ups.all(), many=True).data)
        if (
            not request.user.has_perm("monev.add_followup")
            or not scoped(Finding.objects.filter(pk=finding.pk), request.user, "view").exists()
        ):
            self.permission_denied(request)
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up = services.submit_follow_up(finding, reply=data.validated_data["reply"], acting_user=request.user)
        return Response(FollowUpSerializer(follow_up).data, status=201)

    @extend_schema(request=VerificationSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path=r"follow-ups/(?P<follow_up>\d+)/verify", url_name="verify")
    def verify(self, request: Request, pk: str, follow_up: str) -> Response:
        finding = self.get_object()
        item = get_object_or_404(FollowUp, pk=follow_up, finding=finding)
        data = VerificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.verify_follow_up(item, acting_user=request.user, **data.validated_data)
        return Response(FollowUpSerializer(item).data)

    @extend_schema(request=None, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        finding = services.close_finding(self.get_object(), acting_user=request.user)
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data)

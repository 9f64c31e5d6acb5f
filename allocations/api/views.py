from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from allocations import services
from allocations.api.serializers import AllocationSerializer, RealisationSerializer, SummaryRowSerializer
from allocations.filtersets import AllocationFilterSet, RealisationFilterSet
from allocations.models import Allocation, Realisation
from allocations.querysets import GROUPS
from dakportal.api.viewsets import ScopedCreateListUpdateViewSet, ScopedModelViewSet, VoidActionMixin
from dakportal.exports import csv_response


class AllocationViewSet(ScopedModelViewSet):
    """Allocations in the user's scope; filters `year`, `year_min`, `year_max`, `province`, `regency`."""

    queryset = Allocation.objects.select_related("regency", "sub_field").with_totals()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    ordering_fields = ["id", "year", "regency", "amount", "spent", "progress"]
    ordering = ["id"]

    save_service = services.save_allocation
    extra_query_parameters = {"summary": {"group_by"}}  # #12: known to the strict query parameters

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
        queryset = self.filter_queryset(Allocation.objects.for_user(request.user))  # no per-row totals needed
        rows = list(queryset.summary(group_by))
        if getattr(request.accepted_renderer, "format", None) == "csv":
            header = [group_by, "amount", "regency_count"]
            return csv_response(
                f"allocations-by-{group_by}", header, ([r[group_by], r["amount"], r["regency_count"]] for r in rows)
            )
        return Response(rows)


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

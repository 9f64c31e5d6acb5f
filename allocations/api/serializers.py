from __future__ import annotations

from typing import Any

from rest_framework import serializers

from allocations.choices import ReferenceKind
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    FiscalYear,
    Realisation,
    ReferenceItem,
)
from dakportal.api.serializers import (
    ReferenceCodeField,
    RegionCodeField,
    ScopedPrimaryKeyRelatedField,
    ValidatedModelSerializer,
)
from dakportal.regions.models import Regency


class AllocationSerializer(ValidatedModelSerializer):
    """An allocation: money in whole rupiah; `regency` is today's code (a former one is accepted: `91.01` for
    93.01), `regency_code_then` the code it was made under; `sub_field` the code of a sub-field of its year
    (`revitalisasi`). Totals are computed (read-only)."""

    regency = RegionCodeField(model=Regency)
    province = serializers.CharField(source="regency.province_id", read_only=True)
    sub_field = ReferenceCodeField(kind=ReferenceKind.SUB_FIELD, year_from="year")
    planned = serializers.IntegerField(read_only=True)
    contracted = serializers.IntegerField(read_only=True)
    received = serializers.IntegerField(read_only=True)
    spent = serializers.IntegerField(read_only=True)
    progress = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, coerce_to_string=False)
    absorption_received = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, coerce_to_string=False
    )

    class Meta:
        model = Allocation
        fields = [
            "id", "year", "regency", "regency_code_then", "province", "sub_field", "kind", "amount",
            "legal_basis", "synthetic", "plan_status", "plan_return_reason", "plan_decided_at", "planned", "contracted",
            "received", "spent", "progress", "absorption_received", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "regency_code_then", "synthetic", "plan_status", "plan_return_reason", "plan_decided_at", "created",
            "last_updated",
        ]  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A new kab/kota keeps the code it was given under (`91.01`), as the annex import does."""
        regency = attrs.get("regency")
        if regency is not None and (self.instance is None or self.instance.regency_id != regency.code):
            attrs["regency_code_then"] = getattr(regency, "sent_code", regency.code)
        return super().validate(attrs)


class RealisationSerializer(ValidatedModelSerializer):
    """A quarter's cumulative money spent and physical progress (0-100) of an allocation."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    year = serializers.IntegerField(source="allocation.year", read_only=True)
    physical_progress = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Realisation
        fields = [
            "id",
            "allocation",
            "year",
            "quarter",
            "spent",
            "physical_progress",
            "note",
            "voided_at",
            "void_reason",
            "created",
            "last_updated",
        ]
        read_only_fields = ["voided_at", "void_reason", "created", "last_updated"]


class SummaryRowSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    province = serializers.CharField(required=False)
    regency = serializers.CharField(required=False)
    amount = serializers.IntegerField()
    regency_count = serializers.IntegerField()


class PlanDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why the plan is returned (required to return it)."
    )


class ActivityItemSerializer(ValidatedModelSerializer):
    """A line of an allocation's activity plan (RK, #12): what is built or bought at which sentra, volume x unit
    cost. `menu`, `detail` and `unit` are codes of the allocation's year (`revitalisasi`, `mesin`, `paket`);
    `value` is computed. The plan changes only while it is a draft or returned."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    year = serializers.IntegerField(source="allocation.year", read_only=True)
    menu = ReferenceCodeField(kind=ReferenceKind.MENU, year_from="allocation.year")
    detail = ReferenceCodeField(kind=ReferenceKind.DETAIL, year_from="allocation.year")
    unit = ReferenceCodeField(kind=ReferenceKind.UNIT, year_from="allocation.year")
    volume = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = ActivityItem
        fields = [
            "id", "allocation", "year", "sentra", "menu", "detail", "volume", "unit", "unit_cost", "value", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["value", "created", "last_updated"]


class ContractSerializer(ValidatedModelSerializer):
    """A contract (or self-managed work) under an allocation (#12); contracts may not exceed the plan. A wrong one
    is corrected by PATCH or voided with `void/` and a reason: it stays, with `voided_at` and `void_reason`."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)

    class Meta:
        model = Contract
        fields = [
            "id", "allocation", "number", "date", "supplier", "value", "method", "start_date", "end_date",
            "handover_date", "voided_at", "void_reason", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["voided_at", "void_reason", "created", "last_updated"]


class DisbursementSerializer(ValidatedModelSerializer):
    """Money transferred to the kab/kota's treasury for one stage (#12); never more than the pagu in all."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)

    class Meta:
        model = Disbursement
        fields = [
            "id", "allocation", "stage", "amount", "date", "voided_at", "void_reason", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["voided_at", "void_reason", "created", "last_updated"]


class ReferenceItemSerializer(serializers.ModelSerializer):
    """An item of one year's reference list (sub-field, menu, detail, unit); `years`: every year whose list has
    this code (#12)."""

    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ReferenceItem
        fields = ["id", "kind", "year", "code", "name", "source", "years"]
        read_only_fields = fields


class DisbursementRuleSerializer(serializers.ModelSerializer):
    share_percent = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True)
    min_absorption_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    min_output_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = DisbursementRule
        fields = [
            "order", "name", "share_percent", "min_absorption_percent", "min_output_percent",
            "needs_previous_quarter_report", "single_payment",
        ]  # fmt: skip
        read_only_fields = fields


class FiscalYearSerializer(serializers.ModelSerializer):
    """A fiscal year (TA) with its legal basis and disbursement rules (#12): the staged rules, and the single
    payment used when the pagu is at most `single_payment_max`."""

    rules = DisbursementRuleSerializer(many=True, read_only=True)

    class Meta:
        model = FiscalYear
        fields = ["year", "legal_basis", "single_payment_max", "rules"]
        read_only_fields = fields

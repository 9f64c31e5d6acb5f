from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from allocations.choices import ReferenceKind
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    FiscalYear,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    RequiredDocument,
    StageDocument,
)
from dakportal.accounts.models import User
from dakportal.api.serializers import (
    RegionCodeField,
    ScopedPrimaryKeyRelatedField,
    ValidatedModelSerializer,
    YearCodeField,
)
from dakportal.regions.models import Regency


class ReferenceCodeField(YearCodeField):
    """A yearly reference item (sub-field, menu, detail, unit) by its code, in the year of the record it belongs to:
    `"sub_field": "revitalisasi"` is the sub-field of the allocation's year (#12)."""

    example = "revitalisasi"
    default_error_messages = {"does_not_exist": _lazy("{value} is not in this year's reference list.")}

    def __init__(self, *, kind: str, year_from: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(model=ReferenceItem, year_from=year_from, **kwargs)

    def lookup_filters(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def schema_description(self) -> str:
        return f"Code in the {self.kind} reference list of the record's year (`{self.year_from}`), e.g. {self.example}."


class AllocationSerializer(ValidatedModelSerializer[Allocation]):
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


class RealisationSerializer(ValidatedModelSerializer[Realisation]):
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


class SummaryRowSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(required=False)
    province = serializers.CharField(required=False)
    regency = serializers.CharField(required=False)
    amount = serializers.IntegerField()
    regency_count = serializers.IntegerField()


class ActivityItemSerializer(ValidatedModelSerializer[ActivityItem]):
    """A line of an allocation's activity plan (RK, #12): what is built or bought at which sentra, volume x unit
    cost. `menu`, `detail` and `unit` are codes of the allocation's year (`revitalisasi`, `mesin`, `paket`);
    `value` is computed. The plan changes only while it is a draft or returned. A unit cost more than 1.5 times, or
    less than half, the national median of the other lines (same detail, unit and year) needs a
    `unit_cost_justification`; the answer's `warnings` name such a cost (#17.4)."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    year = serializers.IntegerField(source="allocation.year", read_only=True)
    menu = ReferenceCodeField(kind=ReferenceKind.MENU, year_from="allocation.year")
    detail = ReferenceCodeField(kind=ReferenceKind.DETAIL, year_from="allocation.year")
    unit = ReferenceCodeField(kind=ReferenceKind.UNIT, year_from="allocation.year")
    volume = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = ActivityItem
        fields = [
            "id", "allocation", "year", "sentra", "menu", "detail", "volume", "unit", "unit_cost",
            "unit_cost_justification", "value", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["value", "created", "last_updated"]


class ContractSerializer(ValidatedModelSerializer[Contract]):
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


class StageCodeField(YearCodeField):
    """A stage of the allocation's fiscal-year rules by its code (`tahap_1`, `sekaligus`; #12, #13)."""

    example = "tahap_1"
    default_error_messages = {"does_not_exist": _lazy("{value} is not a stage of this year's rules.")}
    year_lookup = "fiscal_year_id"
    missing_year = _lazy("Give the allocation first: a stage belongs to its year's rules.")

    def __init__(self, *, year_from: str, **kwargs: Any) -> None:
        super().__init__(model=DisbursementRule, year_from=year_from, **kwargs)

    def schema_description(self) -> str:
        return (
            f"Code of a stage in the fiscal-year rules of the record's year (`{self.year_from}`), e.g. {self.example}."
        )


class DisbursementSerializer(ValidatedModelSerializer[Disbursement]):
    """Money transferred to the kab/kota's treasury for one stage (#12), by the stage's code in the allocation's
    year (#13); never more than the stage's amount. Its conditions as they stood on its date come back with it."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    stage = StageCodeField(source="rule", year_from="allocation.year")

    class Meta:
        model = Disbursement
        fields = [
            "id", "allocation", "stage", "amount", "date", "conditions_met", "conditions", "voided_at", "void_reason",
            "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["conditions_met", "conditions", "voided_at", "void_reason", "created", "last_updated"]


class ReferenceItemSerializer(serializers.ModelSerializer[ReferenceItem]):
    """An item of one year's reference list (sub-field, menu, detail, unit); `years`: every year whose list has
    this code (#12)."""

    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ReferenceItem
        fields = ["id", "kind", "year", "code", "name", "source", "years"]
        read_only_fields = fields


class DisbursementRuleSerializer(serializers.ModelSerializer[DisbursementRule]):
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
            "order", "code", "name", "formula", "share_percent", "min_absorption_percent", "min_output_percent",
            "needs_previous_quarter_report", "needs_approved_plan", "needs_contract", "single_payment",
            "window_start_month", "window_start_day", "window_end_month", "window_end_day", "source",
        ]  # fmt: skip
        read_only_fields = fields


class FiscalYearSerializer(serializers.ModelSerializer[FiscalYear]):
    """A fiscal year (TA) with its legal basis and disbursement rules (#12): the staged rules, and the single
    payment used when the pagu is at most `single_payment_max`."""

    rules = DisbursementRuleSerializer(many=True, read_only=True)

    class Meta:
        model = FiscalYear
        fields = ["year", "legal_basis", "single_payment_max", "rules"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------------------------
# Stages, their documents, the quarterly plan (#13)
# ---------------------------------------------------------------------------------------------------------------------
class StageConditionSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.ChoiceField(
        choices=["window", "documents", "plan", "contract", "previous_quarter", "absorption", "output"]
    )
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass moves a declared field off the class
    met = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why the condition is not met; empty when it is.")


class StageSerializer(serializers.Serializer[dict[str, Any]]):
    """One disbursement stage of an allocation (CONTRACT.md): Tahap III's `amount` is min(pagu, contract value) less
    what Tahap I and II disbursed. The conditions are those kept with the stage's latest disbursement (as at its
    date), else as at today or the close of the stage's window."""

    stage = serializers.CharField(help_text="The stage's code in the year's rules, e.g. tahap-3.")
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="The stage's computed amount, whole rupiah.")
    disbursed = serializers.IntegerField()
    disbursed_on = serializers.DateField(allow_null=True)
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    conditions = StageConditionSerializer(many=True)


class QuarterlyPlanSerializer(ValidatedModelSerializer[QuarterlyPlan]):
    """The allocation's quarterly plan (rencana penarikan dana): funds to draw by the end of each quarter,
    cumulative, whole rupiah, and the physical progress targeted (0-100), entered with the activity plan."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    physical_q1 = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    physical_q2 = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    physical_q3 = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    physical_q4 = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = QuarterlyPlan
        fields = [
            "id", "allocation", "funds_q1", "funds_q2", "funds_q3", "funds_q4", "physical_q1", "physical_q2",
            "physical_q3", "physical_q4", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]


class StageDocumentSerializer(ValidatedModelSerializer[StageDocument]):
    """A document a stage requires: uploaded by the region (multipart: `allocation`, `requirement`, `file`,
    optional `submitted_on`), verified or rejected by the ministry (`verify/`, `reject/`). `file` is the address
    of the scoped download."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    requirement = serializers.PrimaryKeyRelatedField(queryset=RequiredDocument.objects.all())
    stage = serializers.CharField(source="requirement.rule.code", read_only=True)
    document = serializers.CharField(source="requirement.name", read_only=True)
    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()
    uploaded_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    decided_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()

    class Meta:
        model = StageDocument
        fields = [
            "id", "allocation", "requirement", "stage", "document", "file", "download", "submitted_on",
            "uploaded_by", "status", "decided_by", "decided_on", "decided_at", "reject_reason", "created",
        ]  # fmt: skip
        read_only_fields = ["status", "decided_on", "decided_at", "reject_reason", "created"]

    def get_download(self, obj: StageDocument) -> str:
        return reverse("allocations:stagedocument_file", args=[obj.pk])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        upload = attrs.pop("file", None)
        attrs = super().validate(attrs)
        attrs["file"] = upload
        return attrs


class DocumentDecisionSerializer(serializers.Serializer[None]):
    version = serializers.IntegerField(min_value=1, help_text="The version the decision is based on.")
    decided_on = serializers.DateField(required=False, help_text="The day it counts from (today by default).")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Required to reject.")

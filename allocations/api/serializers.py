from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from allocations.models import Allocation, QuarterlyPlan, Realisation, ReferenceItem, RequiredDocument, StageDocument
from dakportal.api.serializers import ScopedPrimaryKeyRelatedField, ValidatedModelSerializer
from dakportal.regions.models import Regency


class AllocationSerializer(ValidatedModelSerializer):
    """An allocation: money in whole rupiah; `regency` is today's code, `regency_code_then` the code it was made
    under. Totals are computed (read-only)."""

    regency = ScopedPrimaryKeyRelatedField(model=Regency)
    province = serializers.CharField(source="regency.province_id", read_only=True)
    sub_field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sub_field_id = serializers.PrimaryKeyRelatedField(
        source="sub_field", queryset=ReferenceItem.objects.filter(kind="sub_field"), write_only=True
    )
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
            "id", "year", "regency", "regency_code_then", "province", "sub_field", "sub_field_id", "kind", "amount",
            "legal_basis", "synthetic", "plan_status", "planned", "contracted", "received", "spent", "progress",
            "absorption_received", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["regency_code_then", "synthetic", "plan_status", "created", "last_updated"]


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


# ---------------------------------------------------------------------------------------------------------------------
# Stages, their documents, the quarterly plan (#13)
# ---------------------------------------------------------------------------------------------------------------------
class StageConditionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["window", "documents", "plan", "contract", "previous_quarter", "absorption", "output"]
    )
    label = serializers.CharField()
    met = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why the condition is not met; empty when it is.")


class StageSerializer(serializers.Serializer):
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


class QuarterlyPlanSerializer(ValidatedModelSerializer):
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


class StageDocumentSerializer(ValidatedModelSerializer):
    """A document a stage requires: uploaded by the region (multipart: `allocation`, `requirement`, `file`,
    optional `submitted_on`), verified or rejected by the ministry (`verify/`, `reject/`). `file` is the address
    of the scoped download."""

    allocation = ScopedPrimaryKeyRelatedField(model=Allocation)
    requirement = serializers.PrimaryKeyRelatedField(queryset=RequiredDocument.objects.all())
    stage = serializers.CharField(source="requirement.rule.code", read_only=True)
    document = serializers.CharField(source="requirement.name", read_only=True)
    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()
    uploaded_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

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


class DocumentDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the decision is based on.")
    decided_on = serializers.DateField(required=False, help_text="The day it counts from (today by default).")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Required to reject.")

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from allocations.choices import ReferenceKind
from allocations.models import Allocation, Realisation
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
            "legal_basis", "synthetic", "plan_status", "planned", "contracted", "received", "spent", "progress",
            "absorption_received", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["regency_code_then", "synthetic", "plan_status", "created", "last_updated"]

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

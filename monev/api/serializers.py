from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from allocations.models import Allocation
from dakportal.api.serializers import ScopedPrimaryKeyRelatedField, ValidatedModelSerializer
from monev.models import (
    FOLLOW_UP_DAYS,
    Evidence,
    Finding,
    FollowUp,
    MonevReport,
    Notification,
    Recommendation,
    ReportTransition,
    default_deadline,
)
from sentra.models import Sentra


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "title",
            "content_type",
            "size",
            "latitude",
            "longitude",
            "taken_at",
            "distance_km",
            "flags",
            "url",
        ]


class EvidenceItemSerializer(EvidenceSerializer):
    """A photo or document of a monev report or a follow-up (#12), with the position and time its EXIF gave and
    the flags the page shows (`far_from_sentra`, `outside_period`: flagged, never refused). `download` serves the
    file to users who may see the report."""

    download = serializers.SerializerMethodField()

    class Meta(EvidenceSerializer.Meta):
        fields = ["report", "follow_up", *EvidenceSerializer.Meta.fields, "download", "created"]
        read_only_fields = fields

    def get_download(self, evidence: Evidence) -> str:
        from django.urls import reverse

        url = reverse("api:evidence-file", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class EvidenceUploadSerializer(serializers.Serializer):
    """A new photo or document of a report (multipart), checked like the page's upload: by content (JPEG, PNG or
    PDF, UPLOAD_MAX_MB), a photo's EXIF place and time read and flagged. Only while the report is a draft or
    returned."""

    report = ScopedPrimaryKeyRelatedField(model=MonevReport)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text="JPEG, PNG or PDF, checked by its content.")


class ReportTransitionSerializer(serializers.ModelSerializer):
    """One step of a report's workflow (#5): from, to, why, by whom, when."""

    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ReportTransition
        fields = ["id", "from_status", "to_status", "reason", "by", "at"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    """One of the user's own notifications (#12); `read` once marked as read."""

    read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created", "read_at", "read"]
        read_only_fields = fields


class MonevReportSerializer(ValidatedModelSerializer):
    """A monev report. `status`, `version` and the workflow fields change only through the actions
    `submit/`, `return/` (with `reason`) and `accept/`."""

    sentra = ScopedPrimaryKeyRelatedField(model=Sentra)
    allocations = ScopedPrimaryKeyRelatedField(model=Allocation, many=True, required=False)
    regency = serializers.CharField(source="sentra.regency_id", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = MonevReport
        fields = [
            "id", "sentra", "regency", "allocations", "period_kind", "year", "quarter", "visit_date", "deadline",
            "status", "version", "operating_score", "operating_note", "compliance_score", "compliance_note",
            "sustainability_score", "sustainability_note", "checklist", "active_units", "workers", "output",
            "submitted_at", "return_reason", "is_late", "evidence", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["status", "version", "submitted_at", "return_reason", "created", "last_updated"]
        extra_kwargs = {"deadline": {"required": False}}

    def validate(self, attrs):  # type: ignore[no-untyped-def]
        """The deadline defaults to the end of the month after the quarter (or 30 days after a visit)."""
        if not attrs.get("deadline") and not (self.instance and self.instance.deadline):
            if attrs.get("quarter") and attrs.get("year"):
                attrs["deadline"] = default_deadline(attrs["year"], attrs["quarter"])
            elif attrs.get("visit_date"):
                attrs["deadline"] = attrs["visit_date"] + timedelta(days=30)
        return super().validate(attrs)


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "text", "responsible_official", "due_date", "value"]


class FindingSerializer(ValidatedModelSerializer):
    """An Itjen finding; recommendations can be given when it is recorded."""

    recommendations = RecommendationSerializer(many=True, required=False)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "regency", "assignment", "sentra", "allocation", "report", "title", "category", "condition",
            "criteria", "cause", "effect", "loss_value", "due_date", "status", "follow_up_class", "closed_at",
            "is_overdue", "recommendations", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["status", "follow_up_class", "closed_at", "created", "last_updated"]
        extra_kwargs = {"due_date": {"required": False}, "regency": {"required": False}}

    def get_is_overdue(self, finding: Finding) -> bool:
        from monev.services import is_overdue

        return is_overdue(finding)

    def validate(self, attrs):  # type: ignore[no-untyped-def]
        recommendations = attrs.pop("recommendations", None)
        if attrs.get("sentra") and not attrs.get("regency"):
            attrs["regency"] = attrs["sentra"].regency
        if not attrs.get("due_date") and not self.instance:
            attrs["due_date"] = timezone.localdate() + timedelta(days=FOLLOW_UP_DAYS)
        attrs = super().validate(attrs)
        if recommendations is not None:
            attrs["recommendations"] = recommendations
        return attrs


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "finding", "reply", "submitted_by", "verification", "verification_reason", "verified_by",
                  "verified_at", "created"]  # fmt: skip
        read_only_fields = [
            "finding",
            "submitted_by",
            "verification",
            "verification_reason",
            "verified_by",
            "verified_at",
            "created",
        ]


class VerificationSerializer(serializers.Serializer):
    verification = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")

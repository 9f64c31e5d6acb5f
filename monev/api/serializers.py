from __future__ import annotations

from typing import Any

from rest_framework import serializers

from allocations.models import Allocation
from dakportal.accounts.models import User
from dakportal.accounts.scoping import Scope
from dakportal.api.serializers import ScopedPrimaryKeyRelatedField, ValidatedModelSerializer
from dakportal.regions.models import Regency
from monev.choices import TeamRole
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
from sentra.models import Sentra


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
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


class EvidenceUploadSerializer(serializers.Serializer[None]):
    """A new photo or document of a report (multipart), checked like the page's upload: by content (JPEG, PNG or
    PDF, UPLOAD_MAX_MB), a photo's EXIF place and time read and flagged. Only while the report is a draft or
    returned."""

    report = ScopedPrimaryKeyRelatedField(model=MonevReport)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text="JPEG, PNG or PDF, checked by its content.")


class ReportTransitionSerializer(serializers.ModelSerializer[ReportTransition]):
    """One step of a report's workflow (#5): from, to, why, by whom, when."""

    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ReportTransition
        fields = ["id", "from_status", "to_status", "reason", "by", "at"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    """One of the user's own notifications (#12); `read` once marked as read."""

    read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created", "read_at", "read"]
        read_only_fields = fields


class MonevReportSerializer(ValidatedModelSerializer[MonevReport]):
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


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    class Meta:
        model = Recommendation
        fields = ["id", "text", "responsible_official", "due_date", "amount_to_recover", "status"]
        read_only_fields = ["status"]


class FindingSerializer(ValidatedModelSerializer[Finding]):
    """An Itjen finding; recommendations can be given when it is recorded."""

    recommendations = RecommendationSerializer(many=True, required=False)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "regency", "assignment", "sentra", "allocation", "report", "title", "category", "condition",
            "criteria", "cause", "effect", "loss_value", "due_date", "status", "follow_up_class", "closed_at",
            "is_overdue", "recommendations", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["status", "follow_up_class", "closed_at", "created", "last_updated"]
        extra_kwargs = {"due_date": {"required": False}, "regency": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        recommendations = attrs.pop("recommendations", None)
        attrs = super().validate(attrs)
        if recommendations is not None:
            attrs["recommendations"] = recommendations
        return attrs


class RecommendationDetailSerializer(serializers.ModelSerializer[Recommendation]):
    """A recommendation with its follow-up status (#13): `status` is the latest verification (one of the four
    classes of Peraturan BPK 2/2017), `amount_to_recover` in whole rupiah, `amount_recovered` the deposits Itjen
    accepted, `amount_remaining` what is still to recover; the follow-ups are at `follow-ups/`."""

    regency = serializers.CharField(source="finding.regency_id", read_only=True)
    year = serializers.IntegerField(read_only=True)
    amount_recovered = serializers.IntegerField(read_only=True)
    amount_remaining = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id", "finding", "regency", "year", "text", "responsible_official", "due_date", "status", "is_overdue",
            "amount_to_recover", "amount_recovered", "amount_remaining", "follow_ups", "version", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    def get_follow_ups(self, recommendation: Recommendation) -> str:
        from django.urls import reverse

        return reverse("api:recommendation-follow-ups-list", args=[recommendation.pk])


class FollowUpEvidenceSerializer(EvidenceSerializer):
    pass


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    """A follow-up of one recommendation (#13): the reply, its attachments (`attachments`, multipart, JPEG, PNG or
    PDF checked by content as every upload), and any money deposited to the treasury (`amount_deposited` whole
    rupiah, `deposit_to` kas_negara or kas_daerah, `deposit_reference` the NTPN or STS number, `deposit_date`);
    then Itjen's `verification` (through `{id}/verify/`, with the `version` seen)."""

    attachments = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, default=list,
        help_text="Documents of the follow-up: JPEG, PNG or PDF, checked by content.",
    )  # fmt: skip
    evidence = FollowUpEvidenceSerializer(many=True, read_only=True)
    submitted_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    verified_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = FollowUp
        fields = [
            "id", "recommendation", "reply", "amount_deposited", "deposit_to", "deposit_reference", "deposit_date",
            "attachments", "evidence", "submitted_by", "verification", "verification_reason", "verified_by",
            "verified_at", "version", "created",
        ]  # fmt: skip
        read_only_fields = [
            "recommendation", "submitted_by", "verification", "verification_reason", "verified_by", "verified_at",
            "version", "created",
        ]  # fmt: skip


class VerificationSerializer(serializers.Serializer[None]):
    """Itjen's verification of a follow-up: the class, the reason (required for belum_sesuai and tidak_dapat),
    and the follow-up's `version` as the auditor saw it (required: a stale one answers 409)."""

    verification = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, help_text="The follow-up's version the verification is based on.")


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas) and field visit reports (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
class MemberSerializer(serializers.Serializer[AssignmentMember]):
    """A member of the team: the Itjen user by username, and the role."""

    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    role = serializers.ChoiceField(choices=TeamRole.choices)


class AssignmentSerializer(ValidatedModelSerializer[Assignment]):
    """A surat tugas. `members` is the whole team (`[{"user": "itjen.ketua", "role": "lead"}, ...]`): exactly one
    lead and at least one controller, all Itjen auditors; `regencies` the kab/kota codes; `sentra` the ids of the
    sentra to visit, each in those kab/kota. A regional officer reads only the kab/kota, sentra and visit reports
    of their own region."""

    members = MemberSerializer(many=True, required=False)
    regencies = ScopedPrimaryKeyRelatedField(model=Regency, many=True, required=False)
    sentra = ScopedPrimaryKeyRelatedField(model=Sentra, many=True, required=False)
    visits = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id", "number", "date", "period_start", "period_end", "fiscal_years", "regencies", "sentra", "members",
            "notes", "visits", "version", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def get_visits(self, assignment: Assignment) -> list[int]:
        return [visit.pk for visit in getattr(assignment, "visible_visits", [])]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        members = attrs.pop("members", None)
        attrs = super().validate(attrs)
        if members is not None:
            attrs["members"] = [(member["user"], member["role"]) for member in members]
        return attrs

    def to_representation(self, instance: Assignment) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        scope = Scope.of(getattr(request, "user", None))
        if not scope.national:  # #13: nothing of another region, even on an assignment naming both
            data["regencies"] = [code for code in data["regencies"] if scope.allows_code(code)]
            allowed = {place.pk for place in instance.sentra.all() if scope.allows_code(place.regency_id)}
            data["sentra"] = [pk for pk in data["sentra"] if pk in allowed]
        return data


class RegistryCheckSerializer(serializers.ModelSerializer[RegistryCheck]):
    class Meta:
        model = RegistryCheck
        fields = [
            "id", "subject", "facility", "document", "field", "label", "registered", "result", "observed",
            "proposed_value", "proposed_quantity", "proposed_condition", "correction", "decision_reason", "version",
        ]  # fmt: skip
        read_only_fields = [
            "subject", "facility", "document", "field", "label", "registered", "correction", "decision_reason",
            "version",
        ]  # fmt: skip


class VisitRecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    """A recommendation of a visit report's finding: due 60 days after the report is issued."""

    class Meta:
        model = Recommendation
        fields = ["id", "text", "responsible_official", "due_date", "amount_to_recover", "status"]
        read_only_fields = ["due_date", "status"]


class VisitFindingSerializer(serializers.ModelSerializer[Finding]):
    """A finding of a visit report with its recommendations (`POST monev/visits/{id}/findings/`)."""

    recommendations = VisitRecommendationSerializer(many=True)

    class Meta:
        model = Finding
        fields = ["id", "title", "category", "condition", "criteria", "cause", "effect", "loss_value", "due_date",
                  "recommendations"]  # fmt: skip
        read_only_fields = ["due_date"]


class VisitEvidenceSerializer(EvidenceSerializer):
    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "indicator"]


class VisitSerializer(ValidatedModelSerializer[Visit]):
    """A field visit report. `status` (draft, submitted, returned, issued), the number and the dates change only
    through the actions `submit/`, `return/` (with `reason`), `approve/` and `issue/`; findings are added at
    `findings/`, the registry check at `checks/`. An issued report is locked."""

    assignment = ScopedPrimaryKeyRelatedField(model=Assignment)
    sentra = ScopedPrimaryKeyRelatedField(model=Sentra)
    regency = serializers.CharField(source="sentra.regency_id", read_only=True)
    approved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    issued_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="username", read_only=True)
    checks = RegistryCheckSerializer(many=True, read_only=True)
    findings = VisitFindingSerializer(many=True, read_only=True)
    evidence = VisitEvidenceSerializer(many=True, read_only=True)
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id", "assignment", "sentra", "regency", "visit_date", "status", "operating_score", "operating_note",
            "compliance_score", "compliance_note", "sustainability_score", "sustainability_note", "conclusion",
            "return_reason", "submitted_at", "approved_by", "approved_at", "number", "issued_on", "issued_by",
            "checks", "findings", "evidence", "pdf", "version", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "status", "return_reason", "submitted_at", "approved_at", "number", "issued_on", "created", "last_updated",
        ]  # fmt: skip

    def get_pdf(self, visit: Visit) -> str:
        from django.urls import reverse

        return reverse("monev:visit_pdf", args=[visit.pk])


class VisitActionSerializer(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class IssueSerializer(serializers.Serializer[None]):
    """The fields of `issue/` besides the `version` (monev.workflows.VISIT_STEPS): the LHM number (the next one of
    the year when blank) and the issue date."""

    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class ChecksSerializer(serializers.Serializer[None]):
    checks = serializers.ListField(child=serializers.DictField(), allow_empty=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RiskRuleSerializer(ValidatedModelSerializer[RiskRule]):
    """#17: a rule of the risk register. Ministry staff and Itjen change `label`, `description`, `threshold`,
    `weight` and `active` (PATCH with `version`); the code, what it looks at and the threshold's unit are fixed."""

    class Meta:
        model = RiskRule
        fields = ["id", "code", "label", "subject", "description", "threshold", "threshold_unit", "weight", "active",
                  "last_updated"]  # fmt: skip
        read_only_fields = ["code", "subject", "threshold_unit", "last_updated"]

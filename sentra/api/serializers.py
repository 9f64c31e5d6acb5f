from __future__ import annotations

from typing import Any

from rest_framework import serializers

from dakportal.accounts.scoping import sees_personal_data
from dakportal.api.serializers import RegionCodeField, ScopedPrimaryKeyRelatedField, ValidatedModelSerializer
from dakportal.regions.models import Village
from dakportal.validators import mask_nik
from sentra.choices import DocumentKind, SentraStatus
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument, SentraStatusChange


class SentraSerializer(ValidatedModelSerializer[Sentra]):
    """A sentra; `district`, `regency` and `province` follow from `village` (a desa/kelurahan code; one under a
    former kab/kota code is accepted and answered with today's). The completeness profile and the idle flag are
    computed (read-only)."""

    village = RegionCodeField(model=Village)
    district = serializers.CharField(source="village.district_id", read_only=True)
    regency = serializers.CharField(source="regency_id", read_only=True)
    province = serializers.CharField(source="regency.province_id", read_only=True)
    completeness = serializers.IntegerField(read_only=True)
    score_facilities = serializers.IntegerField(read_only=True)
    score_legality = serializers.IntegerField(read_only=True)
    score_institution = serializers.IntegerField(read_only=True)
    is_idle = serializers.BooleanField(read_only=True)
    below_minimum_members = serializers.BooleanField(read_only=True)

    class Meta:
        model = Sentra
        fields = [
            "id", "name", "village", "district", "regency", "province", "address", "latitude", "longitude",
            "commodity_group", "kbli", "products", "unit_count", "workers", "production_capacity", "capacity_unit",
            "production_value", "investment_value", "sk_number", "sk_date", "sk_issuer", "land_status",
            "land_certificate", "land_area", "building_permit", "environmental_document", "ded_available",
            "management_body", "management_name", "management_sk", "asset_owner", "status", "status_since",
            "completeness", "score_facilities", "score_legality", "score_institution", "is_idle",
            "below_minimum_members", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["status_since", "created", "last_updated"]


class IKMUnitSerializer(ValidatedModelSerializer[IKMUnit]):
    """A member unit. `owner_nik` is masked (`327301**********`) for anyone but ministry staff and the unit's own
    region (#3)."""

    sentra = ScopedPrimaryKeyRelatedField(model=Sentra)
    size_class = serializers.CharField(read_only=True)

    class Meta:
        model = IKMUnit
        fields = [
            "id", "sentra", "nib", "business_name", "owner_name", "owner_nik", "contact", "legal_form", "kbli",
            "products", "workers_male", "workers_female", "investment_value", "size_class", "halal_certified",
            "sni_certified", "trademark_registered", "year_joined", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def to_representation(self, instance: IKMUnit) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_personal_data(getattr(request, "user", None), instance.sentra.regency):
            data["owner_nik"] = mask_nik(data["owner_nik"])
            data["contact"] = mask_nik(data["contact"]) if data["contact"] else data["contact"]
        return data


class FacilitySerializer(ValidatedModelSerializer[Facility]):
    """A facility of a sentra: kind, quantity and unit, condition (#12)."""

    class Meta:
        model = Facility
        fields = [
            "id", "sentra", "kind", "description", "quantity", "unit", "condition", "year_built", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]


class SentraDocumentSerializer(serializers.ModelSerializer[SentraDocument]):
    """A document or photo of a sentra; `download` is its file, served only to users who may see the sentra."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = SentraDocument
        fields = ["id", "sentra", "kind", "title", "original_name", "content_type", "size", "download", "created"]
        read_only_fields = fields

    def get_download(self, document: SentraDocument) -> str:
        from django.urls import reverse

        url = reverse("api:sentradocument-file", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DocumentUploadSerializer(serializers.Serializer[None]):
    """A new document (multipart): checked by its content like the page's upload (JPEG, PNG or PDF; UPLOAD_MAX_MB)."""

    sentra = ScopedPrimaryKeyRelatedField(model=Sentra)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text="JPEG, PNG or PDF, checked by its content.")


class SentraStatusChangeSerializer(serializers.ModelSerializer[SentraStatusChange]):
    """One change of a sentra's operating status (#3): from, to, since when, why, by whom. A new one is recorded
    with `status`, `reason` and optionally `effective_date` (default today, never in the future)."""

    status = serializers.ChoiceField(choices=SentraStatus.choices, source="to_status")
    changed_by = serializers.CharField(source="changed_by.username", read_only=True, allow_null=True, default=None)
    effective_date = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = SentraStatusChange
        fields = ["id", "from_status", "status", "effective_date", "reason", "changed_by", "changed_at"]
        read_only_fields = ["from_status", "changed_at"]

from __future__ import annotations

from rest_framework import serializers

from dakportal.regions.models import District, Province, Regency, Village


class ProvinceSerializer(serializers.ModelSerializer[Province]):
    class Meta:
        model = Province
        fields = ["code", "name", "active"]


class RegencySerializer(serializers.ModelSerializer[Regency]):
    province = serializers.CharField(source="province_id", read_only=True)
    former_codes = serializers.SerializerMethodField()
    former_names = serializers.SerializerMethodField()

    class Meta:
        model = Regency
        fields = ["code", "name", "kind", "province", "autonomous", "active", "former_codes", "former_names"]

    def get_former_codes(self, regency: Regency) -> list[str]:
        """Codes this kab/kota had before, e.g. ["91.01"] for 93.01 Merauke."""
        return sorted({f.code for f in regency.former_codes.all() if f.code != regency.code})

    def get_former_names(self, regency: Regency) -> list[str]:
        return sorted({f.name for f in regency.former_codes.all() if f.name != regency.name})


class DistrictSerializer(serializers.ModelSerializer[District]):
    regency = serializers.CharField(source="regency_id", read_only=True)

    class Meta:
        model = District
        fields = ["code", "name", "kind", "regency", "active"]


class VillageSerializer(serializers.ModelSerializer[Village]):
    district = serializers.CharField(source="district_id", read_only=True)
    regency = serializers.CharField(source="district.regency_id", read_only=True)

    class Meta:
        model = Village
        fields = ["code", "name", "kind", "district", "regency", "active"]

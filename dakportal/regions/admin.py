from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dakportal.regions.models import District, Province, Regency, RegencyFormerCode, Village


class ReferenceAdmin[M: Model](admin.ModelAdmin[M]):
    """Regions come from the official list (`manage.py sync_regions`): read-only here."""

    search_fields = ["code", "name"]
    list_filter = ["active"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReferenceAdmin[Province]):
    list_display = ["code", "name", "active"]


class FormerCodeInline(admin.TabularInline[RegencyFormerCode, Regency]):
    model = RegencyFormerCode
    extra = 0
    can_delete = False
    readonly_fields = ["code", "name", "kind", "changed_in", "legal_basis"]

    def has_add_permission(self, request: HttpRequest, obj: Regency | None = None) -> bool:
        return False


@admin.register(Regency)
class RegencyAdmin(ReferenceAdmin[Regency]):
    list_display = ["code", "name", "kind", "province", "autonomous", "active"]
    list_filter = ["kind", "autonomous", "active", "province"]
    search_fields = ["code", "name", "former_codes__code"]
    list_select_related = ["province"]
    inlines = [FormerCodeInline]


@admin.register(District)
class DistrictAdmin(ReferenceAdmin[District]):
    list_display = ["code", "name", "kind", "regency", "active"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(ReferenceAdmin[Village]):
    list_display = ["code", "name", "kind", "district", "active"]
    list_select_related = ["district"]
    show_full_result_count = False

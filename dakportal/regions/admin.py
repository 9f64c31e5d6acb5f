from __future__ import annotations

from django.contrib import admin

from dakportal.regions.models import District, Province, Regency, RegencyFormerCode, Village


class ReferenceAdmin(admin.ModelAdmin):
    """Regions come from the official list (`manage.py sync_regions`): read-only here."""

    search_fields = ["code", "name"]
    list_filter = ["active"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Province)
class ProvinceAdmin(ReferenceAdmin):
    list_display = ["code", "name", "active"]


class FormerCodeInline(admin.TabularInline):
    model = RegencyFormerCode
    extra = 0
    can_delete = False
    readonly_fields = ["code", "name", "kind", "changed_in", "legal_basis"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Regency)
class RegencyAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "province", "autonomous", "active"]
    list_filter = ["kind", "autonomous", "active", "province"]
    search_fields = ["code", "name", "former_codes__code"]
    list_select_related = ["province"]
    inlines = [FormerCodeInline]


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "regency", "active"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "district", "active"]
    list_select_related = ["district"]
    show_full_result_count = False

from __future__ import annotations

from django.contrib import admin

from dakportal.admin import ScopedModelAdmin
from sentra import services
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument, SentraStatusChange


class IKMUnitInline(admin.TabularInline):
    model = IKMUnit
    extra = 0
    fields = ["nib", "business_name", "owner_name", "legal_form", "workers_male", "workers_female", "investment_value"]
    show_change_link = True


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0
    fields = ["kind", "description", "quantity", "unit", "condition", "year_built"]


class DocumentInline(admin.TabularInline):
    model = SentraDocument
    extra = 0
    fields = ["kind", "title", "original_name", "content_type", "size", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # uploads go through the sentra page, which checks the content


class StatusChangeInline(admin.TabularInline):
    model = SentraStatusChange
    extra = 0
    fields = ["from_status", "to_status", "effective_date", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Sentra)
class SentraAdmin(ScopedModelAdmin):
    list_display = ["name", "regency", "commodity_group", "status", "unit_count", "last_updated"]
    list_filter = ["status", "commodity_group", "management_body", "environmental_document", "regency__province"]
    search_fields = ["name", "products", "regency__name", "village__name"]
    list_select_related = ["regency"]
    autocomplete_fields = ["village"]
    readonly_fields = ["regency", "status", "status_since", "created", "last_updated"]
    inlines = [IKMUnitInline, FacilityInline, DocumentInline, StatusChangeInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        services.save_sentra(obj, acting_user=request.user, reason="Admin")

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        services.delete_sentra(obj, acting_user=request.user)


@admin.register(IKMUnit)
class IKMUnitAdmin(ScopedModelAdmin):
    list_display = ["business_name", "nib", "sentra", "legal_form", "size_class"]
    list_filter = ["legal_form", "size_class", "halal_certified", "sni_certified"]
    search_fields = ["business_name", "nib", "owner_name"]
    list_select_related = ["sentra"]
    raw_id_fields = ["sentra"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        services.save_unit(obj, acting_user=request.user)

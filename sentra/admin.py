from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dakportal.accounts.requests import signed_in
from dakportal.admin import ReadOnlyInline, ScopedModelAdmin
from sentra import services
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument, SentraStatusChange


class IKMUnitInline(ReadOnlyInline):
    model = IKMUnit
    fields = ["nib", "business_name", "owner_name", "legal_form", "workers_male", "workers_female", "investment_value"]
    show_change_link = True


class FacilityInline(ReadOnlyInline):
    model = Facility
    fields = ["kind", "description", "quantity", "unit", "condition", "year_built"]


class DocumentInline(ReadOnlyInline):
    """Uploads go through the sentra page, which checks the content."""

    model = SentraDocument
    fields = ["kind", "title", "original_name", "content_type", "size", "created"]


class StatusChangeInline(ReadOnlyInline):
    model = SentraStatusChange
    fields = ["from_status", "to_status", "effective_date", "reason", "changed_by", "changed_at"]


@admin.register(Sentra)
class SentraAdmin(ScopedModelAdmin):
    list_display = ["name", "regency", "commodity_group", "status", "unit_count", "last_updated"]
    list_filter = ["status", "commodity_group", "management_body", "environmental_document", "regency__province"]
    search_fields = ["name", "products", "regency__name", "village__name"]
    list_select_related = ["regency"]
    autocomplete_fields = ["village"]
    readonly_fields = ["regency", "status", "status_since", "created", "last_updated"]
    inlines = [IKMUnitInline, FacilityInline, DocumentInline, StatusChangeInline]
    save_service = services.save_sentra

    def delete_model(self, request: HttpRequest, obj: Sentra) -> None:
        services.delete_sentra(obj, acting_user=signed_in(request))


@admin.register(IKMUnit)
class IKMUnitAdmin(ScopedModelAdmin):
    list_display = ["business_name", "nib", "sentra", "legal_form", "size_class"]
    list_filter = ["legal_form", "size_class", "halal_certified", "sni_certified"]
    search_fields = ["business_name", "nib", "owner_name"]
    list_select_related = ["sentra"]
    raw_id_fields = ["sentra"]
    save_service = services.save_unit

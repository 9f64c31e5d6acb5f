from __future__ import annotations

from django.contrib import admin

from allocations import services
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    FiscalYear,
    PublishedTotal,
    Realisation,
    ReferenceItem,
)
from dakportal.admin import ReadOnlyInline, ScopedModelAdmin


class DisbursementRuleInline(admin.TabularInline):
    """The yearly rules are reference data, edited here by the ministry (every change is in the history)."""

    model = DisbursementRule
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """The rules of each year (stages, shares, conditions): data, so a new Perpres needs no code change."""

    list_display = ["year", "legal_basis", "single_payment_max"]
    inlines = [DisbursementRuleInline]


@admin.register(ReferenceItem)
class ReferenceItemAdmin(admin.ModelAdmin):
    """#18: the lists come from fixtures/reference/reference_lists.yaml; a change here is kept in the history and
    written back to the file by `manage.py dump_reference`."""

    list_display = ["kind", "year", "code", "name", "source"]
    list_filter = ["kind", "year"]
    search_fields = ["code", "name", "source"]


@admin.register(PublishedTotal)
class PublishedTotalAdmin(admin.ModelAdmin):
    """#18: from fixtures/reference/national_totals.yaml (`manage.py load_reference` / `dump_reference`)."""

    list_display = ["year", "amount", "regency_count", "source"]


class ActivityItemInline(ReadOnlyInline):
    model = ActivityItem
    fields = ["menu", "detail", "sentra", "volume", "unit", "unit_cost", "value"]


class ContractInline(ReadOnlyInline):
    model = Contract
    fields = ["number", "date", "supplier", "value", "method", "handover_date", "voided_at", "void_reason"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Contract.all_objects.all()


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["stage", "amount", "date", "voided_at", "void_reason"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Disbursement.all_objects.all()


class RealisationInline(ReadOnlyInline):
    model = Realisation
    fields = ["quarter", "spent", "physical_progress", "note", "voided_at", "void_reason"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Realisation.all_objects.all()


@admin.register(Allocation)
class AllocationAdmin(ScopedModelAdmin):
    list_display = ["year", "regency", "regency_code_then", "sub_field", "kind", "amount", "plan_status", "synthetic"]
    list_filter = ["year", "kind", "plan_status", "synthetic", "regency__province"]
    search_fields = ["regency__name", "regency__code", "regency_code_then"]
    list_select_related = ["regency", "sub_field"]
    autocomplete_fields = ["regency"]
    readonly_fields = [
        "plan_status",
        "plan_return_reason",
        "plan_decided_by",
        "plan_decided_at",
        "created",
        "last_updated",
    ]
    inlines = [ActivityItemInline, ContractInline, DisbursementInline, RealisationInline]
    save_service = services.save_allocation

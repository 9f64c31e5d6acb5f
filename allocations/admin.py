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
    Realisation,
    ReferenceItem,
)
from dakportal.admin import ScopedModelAdmin


class DisbursementRuleInline(admin.TabularInline):
    model = DisbursementRule
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """The rules of each year (stages, shares, conditions): data, so a new Perpres needs no code change."""

    list_display = ["year", "legal_basis", "single_payment_max"]
    inlines = [DisbursementRuleInline]


@admin.register(ReferenceItem)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "code", "name"]
    list_filter = ["kind", "year"]
    search_fields = ["code", "name"]


class ActivityItemInline(admin.TabularInline):
    model = ActivityItem
    extra = 0
    raw_id_fields = ["sentra"]
    readonly_fields = ["value"]


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    extra = 0


class RealisationInline(admin.TabularInline):
    model = Realisation
    extra = 0


@admin.register(Allocation)
class AllocationAdmin(ScopedModelAdmin):
    list_display = ["year", "regency", "regency_code_then", "sub_field", "kind", "amount", "plan_status", "synthetic"]
    list_filter = ["year", "kind", "plan_status", "synthetic", "regency__province"]
    search_fields = ["regency__name", "regency__code", "regency_code_then"]
    list_select_related = ["regency", "sub_field"]
    autocomplete_fields = ["regency"]
    readonly_fields = ["plan_decided_by", "plan_decided_at", "created", "last_updated"]
    inlines = [ActivityItemInline, ContractInline, DisbursementInline, RealisationInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        services.save_allocation(obj, acting_user=request.user)

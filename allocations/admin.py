from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from allocations import services
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    FiscalYear,
    PublishedTotal,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    RequiredDocument,
    StageDocument,
)
from dakportal.admin import ReadOnlyInline, ScopedModelAdmin


class DisbursementRuleInline(admin.TabularInline[DisbursementRule, FiscalYear]):
    """The yearly rules are reference data, edited here by the ministry (every change is in the history)."""

    model = DisbursementRule
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin[FiscalYear]):
    """The rules of each year (stages, shares, conditions): data, so a new PMK needs no code change. They come from
    fixtures/reference/fiscal_years.yaml (#13): a change here is overwritten by the next set-up unless the file
    changes too."""

    list_display = ["year", "legal_basis", "single_payment_max"]
    inlines = [DisbursementRuleInline]


class RequiredDocumentInline(admin.TabularInline[RequiredDocument, DisbursementRule]):
    model = RequiredDocument
    extra = 0


@admin.register(DisbursementRule)
class DisbursementRuleAdmin(admin.ModelAdmin[DisbursementRule]):
    """One stage of a year's rules, with the documents it requires and their legal source (#13)."""

    list_display = ["fiscal_year", "order", "code", "name", "formula", "share_percent", "single_payment"]
    list_filter = ["fiscal_year", "single_payment"]
    inlines = [RequiredDocumentInline]


class StageDocumentInline(ReadOnlyInline):
    model = StageDocument
    fields = ["requirement", "submitted_on", "uploaded_by", "status", "decided_by", "decided_on", "reject_reason"]


class QuarterlyPlanInline(ReadOnlyInline):
    model = QuarterlyPlan
    fields = [
        "funds_q1",
        "funds_q2",
        "funds_q3",
        "funds_q4",
        "physical_q1",
        "physical_q2",
        "physical_q3",
        "physical_q4",
    ]


@admin.register(ReferenceItem)
class ReferenceItemAdmin(admin.ModelAdmin[ReferenceItem]):
    """#18: the lists come from fixtures/reference/reference_lists.yaml; a change here is kept in the history and
    written back to the file by `manage.py dump_reference`."""

    list_display = ["kind", "year", "code", "name", "source"]
    list_filter = ["kind", "year"]
    search_fields = ["code", "name", "source"]


@admin.register(PublishedTotal)
class PublishedTotalAdmin(admin.ModelAdmin[PublishedTotal]):
    """#18: from fixtures/reference/national_totals.yaml (`manage.py load_reference` / `dump_reference`)."""

    list_display = ["year", "amount", "regency_count", "source"]


class ActivityItemInline(ReadOnlyInline):
    model = ActivityItem
    fields = ["menu", "detail", "sentra", "volume", "unit", "unit_cost", "unit_cost_justification", "value"]


class ContractInline(ReadOnlyInline):
    model = Contract
    fields = ["number", "date", "supplier", "value", "method", "handover_date", "voided_at", "void_reason"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contract]:
        return Contract.all_objects.all()


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["rule", "amount", "date", "conditions_met", "voided_at", "void_reason"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disbursement]:
        return Disbursement.all_objects.all()


class RealisationInline(ReadOnlyInline):
    model = Realisation
    fields = ["quarter", "spent", "physical_progress", "note", "voided_at", "void_reason"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Realisation]:
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
    inlines = [
        ActivityItemInline, QuarterlyPlanInline, ContractInline, DisbursementInline, StageDocumentInline,
        RealisationInline,
    ]  # fmt: skip
    save_service = services.save_allocation

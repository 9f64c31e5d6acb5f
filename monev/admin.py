from __future__ import annotations

from django.contrib import admin

from dakportal.admin import ScopedModelAdmin
from monev.models import Assignment, Finding, FollowUp, MonevReport, Recommendation, ReportTransition


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "reason", "by", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # transitions happen through the workflow, never by hand


@admin.register(MonevReport)
class MonevReportAdmin(ScopedModelAdmin):
    """Read-mostly: the workflow (submit, return, accept) runs on the portal's pages and API."""

    list_display = ["sentra", "year", "quarter", "status", "deadline"]
    list_filter = ["status", "year", "quarter"]
    search_fields = ["sentra__name", "sentra__regency__name"]
    list_select_related = ["sentra"]
    readonly_fields = ["status", "version", "submitted_at", "return_reason", "created_by"]
    raw_id_fields = ["sentra"]
    filter_horizontal = ["allocations"]
    inlines = [TransitionInline]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    readonly_fields = ["reply", "submitted_by", "verification", "verification_reason", "verified_by", "verified_at"]
    can_delete = False


@admin.register(Finding)
class FindingAdmin(ScopedModelAdmin):
    list_display = ["title", "regency", "category", "status", "follow_up_class", "due_date"]
    list_filter = ["status", "category", "follow_up_class"]
    search_fields = ["title", "regency__name"]
    raw_id_fields = ["sentra", "allocation", "report"]
    readonly_fields = ["status", "follow_up_class", "closed_at", "created_by"]
    inlines = [RecommendationInline, FollowUpInline]


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ["number", "date", "regency", "fiscal_year"]
    search_fields = ["number", "team"]
    raw_id_fields = ["sentra"]

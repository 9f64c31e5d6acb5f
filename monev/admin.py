from __future__ import annotations

from django.contrib import admin

from dakportal.admin import ReadOnlyInline, ScopedModelAdmin
from monev import services
from monev.models import Assignment, Finding, FollowUp, MonevReport, Recommendation, ReportTransition


class TransitionInline(ReadOnlyInline):
    """Transitions happen through the workflow, never by hand."""

    model = ReportTransition
    fields = ["from_status", "to_status", "reason", "by", "at"]


@admin.register(MonevReport)
class MonevReportAdmin(ScopedModelAdmin):
    """Read-mostly: the workflow (submit, return, accept) runs on the portal's pages and API."""

    list_display = ["sentra", "year", "quarter", "status", "deadline"]
    list_filter = ["status", "year", "quarter"]
    search_fields = ["sentra__name", "sentra__regency__name"]
    list_select_related = ["sentra"]
    readonly_fields = ["status", "submitted_at", "return_reason", "created_by"]
    raw_id_fields = ["sentra"]
    save_service = services.save_assignment
    filter_horizontal = ["allocations"]
    inlines = [TransitionInline]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["text", "responsible_official", "due_date", "value"]


class FollowUpInline(ReadOnlyInline):
    model = FollowUp
    fields = ["reply", "submitted_by", "verification", "verification_reason", "verified_by", "verified_at"]


@admin.register(Finding)
class FindingAdmin(ScopedModelAdmin):
    list_display = ["title", "regency", "category", "status", "follow_up_class", "due_date"]
    list_filter = ["status", "category", "follow_up_class"]
    search_fields = ["title", "regency__name"]
    raw_id_fields = ["sentra", "allocation", "report"]
    readonly_fields = ["status", "follow_up_class", "closed_at", "created_by"]
    inlines = [RecommendationInline, FollowUpInline]
    save_service = services.update_finding


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ["number", "date", "regency", "fiscal_year"]
    search_fields = ["number", "team"]
    raw_id_fields = ["sentra"]
    save_service = services.save_assignment

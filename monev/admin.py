from __future__ import annotations

from django.contrib import admin

from dakportal.admin import ReadOnlyInline, ScopedModelAdmin
from monev import services
from monev.models import (
    Assignment,
    AssignmentMember,
    AssignmentRegency,
    Finding,
    MonevReport,
    Recommendation,
    RegistryCheck,
    ReportTransition,
    Visit,
    VisitTransition,
)


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
    save_service = services.update_report  # #13: was save_assignment, a slip; a report changes as on its page
    filter_horizontal = ["allocations"]
    inlines = [TransitionInline]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["text", "responsible_official", "due_date", "amount_to_recover", "status"]


@admin.register(Finding)
class FindingAdmin(ScopedModelAdmin):
    list_display = ["title", "regency", "category", "status", "follow_up_class", "due_date"]
    list_filter = ["status", "category", "follow_up_class"]
    search_fields = ["title", "regency__name"]
    raw_id_fields = ["sentra", "allocation", "report"]
    readonly_fields = ["status", "follow_up_class", "closed_at", "created_by"]
    inlines = [RecommendationInline]  # #13: each recommendation's follow-ups are on the finding's page
    save_service = services.update_finding


class MemberInline(ReadOnlyInline):
    model = AssignmentMember
    fields = ["user", "role"]


class AssignmentRegencyInline(ReadOnlyInline):
    model = AssignmentRegency
    fields = ["regency"]


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    """Read-only (#13): a surat tugas is written on its page or through the API (`services.save_assignment`),
    where its team and places are checked together."""

    list_display = ["number", "date", "period_start", "period_end"]
    search_fields = ["number", "notes"]
    raw_id_fields = ["sentra"]
    inlines = [MemberInline, AssignmentRegencyInline]


class VisitTransitionInline(ReadOnlyInline):
    model = VisitTransition
    fields = ["step", "from_status", "to_status", "reason", "by", "at"]


class RegistryCheckInline(ReadOnlyInline):
    model = RegistryCheck
    fields = ["label", "registered", "result", "observed", "correction"]


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    """Read-only (#13): a visit report moves only through its workflow on the portal's pages and API."""

    list_display = ["__str__", "assignment", "status", "visit_date", "issued_on"]
    list_filter = ["status"]
    search_fields = ["number", "sentra__name", "assignment__number"]
    list_select_related = ["sentra", "assignment"]
    raw_id_fields = ["sentra", "assignment"]
    inlines = [RegistryCheckInline, VisitTransitionInline]

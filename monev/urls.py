from __future__ import annotations

from django.urls import path

from dakportal.generic import ObjectHistoryView
from monev import views
from monev.models import Assignment, Finding, MonevReport, Visit

report_history = ObjectHistoryView.as_view(queryset=MonevReport.objects.all())
finding_history = ObjectHistoryView.as_view(queryset=Finding.objects.all())
assignment_history = ObjectHistoryView.as_view(queryset=Assignment.objects.all())
visit_history = ObjectHistoryView.as_view(queryset=Visit.objects.all())

app_name = "monev"
urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("", views.inbox, name="inbox"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.MonevReportListView.as_view(), name="report_list"),
    path("reports/add/", views.MonevReportEditView.as_view(), name="report_add"),
    path("reports/<int:pk>/", views.MonevReportDetailView.as_view(), name="report_detail"),
    path(
        "reports/<int:pk>/history/",
        report_history,
        name="report_history",
    ),
    path("reports/<int:pk>/edit/", views.MonevReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_add"),
    path("reports/<int:pk>/<str:action>/", views.ReportActionView.as_view(), name="report_action"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings/add/", views.FindingEditView.as_view(), name="finding_add"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("findings/<int:pk>/history/", finding_history, name="finding_history"),
    path("findings/<int:pk>/<str:action>/", views.FindingActionView.as_view(), name="finding_action"),
    # #13: Itjen's assignments (surat tugas) and field visit reports (Laporan Hasil Monev)
    path("risk/", views.risk_priorities, name="risk"),  # #17
    path("risk/rules/", views.risk_rules, name="risk_rules"),
    path("risk/rules/<int:pk>/edit/", views.RiskRuleEditView.as_view(), name="risk_rule_edit"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/calendar/", views.AssignmentCalendarView.as_view(), name="assignment_calendar"),
    path("assignments/add/", views.AssignmentEditView.as_view(), name="assignment_add"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.AssignmentEditView.as_view(), name="assignment_edit"),
    path("assignments/<int:pk>/history/", assignment_history, name="assignment_history"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/add/", views.VisitEditView.as_view(), name="visit_add"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/edit/", views.VisitEditView.as_view(), name="visit_edit"),
    path("visits/<int:pk>/history/", visit_history, name="visit_history"),
    path("visits/<int:pk>/pdf/", views.visit_pdf, name="visit_pdf"),
    path("visits/<int:pk>/checks/", views.VisitChecksView.as_view(), name="visit_checks"),
    path("visits/<int:pk>/evidence/", views.VisitEvidenceView.as_view(), name="visit_evidence"),
    path("visits/<int:pk>/findings/add/", views.VisitFindingView.as_view(), name="visit_finding_add"),
    path(
        "visits/<int:pk>/findings/<int:finding_pk>/edit/", views.VisitFindingView.as_view(), name="visit_finding_edit"
    ),
    path("visits/<int:pk>/<str:action>/", views.VisitActionView.as_view(), name="visit_action"),
    path("corrections/<int:pk>/<str:decision>/", views.CorrectionDecisionView.as_view(), name="correction_decision"),
]

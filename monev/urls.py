from __future__ import annotations

from django.urls import path

from dakportal.generic import ObjectHistoryView
from monev import views
from monev.models import Finding, MonevReport

report_history = ObjectHistoryView.as_view(queryset=MonevReport.objects.all())
finding_history = ObjectHistoryView.as_view(queryset=Finding.objects.all())

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
]

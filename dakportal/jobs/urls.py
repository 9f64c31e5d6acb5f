from __future__ import annotations

from django.urls import path

from dakportal.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]

"""A user's background jobs (#15): the list, one job's progress and its download. Only one's own jobs exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from dakportal.accounts.requests import AuthenticatedHttpRequest, signed_in
from dakportal.generic import DetailPage
from dakportal.jobs.models import Job, JobStatus
from dakportal.panels import Panel, StatusBadge


@login_required
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(user=request.user)[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs, "keep_hours": settings.EXPORT_KEEP_HOURS})


class JobDetailView(LoginRequiredMixin, DetailPage, DetailView[Job]):
    """One job's page (the generic record page, #16): its progress while it runs (the page reloads itself), then
    its file or the import's result. Only one's own jobs exist: another user's is 404."""

    template_name = "jobs/job_detail.html"
    list_url = "jobs:job_list"
    list_title = gettext_lazy("Downloads")
    status = StatusBadge(testid="job-status")
    tabs = False  # a job has no history of its own
    panels = [Panel("jobs/panels/job.html")]

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.filter(user=signed_in(self.request))

    def get_extra_context(self) -> dict[str, Any]:
        return {"waiting": self.object.status in (JobStatus.QUEUED, JobStatus.RUNNING)}


@login_required
def job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(Job, pk=pk, user=request.user, status=JobStatus.DONE)
    name = job.file.name  # empty: no file (what `not job.file` tests)
    if not name or not job.file.storage.exists(name):
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Content-Type"] = job.content_type or "application/octet-stream"
    return response

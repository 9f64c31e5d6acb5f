"""A user's background jobs (#15): the list, one job's progress and its download. Only one's own jobs exist."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from dakportal.accounts.requests import AuthenticatedHttpRequest
from dakportal.jobs.models import Job, JobStatus


@login_required
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(user=request.user)[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs, "keep_hours": settings.EXPORT_KEEP_HOURS})


@login_required
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, user=request.user)
    waiting = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return render(request, "jobs/job_detail.html", {"job": job, "waiting": waiting})


@login_required
def job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(Job, pk=pk, user=request.user, status=JobStatus.DONE)
    name = job.file.name  # empty: no file (what `not job.file` tests)
    if not name or not job.file.storage.exists(name):
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Content-Type"] = job.content_type or "application/octet-stream"
    return response

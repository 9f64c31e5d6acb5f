"""Exports too large for a request run as jobs (#11, #15). The page or report asks `in_background(request, rows)`;
when the answer is yes it answers with `start_export(...)`: a job that replays the same request in the worker, as
the same user, in the same language (so the same scope, filters and columns), writes the file to the default
storage and keeps it for EXPORT_KEEP_HOURS. The user follows it on the job's page and downloads it from there."""

from __future__ import annotations

import logging
import re
import tempfile
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from dakportal.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2.0  # seconds between progress updates of a running job


def in_background(request: HttpRequest, rows: int) -> bool:
    """Whether an export of `rows` rows should run as a job: above EXPORT_INLINE_MAX_ROWS, unless this request is
    already the job replaying it."""
    return rows > settings.EXPORT_INLINE_MAX_ROWS and not getattr(request, "export_job", None)


def start_export(request: HttpRequest, title: str, rows: int | None = None) -> HttpResponse:
    """Queue this request as a job and send the user to the job's page."""
    from dakportal.jobs.tasks import run_export

    user: Any = request.user  # exports are behind the login: a real user
    job = Job.objects.create(
        user=user,
        title=title[:200],
        path=request.get_full_path(),
        host=request.get_host(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows=rows,
    )
    run_export.enqueue(job.pk)
    job.refresh_from_db()  # a task backend that runs at once (the tests') has finished it already
    if job.status != JobStatus.DONE:
        messages.info(request, _("The export runs in the background: this page shows when it is ready."))
    return redirect(job)


def run(job_id: int) -> None:
    """Replay the job's request and keep the file. A job that is done is never run again."""
    job = Job.objects.select_related("user").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return
    job.status, job.started, job.progress, job.error = JobStatus.RUNNING, timezone.now(), 0, ""
    job.attempts += 1
    job.save(update_fields=["status", "started", "progress", "error", "attempts"])
    try:
        response = _replay(job)
        if response.status_code != 200:
            raise RuntimeError(f"the export answered {response.status_code}")
        _keep(job, response)
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        job.status, job.error, job.finished = JobStatus.FAILED, str(error)[:2000], timezone.now()
        job.save(update_fields=["status", "error", "finished"])
        raise


def _replay(job: Job) -> Any:
    request = RequestFactory(HTTP_HOST=job.host).get(job.path)
    request.user = job.user
    request.export_job = job  # type: ignore[attr-defined]  # tells the view it runs as the job (in_background)
    match = resolve(urlsplit(job.path).path)
    with translation.override(job.language):
        request.LANGUAGE_CODE = job.language
        return match.func(request, *match.args, **match.kwargs)


def _keep(job: Job, response: Any) -> None:
    disposition = response.get("Content-Disposition", "")
    found = re.search(r'filename="([^"]+)"', disposition)
    filename = found.group(1) if found else f"export-{job.pk}"
    chunks = response.streaming_content if response.streaming else [response.content]
    is_csv = filename.endswith(".csv")
    with tempfile.TemporaryFile() as spool, translation.override(job.language):
        lines, last = 0, time.monotonic()
        for chunk in chunks:
            spool.write(chunk)
            if is_csv:
                lines += chunk.count(b"\n")
                if time.monotonic() - last > PROGRESS_EVERY:
                    Job.objects.filter(pk=job.pk).update(progress=max(lines - 1, 0))
                    last = time.monotonic()
        size = spool.tell()
        spool.seek(0)
        name = default_storage.save(f"exports/{job.pk}-{get_random_string(12)}/{filename}", File(spool))
    job.file, job.filename, job.size = name, filename, size
    job.content_type = response.get("Content-Type", "application/octet-stream")
    job.progress = max(lines - 1, 0) if is_csv else (job.rows or 0)
    job.status, job.finished = JobStatus.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "size", "content_type", "progress", "status", "finished"])


def prune() -> int:
    """Delete the files of jobs past their keeping time, and the jobs; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS)
    old = list(Job.objects.filter(finished__lt=cutoff))
    for job in old:
        for name in (job.file.name, job.payload.get("file")):
            if name and default_storage.exists(name):
                default_storage.delete(name)
    Job.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)

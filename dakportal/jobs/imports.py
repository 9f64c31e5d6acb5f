"""Imports too large for a request (#15): an import page with a file of more than IMPORT_INLINE_MAX_ROWS rows hands
the check, and then the applying, to the task worker. The job runs the same page's `run_import` on the stored
file, as the same user and in the same language, and keeps the result; the page shows it from the job
(`?job=<id>`) exactly as it shows an import it ran itself, with the button that applies the checked file."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation

from dakportal.jobs.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)


def in_background(rows: int) -> bool:
    return rows > settings.IMPORT_INLINE_MAX_ROWS


def start_import(request: HttpRequest, title: str, file: str, filename: str, rows: int, dry_run: bool) -> HttpResponse:
    """Queue the check (or the applying) of a stored file and send the user to the job's page."""
    from dakportal.jobs.tasks import run_import

    user: Any = request.user
    job = Job.objects.create(
        user=user,
        kind=JobKind.IMPORT,
        title=f"{title}: {filename}"[:200],
        path=request.path,
        host=request.get_host(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows=rows,
        payload={"file": file, "filename": filename, "dry_run": dry_run},
    )
    run_import.enqueue(job.pk)
    return redirect(job)


def run(job_id: int) -> None:
    """Run the import page's `run_import` on the job's file; a job that is done is never run again."""
    from dakportal.spreadsheets import read_table

    job = Job.objects.select_related("user").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return
    job.status, job.started, job.error = JobStatus.RUNNING, timezone.now(), ""
    job.attempts += 1
    job.save(update_fields=["status", "started", "error", "attempts"])
    try:
        view = resolve(job.path).func.view_class()  # type: ignore[attr-defined]
        view.request = RequestFactory(HTTP_HOST=job.host).get(job.path)
        view.request.user = job.user
        with default_storage.open(job.payload["file"], "rb") as handle:
            table = read_table(ContentFile(handle.read(), name=job.payload["file"]))
        with translation.override(job.language):
            result = view.run_import(table, job.user, dry_run=job.payload["dry_run"])
            job.result = _as_data(result)
    except Exception as error:
        logger.exception("import job %s failed", job.pk)
        job.status, job.error, job.finished = JobStatus.FAILED, str(error)[:2000], timezone.now()
        job.save(update_fields=["status", "error", "finished"])
        raise
    job.status, job.finished, job.progress = JobStatus.DONE, timezone.now(), job.rows or 0
    job.save(update_fields=["result", "status", "finished", "progress"])
    if not job.payload["dry_run"] and result.ok:
        default_storage.delete(job.payload["file"])  # applied: the file has done its work


def _as_data(result: Any) -> dict[str, Any]:
    def cells(items: Any) -> list[dict[str, Any]]:
        return [{"row": item.row, "column": str(item.column), "message": str(item.message)} for item in items]

    return {
        "created": [str(item) for item in result.created],
        "updated": [str(item) for item in result.updated],
        "errors": cells(result.errors),
        "warnings": cells(getattr(result, "warnings", [])),
    }


def result_of(job: Job) -> SimpleNamespace:
    """The job's result in the shape the import page shows (`ok`, `created`, `updated`, `errors`, `warnings`)."""
    data = job.result or {}
    errors = [SimpleNamespace(**cell) for cell in data.get("errors", [])]
    warnings = [SimpleNamespace(**cell) for cell in data.get("warnings", [])]
    return SimpleNamespace(
        ok=not errors, created=data.get("created", []), updated=data.get("updated", []),
        errors=errors, warnings=warnings,
    )  # fmt: skip

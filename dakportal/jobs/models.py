"""Background jobs the user waits for (an export), the workers' heartbeats and the schedule's last runs (#15)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dakportal import tones


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


tones.register(JobStatus, {JobStatus.DONE: "success", JobStatus.FAILED: "danger"})  # dakportal/tones.py
tones.register(JobKind)


class Job(models.Model):
    """Work of the worker for one user. An export replays the request (`path`, as `user`, in `language`) and keeps
    the finished file for `EXPORT_KEEP_HOURS` in the default storage. An import runs the import page at `path` on
    the uploaded file named in `payload` (checking only, or applying) and keeps its `result` for that page."""

    scope_exempt = "each user reaches only their own jobs; the export itself is scoped when it runs"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind, default=JobKind.EXPORT)
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(_("request"), max_length=2000)
    host = models.CharField(max_length=200, default="localhost")
    language = models.CharField(max_length=10, default="id")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus, default=JobStatus.QUEUED)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    payload = models.JSONField(default=dict, blank=True)  # an import: {"file", "filename", "dry_run"}
    result = models.JSONField(null=True, blank=True)  # an import: created, updated, errors, warnings
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["user", "-created"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def expires(self) -> datetime | None:
        if self.finished is None:
            return None
        return self.finished + timedelta(hours=settings.EXPORT_KEEP_HOURS)

    @property
    def percent(self) -> int | None:
        if not self.rows or self.kind == JobKind.IMPORT:  # an import runs in one transaction: no progress to show
            return None
        return min(100, round(100 * self.progress / self.rows))


class WorkerHeartbeat(models.Model):
    """A task worker that is alive: it writes `seen` every few seconds. A task still marked running by a worker
    that stopped beating (killed, or its machine gone) is put back in the queue by the next worker (#15)."""

    scope_exempt = "bookkeeping of the task workers, never served"

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField()
    seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class ScheduleRun(models.Model):
    """When each scheduled task (`dakportal.jobs.schedule.SCHEDULE`) was last enqueued: one row per name, locked
    while a worker decides, so that several workers enqueue it once."""

    scope_exempt = "bookkeeping of the schedule, never served"

    name = models.CharField(max_length=100, primary_key=True)
    last_run = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.last_run:%Y-%m-%d %H:%M}"

"""`/api/v1/jobs/`: the caller's background exports, with their status and download address (#15)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import permissions, serializers, viewsets

from dakportal.accounts.requests import signed_in
from dakportal.jobs.models import Job, JobStatus


class JobSerializer(serializers.ModelSerializer[Job]):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "title", "status", "rows", "progress", "filename", "size", "error", "created", "started",
                  "finished", "download"]  # fmt: skip

    def get_download(self, job: Job) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        request = self.context.get("request")
        url = reverse("jobs:job_download", args=[job.pk])
        return request.build_absolute_uri(url) if request else url


class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    """Each user sees only their own jobs."""

    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Job.objects.all()
    modified_fields = ("created", "started", "finished")  # #12: `modified_after` (a job has no last_updated)

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.filter(user=signed_in(self.request))

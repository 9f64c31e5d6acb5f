from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Work that takes longer than a request (#11, #15): large exports run in the task worker (`manage.py
    db_worker`) and are downloaded when ready; the worker also sends the e-mails and runs the schedule."""

    name = "dakportal.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

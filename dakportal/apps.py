from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DakPortalConfig(AppConfig):
    """Shared pieces: the web shell, API base classes, formatting, set-up commands."""

    name = "dakportal"
    verbose_name = _("DAK Portal")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from dakportal import checks  # noqa: F401 - registers the system checks
        from dakportal.observability import metrics

        # #15: every database connection counts and times its queries for /metrics.
        connection_created.connect(metrics.count_queries, dispatch_uid="observability-query-metrics")

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DakPortalConfig(AppConfig):
    """Shared pieces: the web shell, API base classes, formatting, set-up commands."""

    name = "dakportal"
    verbose_name = _("DAK Portal")

    def ready(self) -> None:
        from dakportal import checks  # noqa: F401 - registers the system checks

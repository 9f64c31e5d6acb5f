from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentraConfig(AppConfig):
    """The registry of Sentra IKM: member units, facilities, legality, management body and status history."""

    name = "sentra"
    verbose_name = _("Sentra IKM")

    def ready(self) -> None:
        from sentra import reports  # noqa: F401  (registers the app's reports)

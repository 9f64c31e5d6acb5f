from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentraConfig(AppConfig):
    """The registry of Sentra IKM: member units, facilities, legality, management body and status history."""

    name = "sentra"
    verbose_name = _("Sentra IKM")

    def ready(self) -> None:
        from dakportal import search
        from sentra import (
            dashboard,
            reports,  # noqa: F401  (registers the app's reports)
        )
        from sentra.filtersets import IKMUnitFilterSet, SentraFilterSet

        search.register(SentraFilterSet, "sentra:sentra_list", context="regency", fields=("name",))
        search.register(IKMUnitFilterSet, "sentra:ikmunit_list", context="sentra", fields=("business_name",))
        dashboard.register()  # its dashboard panels, attention items and deadlines (#14, #16)

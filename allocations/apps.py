from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationsConfig(AppConfig):
    """DAK Fisik Bidang IKM money: yearly allocations, activity plans, contracts, disbursement, realisation."""

    name = "allocations"
    verbose_name = _("DAK allocations")

    def ready(self) -> None:
        from allocations import (
            dashboard,
            reports,  # noqa: F401  (registers the app's reports)
        )
        from allocations.filtersets import AllocationFilterSet
        from dakportal import search

        search.register(
            AllocationFilterSet, "allocations:allocation_list", context="regency", fields=("regency__name",)
        )
        dashboard.register()  # its dashboard panels, attention items and deadlines (#14, #16)

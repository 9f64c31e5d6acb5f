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
        from allocations import national as allocations_national
        from allocations import region as allocations_region
        from allocations.filtersets import AllocationFilterSet
        from allocations.reference import ensure_reference_data
        from dakportal import national, search, setup
        from dakportal.reporting.region import register_section

        search.register(
            AllocationFilterSet, "allocations:allocation_list", context="regency", fields=("regency__name",)
        )
        national.register(allocations_national.GENERATOR)
        for section in allocations_region.SECTIONS:
            register_section(section)
        setup.register_prepare(ensure_reference_data)
        setup.register_demo(
            setup.DemoLoader("allocations", "Demo allocations", "allocations.demo.load", requires=("sentra",))
        )
        dashboard.register()  # its dashboard panels, attention items and deadlines (#14, #16)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentraConfig(AppConfig):
    """The registry of Sentra IKM: member units, facilities, legality, management body and status history."""

    name = "sentra"
    verbose_name = _("Sentra IKM")

    def ready(self) -> None:
        from dakportal import national, search, setup
        from dakportal.reporting.region import register_section
        from sentra import (
            dashboard,
            reports,  # noqa: F401  (registers the app's reports)
        )
        from sentra import national as sentra_national
        from sentra import region as sentra_region
        from sentra.filtersets import IKMUnitFilterSet, SentraFilterSet

        search.register(SentraFilterSet, "sentra:sentra_list", context="regency", fields=("name",))
        search.register(IKMUnitFilterSet, "sentra:ikmunit_list", context="sentra", fields=("business_name",))
        national.register(sentra_national.GENERATOR)
        for section in sentra_region.SECTIONS:
            register_section(section)
        setup.register_demo(setup.DemoLoader("sentra", "Demo sentra", "sentra.demo.load"))
        dashboard.register()  # its dashboard panels, attention items and deadlines (#14, #16)

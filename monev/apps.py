from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    """Monitoring and evaluation: regional monev reports and their review; Itjen findings and follow-up."""

    name = "monev"
    verbose_name = _("Monev")

    def ready(self) -> None:
        from dakportal import national, search, setup
        from dakportal.reporting.region import register_section
        from monev import (
            dashboard,
            reports,  # noqa: F401  (registers the app's reports)
        )
        from monev import national as monev_national
        from monev import region as monev_region
        from monev.filtersets import FindingFilterSet, MonevReportFilterSet

        search.register(MonevReportFilterSet, "monev:report_list", context="sentra.regency", fields=("sentra__name",))
        search.register(FindingFilterSet, "monev:finding_list", context="regency", fields=("title",))
        national.register(monev_national.GENERATOR)
        for section in monev_region.SECTIONS:
            register_section(section)
        setup.register_demo(
            setup.DemoLoader("monev", "Demo monev reports", "monev.demo.load", requires=("sentra", "allocations"))
        )
        dashboard.register()  # its dashboard panels, attention items and deadlines (#14, #16)
        from dakportal import record_warnings
        from monev import risk

        setup.register_prepare(risk.ensure_rules)
        record_warnings.register("sentra.sentra", risk.sentra_warnings)  # #17: the risk register on their pages
        record_warnings.register("allocations.allocation", risk.allocation_warnings)

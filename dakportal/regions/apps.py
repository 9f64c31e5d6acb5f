from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    """Kemendagri regions: provinces, kab/kota, kecamatan and desa/kelurahan, with former codes."""

    name = "dakportal.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from dakportal import search
        from dakportal.regions.filtersets import RegencyFilterSet

        search.register(RegencyFilterSet, "regions:regency_list", context="province", order=1)  # after the records

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """The reference data files of fixtures/reference/ and their loader (#18)."""

    name = "dakportal.reference"
    label = "reference"
    verbose_name = _("Reference data")

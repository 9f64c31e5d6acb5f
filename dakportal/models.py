"""Shared model bases (STYLE.md convention 2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import RegionScopedQuerySet


class BaseModel(models.Model):
    """A region-bound record: timestamps and the scoped manager. Subclasses set `region_lookup`, the path from
    the model to its kab/kota, e.g. `"regency"` or `"sentra__regency"`."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    region_lookup: str = "regency"

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_regency(self):  # type: ignore[no-untyped-def]
        """The kab/kota this record belongs to, following `region_lookup`."""
        target = self
        for part in self.region_lookup.split("__"):
            target = getattr(target, part)
        return target

"""What the loader remembers of each reference file (#18), so that a start of the portal loads only the files that
changed since their last load and leaves alone what the ministry changed in the admin meanwhile."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadedFile(models.Model):
    """The last load of one reference file: its content's SHA-256 and the calendar year of the load (a new year
    loads every file again, so that lists still in force reach the new next year)."""

    scope_exempt = "the loader's bookkeeping: no page or endpoint shows it"

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year of the load"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("loaded reference file")
        verbose_name_plural = _("loaded reference files")

    def __str__(self) -> str:
        return self.name

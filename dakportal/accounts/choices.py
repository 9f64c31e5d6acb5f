from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry staff (Ditjen IKMA)")
    AUDITOR = "auditor", _("Inspectorate auditor (Itjen)")
    ANALYST = "analyst", _("Analyst")
    REGIONAL = "regional", _("Regional officer (Dinas kab/kota)")
    PROVINCIAL = "provincial", _("Provincial officer")

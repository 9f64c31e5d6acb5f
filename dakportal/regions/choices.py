from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class DistrictKind(models.TextChoices):
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")


class VillageKind(models.TextChoices):
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")


class ChangeKind(models.TextChoices):
    RECODED = "recoded", _("New code")
    RENAMED = "renamed", _("Renamed")

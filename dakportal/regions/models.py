"""Kemendagri regions (#2): the reference every sentra, allocation and officer's scope points at.

Codes are Kemendagri's dotted codes and are the primary keys: `32` Jawa Barat, `32.73` Kota Bandung,
`32.73.01` Sukasari, `32.73.01.1001` Sukarasa. A region that disappears from a newer official list is kept,
marked inactive, when data points to it. Former codes (the 2022 Papua re-coding) live in RegencyFormerCode.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dakportal.regions.choices import ChangeKind, DistrictKind, RegencyKind, VillageKind
from dakportal.regions.querysets import RegencyQuerySet


class Region(models.Model):
    reference_data = True  # the official list: every role may pick any region's desa or kecamatan (#10)

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("False once the region left the official list.")
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Province(Region):
    class Meta(Region.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Regency(Region):
    """A kabupaten or kota. Only autonomous ones receive DAK (DKI Jakarta's administrative units do not)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    kind = models.CharField(_("kind"), max_length=10, choices=RegencyKind)
    autonomous = models.BooleanField(
        _("autonomous"), default=True, help_text=_("Administrative units of DKI Jakarta cannot receive DAK.")
    )

    objects = RegencyQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kab/kota")
        verbose_name_plural = _("kab/kota")
        indexes = [models.Index(fields=["province", "code"])]

    def get_absolute_url(self) -> str:
        return reverse("regions:regency_detail", args=[self.code])


class District(Region):
    """A kecamatan (distrik in Papua)."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    kind = models.CharField(_("kind"), max_length=10, choices=DistrictKind)

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")


class Village(Region):
    """A desa or kelurahan: the finest location of a sentra."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    kind = models.CharField(_("kind"), max_length=10, choices=VillageKind)

    class Meta(Region.Meta):
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")


class RegencyFormerCode(models.Model):
    """A code or name a kab/kota had before: 91.01 is today's 93.01 Merauke (DOMAIN.md section 0)."""

    reference_data = True

    regency = models.ForeignKey(Regency, on_delete=models.CASCADE, related_name="former_codes")
    code = models.CharField(_("former code"), max_length=5)
    name = models.CharField(_("former name"), max_length=100)
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind)
    changed_in = models.PositiveSmallIntegerField(_("year of change"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    # #18: reference data from fixtures/reference/former_codes.yaml, tracked by the history (HISTORY_MODELS)
    history_label = ("code", "name")
    history_region_lookups = ("regency",)

    class Meta:
        ordering = ["regency", "changed_in"]
        verbose_name = _("former code")
        verbose_name_plural = _("former codes")
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "code", "name"],
                name="regions_former_code_unique",
                violation_error_message=_("This former code is already recorded for the kab/kota."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} → {self.regency.code}"

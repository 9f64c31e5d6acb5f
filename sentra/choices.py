from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dakportal import tones


class CommodityGroup(models.TextChoices):
    """Kemenperin's product groups of IKM (DOMAIN.md section 4)."""

    FOOD = "pangan", _("Food (pangan)")
    CRAFTS = "kerajinan", _("Crafts and miscellaneous (kerajinan & aneka)")
    TEXTILES = "sandang", _("Clothing and textiles (sandang)")
    CHEMICALS = "kimia", _("Chemicals and building materials")
    FURNITURE = "furnitur", _("Furniture")
    METAL = "logam", _("Metal, machinery, electronics and transport")


class SentraStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONSTRUCTION = "construction", _("Under construction")
    BUILT = "built", _("Built, not yet operating")
    OPERATING = "operating", _("Operating")
    INACTIVE = "inactive", _("Inactive")


# Statuses of a sentra whose building work is finished but which produces nothing (the "mangkrak" risk).
NOT_OPERATING_AFTER_BUILD = (SentraStatus.BUILT, SentraStatus.INACTIVE)


class LandStatus(models.TextChoices):
    PEMDA = "pemda", _("Owned by the regional government")
    DESA = "desa", _("Village land")
    KOPERASI = "koperasi", _("Owned by a cooperative")
    PRIVATE = "private", _("Privately owned")
    LEASE = "lease", _("Leased")
    LOAN = "loan", _("Borrowed (pinjam pakai)")
    UNCLEAR = "unclear", _("Unclear")


class EnvironmentalDocument(models.TextChoices):
    NONE = "none", _("None")
    SPPL = "sppl", _("SPPL")
    UKL_UPL = "ukl_upl", _("UKL-UPL")
    AMDAL = "amdal", _("AMDAL")


class ManagementBody(models.TextChoices):
    NONE = "none", _("None yet")
    UPTD = "uptd", _("UPTD (regional technical unit)")
    KOPERASI = "koperasi", _("Cooperative (koperasi)")
    DINAS = "dinas", _("Dinas")
    PENGURUS = "pengurus", _("Board of members (pengurus)")


class LegalForm(models.TextChoices):
    INDIVIDUAL = "perorangan", _("Individual (perorangan)")
    UD = "ud", _("UD")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    KOPERASI = "koperasi", _("Cooperative (koperasi)")
    OTHER = "lainnya", _("Other")


class SizeClass(models.TextChoices):
    """Permenperin 64/M-IND/PER/7/2016."""

    SMALL = "kecil", _("Small (kecil)")
    MEDIUM = "menengah", _("Medium (menengah)")
    LARGE = "besar", _("Large (besar)")


class FacilityKind(models.TextChoices):
    PRODUCTION = "production", _("Production building")
    OFFICE = "office", _("UPT / office")
    WAREHOUSE = "warehouse", _("Warehouse")
    PACKAGING = "packaging", _("Packaging house")
    SHOWROOM = "showroom", _("Showroom / gallery")
    WASTE = "ipal", _("IPAL / IPAB (waste water)")
    MACHINES = "machines", _("Machines and equipment")
    OTHER = "other", _("Other")


class FacilityCondition(models.TextChoices):
    GOOD = "good", _("Good")
    LIGHT_DAMAGE = "light_damage", _("Lightly damaged")
    HEAVY_DAMAGE = "heavy_damage", _("Heavily damaged")
    UNUSED = "unused", _("Not in use")


class DocumentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    SK = "sk", _("SK penetapan (decree)")
    LAND = "land", _("Land certificate")
    PERMIT = "permit", _("Building permit (PBG/IMB)")
    ENVIRONMENT = "environment", _("Environmental document")
    DED = "ded", _("DED (detailed design)")
    MANAGEMENT_SK = "management_sk", _("SK of the management body")
    OTHER = "other", _("Other")


# How the statuses show (dakportal/tones.py): their badge colours, and their names in the templates
tones.register(SentraStatus, {SentraStatus.OPERATING: "success", SentraStatus.BUILT: "warning",
                              SentraStatus.INACTIVE: "warning"})  # fmt: skip

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Score(models.TextChoices):
    """The scale of each monev indicator."""

    SESUAI = "sesuai", _("Sesuai")
    SEBAGIAN = "sebagian", _("Sebagian")
    TIDAK = "tidak", _("Tidak sesuai")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    VISIT = "visit", _("Field visit")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


# Statuses in which the officer may edit the report, and those waiting for the ministry's review.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
IN_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)


class FindingCategory(models.TextChoices):
    VOLUME_SHORTFALL = "volume_shortfall", _("Volume shortfall (kekurangan volume)")
    LATE_PENALTY = "late_penalty", _("Uncollected late penalty (denda keterlambatan)")
    ASSET_UNUSED = "asset_unused", _("Asset not used (aset belum dimanfaatkan)")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Other")


class FollowUpClass(models.TextChoices):
    """Peraturan BPK 2/2017: the four classes of follow-up (DOMAIN.md section 5.4)."""

    SESUAI = "sesuai", _("Sesuai dengan rekomendasi")
    BELUM_SESUAI = "belum_sesuai", _("Belum sesuai")
    BELUM_DITINDAKLANJUTI = "belum_ditindaklanjuti", _("Belum ditindaklanjuti")
    TIDAK_DAPAT = "tidak_dapat", _("Tidak dapat ditindaklanjuti")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")

"""Monev (#5; DOMAIN.md sections 4, 5.3, 5.4).

Regional officers report on each sentra of their region for a period (a quarter, or a field visit): the three
indicators of the seed (the sentra operates; the work followed the rules; the sentra stays in use), checklists on
the three weaknesses, activity figures and evidence. The ministry reviews the report (returns it with a reason,
or accepts it). Itjen records findings with recommendations; the region follows them up until Itjen verifies the
follow-up into one of the four classes of Peraturan BPK 2/2017 and closes the finding.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dakportal.models import BaseModel, MoneyField
from monev.choices import FindingCategory, FindingStatus, FollowUpClass, PeriodKind, ReportStatus, Score
from monev.querysets import FindingQuerySet, MonevReportQuerySet

FOLLOW_UP_DAYS = 60  # Peraturan BPK 2/2017: the reply is due 60 days after the report


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = (quarter - 1) * 3 + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def default_deadline(year: int, quarter: int) -> date:
    """The end of the month after the quarter (MONEV_DEADLINE_DAYS after the quarter ends, if set)."""
    end = quarter_bounds(year, quarter)[1]
    if settings.MONEV_DEADLINE_DAYS:
        return end + timedelta(days=settings.MONEV_DEADLINE_DAYS)
    following = end + timedelta(days=1)
    return following.replace(day=calendar.monthrange(following.year, following.month)[1])


class MonevReport(BaseModel):
    sentra = models.ForeignKey(
        "sentra.Sentra", on_delete=models.PROTECT, related_name="monev_reports", verbose_name=_("sentra")
    )
    allocations = models.ManyToManyField(
        "allocations.Allocation", blank=True, related_name="monev_reports", verbose_name=_("funded by")
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind, default=PeriodKind.QUARTER)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus, default=ReportStatus.DRAFT)
    operating_score = models.CharField(_("the sentra operates"), max_length=10, choices=Score, blank=True)
    operating_note = models.TextField(_("narrative and evidence: operation"), blank=True)
    compliance_score = models.CharField(_("the work followed the rules"), max_length=10, choices=Score, blank=True)
    compliance_note = models.TextField(_("narrative and evidence: compliance"), blank=True)
    sustainability_score = models.CharField(_("the sentra stays in use"), max_length=10, choices=Score, blank=True)
    sustainability_note = models.TextField(_("narrative and evidence: sustained use"), blank=True)
    checklist = models.JSONField(
        _("checklist"), default=dict, blank=True, help_text=_("Facilities, legality, institution.")
    )
    active_units = models.PositiveIntegerField(_("active member units"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    output = models.CharField(_("output in the period"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    region_lookup = "sentra__regency"

    objects = MonevReportQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        # #11: the sentra's id, not its name: the newest quarter first straight from the index, no join and no
        # sort of every report in the country.
        ordering = ["-year", "-quarter", "sentra_id"]
        indexes = [
            models.Index(fields=["-year", "-quarter", "sentra"], name="monev_report_newest_first"),
            models.Index(fields=["status", "deadline"], name="monev_report_status_deadline"),  # the inbox's lists
        ]
        verbose_name = _("monev report")
        verbose_name_plural = _("monev reports")
        constraints = [
            models.UniqueConstraint(
                fields=["sentra", "year", "quarter"],
                condition=Q(period_kind="quarter"),
                name="monev_one_report_per_sentra_quarter",
                violation_error_message=_("This sentra already has a report for this quarter."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(period_kind="quarter", quarter__isnull=False)
                | Q(period_kind="visit", visit_date__isnull=False),
                name="monev_period_given",
                violation_error_message=_("Give the quarter, or the date of the field visit."),
            ),
        ]

    def __str__(self) -> str:
        period = f"TW {self.quarter} {self.year}" if self.period_kind == PeriodKind.QUARTER else f"{self.visit_date}"
        return f"{self.sentra} · {period}"

    def get_absolute_url(self) -> str:
        return reverse("monev:report_detail", args=[self.pk])

    @property
    def period_bounds(self) -> tuple[date, date]:
        if self.period_kind == PeriodKind.QUARTER and self.quarter:
            return quarter_bounds(self.year, self.quarter)
        day = self.visit_date or date(self.year, 1, 1)
        return day, day

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        reference = self.submitted_at.date() if self.submitted_at else timezone.localdate()
        return reference > self.deadline

    @property
    def has_photo(self) -> bool:
        """Whether a photo is attached (from the prefetched evidence on the detail page): submitting without one
        asks first (#14)."""
        return any(evidence.is_image for evidence in self.evidence.all())

    def clean(self) -> None:
        if self.period_kind == PeriodKind.VISIT and self.visit_date and self.visit_date.year != self.year:
            raise ValidationError({"visit_date": _("The visit date is not in the report's year.")})


class ReportTransition(models.Model):
    """One step of a report's workflow: who, when, from which status to which, and why (#5)."""

    scope_exempt = "shown only through its scoped report"

    report = models.ForeignKey(
        MonevReport, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("monev report")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=ReportStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ReportStatus)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history_parent = "report"
    history_region_lookups = ("report__sentra__regency",)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class Evidence(BaseModel):
    """A photo or document attached to a report or a follow-up. Photos carry their EXIF position and time when
    present, with flags (not refusals) when taken far from the sentra or outside the period."""

    report = models.ForeignKey(MonevReport, on_delete=models.PROTECT, related_name="evidence", null=True, blank=True)
    follow_up = models.ForeignKey("FollowUp", on_delete=models.PROTECT, related_name="evidence", null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    distance_km = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    region_lookup = "report__sentra__regency"
    history_region_lookups = ("report__sentra__regency", "follow_up__finding__regency")

    class Meta:
        ordering = ["created"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, follow_up__isnull=True)
                | Q(report__isnull=True, follow_up__isnull=False),
                name="monev_evidence_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monev:evidence", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Assignment(BaseModel):
    """An Itjen monev assignment (surat tugas): number, date, team, the kab/kota and sentra covered, the period."""

    number = models.CharField(_("surat tugas number"), max_length=100, unique=True)
    date = models.DateField(_("date"))
    team = models.TextField(_("team"))
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )
    sentra = models.ManyToManyField("sentra.Sentra", blank=True, related_name="assignments", verbose_name=_("sentra"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year covered"))

    class Meta:
        ordering = ["-date"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="monev_assignment_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            )  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.number


class Finding(BaseModel):
    """An Itjen finding (temuan), followed up by the region until Itjen closes it."""

    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    sentra = models.ForeignKey(
        "sentra.Sentra", on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    allocation = models.ForeignKey(
        "allocations.Allocation", on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    report = models.ForeignKey(MonevReport, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory)
    condition = models.TextField(_("condition"))
    criteria = models.TextField(_("criteria"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    loss_value = MoneyField(_("loss (Rp)"), default=0)
    due_date = models.DateField(_("follow-up due"))
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus, default=FindingStatus.OPEN)
    follow_up_class = models.CharField(
        _("follow-up class"), max_length=25, choices=FollowUpClass, default=FollowUpClass.BELUM_DITINDAKLANJUTI
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FindingQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["-created"], name="monev_finding_newest_first"),
            models.Index(fields=["status", "due_date"], name="monev_finding_status_due"),  # open ones by due date
        ]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monev:finding_detail", args=[self.pk])

    def clean(self) -> None:
        if self.sentra is not None and self.regency_id and self.sentra.regency_id != self.regency_id:
            raise ValidationError({"sentra": _("The sentra is not in this kab/kota.")})
        if self.allocation is not None and self.regency_id and self.allocation.regency_id != self.regency_id:
            raise ValidationError({"allocation": _("The allocation belongs to another kab/kota.")})


class Recommendation(BaseModel):
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    responsible_official = models.CharField(_("responsible official"), max_length=200)
    due_date = models.DateField(_("due date"))
    value = MoneyField(_("value (Rp)"), default=0)

    region_lookup = "finding__regency"
    history_parent = "finding"

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:60]


class FollowUp(BaseModel):
    """The region's reply to a finding, and Itjen's verification of it."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="follow_ups")
    reply = models.TextField(_("reply"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification = models.CharField(_("verification"), max_length=25, choices=FollowUpClass, blank=True)
    verification_reason = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    region_lookup = "finding__regency"
    history_parent = "finding"

    class Meta:
        ordering = ["finding", "created"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.finding} · {self.created:%Y-%m-%d}"


class Notification(models.Model):
    """An in-app notification (its e-mail twin goes through Django's mail framework)."""

    scope_exempt = "each user reaches only their own notifications"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.text


class Reminder(models.Model):
    """A reminder sent: (kind, object, deadline, days before) is unique, so none is ever sent twice."""

    scope_exempt = "bookkeeping of the reminder command, never served"

    kind = models.CharField(max_length=20)
    object_key = models.CharField(max_length=50)
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "deadline", "days_before"], name="monev_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} {self.deadline} -{self.days_before}"

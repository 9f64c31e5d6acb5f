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
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import (
    ACTIONS,
    RegionScopedQuerySet,
    Scope,
    get_permission_for_model,
    scoped_choices,
)
from dakportal.models import BaseModel, MoneyField
from monev.choices import (
    CONTROLLERS,
    SETTLED,
    WHOLE_UNITS,
    CheckResult,
    CheckSubject,
    CorrectionStatus,
    DepositTarget,
    FindingCategory,
    FindingStatus,
    FollowUpClass,
    Indicator,
    PeriodKind,
    ReportStatus,
    RiskCode,
    RiskSubject,
    Score,
    TeamRole,
    ThresholdUnit,
    VisitStatus,
    VisitStep,
)
from monev.querysets import FindingQuerySet, MonevReportQuerySet, RecommendationQuerySet
from sentra.choices import FacilityCondition

FOLLOW_UP_DAYS = 60  # Peraturan BPK 2/2017: the reply is due 60 days after the report
VISIT_REPORT_DAYS = 30  # a report on a field visit is due 30 days after the visit


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = (quarter - 1) * 3 + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def follow_up_due(issued_on: date | None = None) -> date:
    """When the follow-up of a finding is due: `FOLLOW_UP_DAYS` after its report is issued, or after today while
    it is not (a finding recorded on its own, a visit report still in Itjen's hands)."""
    return (issued_on or timezone.localdate()) + timedelta(days=FOLLOW_UP_DAYS)


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
        """Late by the one rule, `MonevReportQuerySet.late_q`."""
        return self.meets(MonevReportQuerySet.late_q(), "late")

    @property
    def is_overdue(self) -> bool:
        """Still with the region after its deadline, by the one rule, `MonevReportQuerySet.overdue_q`."""
        return self.meets(MonevReportQuerySet.overdue_q(), "overdue")

    def apply_defaults(self) -> None:
        """A quarterly report is due at the end of the month after its quarter (`default_deadline`), a report on a
        field visit `VISIT_REPORT_DAYS` after the visit, unless a deadline is given."""
        if self.deadline is not None:
            return
        if self.period_kind == PeriodKind.QUARTER and self.quarter and self.year:
            self.deadline = default_deadline(self.year, self.quarter)
        elif self.visit_date:
            self.deadline = self.visit_date + timedelta(days=VISIT_REPORT_DAYS)

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
    """A photo or document attached to a report, a follow-up or an Itjen visit report (#13: there, to one of the
    three indicators). Photos carry their EXIF position and time when present, with flags (not refusals) when
    taken far from the sentra or outside the period."""

    report = models.ForeignKey(MonevReport, on_delete=models.PROTECT, related_name="evidence", null=True, blank=True)
    follow_up = models.ForeignKey("FollowUp", on_delete=models.PROTECT, related_name="evidence", null=True, blank=True)
    visit = models.ForeignKey("Visit", on_delete=models.PROTECT, related_name="evidence", null=True, blank=True)
    indicator = models.CharField(_("indicator"), max_length=15, choices=Indicator, blank=True)
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
    history_region_lookups = (
        "report__sentra__regency",
        "follow_up__recommendation__finding__regency",
        "visit__sentra__regency",
    )

    class Meta:
        ordering = ["created"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, follow_up__isnull=True, visit__isnull=True)
                | Q(report__isnull=True, follow_up__isnull=False, visit__isnull=True)
                | Q(report__isnull=True, follow_up__isnull=True, visit__isnull=False),
                name="monev_evidence_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(indicator="") | Q(visit__isnull=False),
                name="monev_evidence_indicator_of_visit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monev:evidence", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AssignmentQuerySet(RegionScopedQuerySet):
    """Surat tugas in the user's scope (#13). An assignment names one or more kab/kota: a regional or provincial
    officer sees those that name one of their regions (and, on them, nothing of the other regions: see
    `Assignment.regencies_for` and `Assignment.sentra_for`); national roles see them all."""

    def for_user(self, user: Any, action: str = "view") -> Self:
        assert action in ACTIONS, action
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if not user.has_perm(get_permission_for_model(self.model, action)):
            return self.none()
        scope = Scope.of(user)
        if scope.national:
            return self
        named = AssignmentRegency.objects.filter(assignment=OuterRef("pk")).filter(scope.q("regency"))
        return self.filter(Exists(named))

    def with_member(self, user: Any) -> Self:
        """The assignments whose team includes `user`."""
        return self.filter(Exists(AssignmentMember.objects.filter(assignment=OuterRef("pk"), user=user)))

    def in_month(self, first: date, last: date) -> Self:
        """The assignments whose period overlaps the days `first` to `last` (the calendar's month)."""
        return self.filter(period_start__lte=last, period_end__gte=first)

    def with_summary(self, user: Any) -> Self:
        """For lists, the calendar and exports, computed in SQL: the names of the kab/kota the user may see, the
        team lead, the number of sentra in the user's scope and of visit reports the user may see."""
        scope = Scope.of(user)
        regencies = AssignmentRegency.objects.filter(assignment=OuterRef("pk"))
        sentra = Assignment.sentra.through.objects.filter(assignment=OuterRef("pk"))
        visits = Visit.objects.for_user(user).filter(assignment=OuterRef("pk"))
        if not scope.national:
            regencies = regencies.filter(scope.q("regency"))
            sentra = sentra.filter(scope.q("sentra__regency"))
        lead = AssignmentMember.objects.filter(assignment=OuterRef("pk"), role=TeamRole.LEAD)
        text = models.CharField()
        names = StringAgg("regency__name", delimiter=Value(", "), order_by="regency__name", output_field=text)
        lead_name = Coalesce(NullIf("user__full_name", Value("")), "user__username", output_field=text)
        return self.annotate(
            regency_names=Coalesce(
                Subquery(regencies.order_by().values("assignment").annotate(names=names).values("names")),
                Value(""),
                output_field=text,
            ),
            sentra_count=_count(sentra),
            visit_count=_count(visits),
            lead_name=Coalesce(
                Subquery(lead.annotate(name=lead_name).values("name")[:1]), Value(""), output_field=text
            ),
        )


def _count(queryset: models.QuerySet[Any]) -> Coalesce:
    """The number of rows of a correlated `queryset`, as a subquery (no join that would multiply the rows)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0), output_field=models.IntegerField())


class Assignment(BaseModel):
    """An Itjen monev assignment (surat tugas, #13): its number and date; the team, all Itjen auditors, with one
    team lead (ketua tim) and at least one controller (pengendali teknis or pengendali mutu); the period of the
    engagement; the kab/kota and, in them, the sentra to visit; the fiscal years under review. Each visited
    sentra gets a field visit report (`Visit`). The rules on the team and the places are `check_team` and
    `check_places`: they need the links, which `Model.clean()` cannot see before the assignment is saved."""

    number = models.CharField(_("surat tugas number"), max_length=100, unique=True)
    date = models.DateField(_("date"))
    regencies = models.ManyToManyField(
        "regions.Regency", through="AssignmentRegency", related_name="+", verbose_name=_("kab/kota")
    )
    sentra = models.ManyToManyField("sentra.Sentra", blank=True, related_name="assignments", verbose_name=_("sentra"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    fiscal_years = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name=_("fiscal years under review"), default=list
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Anything else the surat tugas says (the team as first written, ...).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # #13: the kab/kota are a many-to-many link: scoping is `AssignmentQuerySet.for_user`, and the history of
    # each named kab/kota is kept by its link (`AssignmentRegency`).
    region_lookup = ""

    objects = AssignmentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("assignment (surat tugas)")
        verbose_name_plural = _("assignments (surat tugas)")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="monev_assignment_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            )  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("monev:assignment_detail", args=[self.pk])

    def clean(self) -> None:
        from allocations.models import FiscalYear

        errors: dict[str, Any] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.date and self.period_end and self.period_end < self.date:
            errors["period_end"] = _("The period cannot end before the surat tugas is dated.")
        years = sorted(set(self.fiscal_years or []))
        if not years:
            errors["fiscal_years"] = _("Name at least one fiscal year under review.")
        else:
            known = set(FiscalYear.objects.filter(year__in=years).values_list("year", flat=True))
            unknown = [str(year) for year in years if year not in known]
            if unknown:
                errors["fiscal_years"] = _("%(years)s: not a fiscal year of the DAK.") % {"years": ", ".join(unknown)}
            elif self.period_end and years[-1] > self.period_end.year:
                errors["fiscal_years"] = _("A fiscal year under review cannot be later than the period.")
        self.fiscal_years = years
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def check_team(members: list[tuple[Any, str]]) -> None:
        """#13: a team has exactly one lead and at least one controller, names each person once, and holds only
        active Itjen auditors. Raises `ValidationError` on `members`."""
        from dakportal.accounts.choices import Role

        errors: list[ValidationError] = []
        if not members:
            message = _("Name the team: a team lead and at least one controller.")
            raise ValidationError({"members": [ValidationError(message, code="no_lead")]})
        outsiders = [str(user) for user, _role in members if user.role != Role.AUDITOR or not user.is_active]
        if outsiders:
            message = _("Every member must be an active Itjen auditor: %(users)s is not.")
            errors.append(ValidationError(message % {"users": ", ".join(outsiders)}, code="not_itjen"))
        users = [user.pk for user, _role in members]
        if len(set(users)) != len(users):
            errors.append(ValidationError(_("Each person may hold only one role in the team."), code="twice"))
        roles = [role for _user, role in members]
        unknown = [str(role) for role in roles if role not in TeamRole.values]
        if unknown:
            message = _("Unknown team role: %(roles)s.")
            errors.append(ValidationError(message % {"roles": ", ".join(unknown)}, code="role"))
        if roles.count(TeamRole.LEAD) != 1:
            errors.append(ValidationError(_("The team needs exactly one team lead (ketua tim)."), code="no_lead"))
        if not any(role in CONTROLLERS for role in roles):
            message = _("The team needs a controller: a pengendali teknis or a pengendali mutu.")
            errors.append(ValidationError(message, code="no_controller"))
        if errors:
            raise ValidationError({"members": errors})

    @staticmethod
    def check_places(regencies: list[Any], sentra: list[Any]) -> None:
        """#13: at least one kab/kota, each sentra in one of them. Raises `ValidationError` on the field."""
        if not regencies:
            raise ValidationError({"regencies": [_("Name at least one kab/kota.")]})
        codes = {regency.pk for regency in regencies}
        outside = [str(place) for place in sentra if place.regency_id not in codes]
        if outside:
            raise ValidationError(
                {"sentra": [_("Not in the kab/kota of this surat tugas: %(sentra)s.") % {"sentra": ", ".join(outside)}]}
            )

    @property
    def fiscal_years_label(self) -> str:
        return ", ".join(str(year) for year in self.fiscal_years)

    def role_of(self, user: Any) -> str | None:
        """The team role of `user` on this assignment, or None when they are not on the team."""
        if not getattr(user, "is_authenticated", False):
            return None
        return self.members.filter(user=user).values_list("role", flat=True).first()

    def regencies_for(self, user: Any) -> models.QuerySet[Any]:
        """The kab/kota of the assignment that `user` may see (#13: a region sees nothing of the others)."""
        from dakportal.regions.models import Regency

        return scoped_choices(Regency, user).filter(pk__in=self.regencies.values("pk")).order_by("name")

    def sentra_for(self, user: Any) -> models.QuerySet[Any]:
        return self.sentra.all().for_user(user).select_related("regency").order_by("regency__name", "name")


class AssignmentRegency(models.Model):
    """A kab/kota named in a surat tugas. Its own row, so that the history of the link carries the kab/kota and a
    region's officers see it."""

    scope_exempt = "part of its assignment, shown only through it"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="regency_links")
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kab/kota")
    )

    region_lookup = "regency"
    history_parent = "assignment"

    class Meta:
        verbose_name = _("kab/kota of the assignment")
        verbose_name_plural = _("kab/kota of the assignment")
        constraints = [models.UniqueConstraint(fields=["assignment", "regency"], name="monev_assignment_regency_once")]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.regency_id}"


class AssignmentMember(models.Model):
    """A member of the team of a surat tugas, with their role (#13)."""

    scope_exempt = "part of its assignment, shown only through it"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_roles", verbose_name=_("auditor")
    )
    role = models.CharField(_("role in the team"), max_length=25, choices=TeamRole)

    history_parent = "assignment"
    history_label = ("role",)

    class Meta:
        ordering = ["assignment", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"],
                name="monev_assignment_member_once",
                violation_error_message=_("Each person may hold only one role in the team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# ---------------------------------------------------------------------------------------------------------------------
# The field visit report (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
class VisitQuerySet(RegionScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> Self:
        """#13: a visit report is Itjen's own work until it is issued: auditors see every report in their scope;
        the ministry, analysts and the regions see only issued (final) reports, the regions those of their
        sentra."""
        from dakportal.accounts.choices import Role

        rows = super().for_user(user, action)
        if getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.AUDITOR:
            return rows
        return rows.filter(status=VisitStatus.ISSUED)


class Visit(BaseModel):
    """A field visit report (Laporan Hasil Monev, LHM) of an Itjen team on one sentra of its surat tugas (#13):
    the three indicators of the seed scored with a narrative and evidence photos, the facilities and legality
    checked against the registry (`RegistryCheck`), and findings with recommendations (`Finding.visit`).
    Drafted by the team; submitted; returned with a reason or approved by a controller; issued as final (numbered,
    dated) to the kab/kota and Ditjen IKMA. An issued report is locked."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="visits", verbose_name=_("surat tugas")
    )
    sentra = models.ForeignKey(
        "sentra.Sentra", on_delete=models.PROTECT, related_name="visits", verbose_name=_("sentra")
    )
    visit_date = models.DateField(_("visit date"))
    status = models.CharField(_("status"), max_length=12, choices=VisitStatus, default=VisitStatus.DRAFT)
    operating_score = models.CharField(_("the sentra operates"), max_length=10, choices=Score, blank=True)
    operating_note = models.TextField(_("narrative: operation"), blank=True)
    compliance_score = models.CharField(_("the work followed the rules"), max_length=10, choices=Score, blank=True)
    compliance_note = models.TextField(_("narrative: compliance"), blank=True)
    sustainability_score = models.CharField(_("the sentra stays in use"), max_length=10, choices=Score, blank=True)
    sustainability_note = models.TextField(_("narrative: sustained use"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    number = models.CharField(_("LHM number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("issued by"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    region_lookup = "sentra__regency"
    history_label = ("number",)

    objects = VisitQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("field visit report (LHM)")
        verbose_name_plural = _("field visit reports (LHM)")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "sentra"],
                name="monev_visit_one_per_sentra",
                violation_error_message=_("This sentra already has a visit report under this surat tugas."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="monev_visit_number_unique",
                violation_error_message=_("Another report already has this LHM number."),
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.ISSUED) | (~Q(number="") & Q(issued_on__isnull=False)),
                name="monev_visit_issued_numbered",
                violation_error_message=_("An issued report has a number and an issue date."),
            ),
        ]

    def __str__(self) -> str:
        label = self.number or _("LHM draft")
        return f"{label} · {self.sentra}"

    def get_absolute_url(self) -> str:
        return reverse("monev:visit_detail", args=[self.pk])

    def clean(self) -> None:
        if not (self.assignment_id and self.sentra_id):
            return
        assignment = self.assignment
        if not assignment.sentra.filter(pk=self.sentra_id).exists():
            raise ValidationError({"sentra": _("This sentra is not named in the surat tugas.")})
        if self.visit_date and not (assignment.period_start <= self.visit_date <= assignment.period_end):
            raise ValidationError(
                {
                    "visit_date": _("The visit date is outside the period of the surat tugas (%(start)s to %(end)s).")
                    % {"start": assignment.period_start, "end": assignment.period_end}
                }
            )

    @property
    def is_locked(self) -> bool:
        return self.status == VisitStatus.ISSUED

    @classmethod
    def history_hidden(cls, user: Any) -> Q | None:
        """#13: the history of a draft (the report, its parts, its findings and their recommendations) is Itjen's,
        as the draft is (`VisitQuerySet.for_user`): other users' history leaves it out until the report is
        issued."""
        from dakportal.accounts.choices import Role

        if getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.AUDITOR:
            return None
        text = models.CharField()
        drafts = cls.objects.exclude(status=VisitStatus.ISSUED).annotate(key=Cast("pk", text)).values("key")
        unissued = cls.objects.exclude(status=VisitStatus.ISSUED)
        finding_keys = Finding.objects.filter(visit__in=unissued).annotate(key=Cast("pk", text)).values("key")
        evidence_keys = Evidence.objects.filter(visit__in=unissued).annotate(key=Cast("pk", text)).values("key")
        return (
            Q(model="monev.visit", object_id__in=drafts)
            | Q(model="monev.evidence", object_id__in=evidence_keys)
            | Q(parent_model="monev.visit", parent_id__in=drafts)
            | Q(model="monev.finding", object_id__in=finding_keys)
            | Q(parent_model="monev.finding", parent_id__in=finding_keys)
        )

    @property
    def period_bounds(self) -> tuple[date, date]:
        """The days in which its photos should be taken: the period of the surat tugas."""
        return self.assignment.period_start, self.assignment.period_end

    def indicators(self) -> list[tuple[str, str, str, str, str]]:
        """(indicator, label, score, score label, narrative) of the three indicators, in order."""
        return [
            (key, str(label), getattr(self, f"{key}_score"), getattr(self, f"get_{key}_score_display")(),
             getattr(self, f"{key}_note"))
            for key, label in Indicator.choices
        ]  # fmt: skip


class VisitTransition(models.Model):
    """One step of a visit report's workflow: who, when, what (submit, return, approve, issue) and why (#13)."""

    scope_exempt = "shown only through its scoped visit report"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="transitions")
    step = models.CharField(_("step"), max_length=10, choices=VisitStep)
    from_status = models.CharField(_("from"), max_length=12, choices=VisitStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=VisitStatus)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history_parent = "visit"
    history_region_lookups = ("visit__sentra__regency",)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("visit report step")
        verbose_name_plural = _("visit report steps")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.step}"


# The sentra's legality as the registry holds it, checked on every visit (#13; the seed's second weakness).
LEGALITY_FIELDS = (
    "sk_number", "land_status", "land_certificate", "building_permit", "environmental_document", "ded_available",
    "management_body", "management_sk",
)  # fmt: skip


class RegistryCheck(BaseModel):
    """One item of the registry checked on a visit (#13): a facility, a document or a legality field of the sentra,
    found as registered or different. A difference carries the team's observation and the proposed correction;
    when the report is issued it goes to the region, which confirms it (the registry is then corrected through
    its services) or rejects it with a reason."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="checks", verbose_name=_("visit report"))
    subject = models.CharField(_("item"), max_length=10, choices=CheckSubject)
    facility = models.ForeignKey("sentra.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    document = models.ForeignKey(
        "sentra.SentraDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    field = models.CharField(_("registry field"), max_length=40, blank=True)
    label = models.CharField(_("what"), max_length=250)
    registered = models.CharField(_("in the registry"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=15, choices=CheckResult, blank=True)
    observed = models.TextField(_("what the team found"), blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=200, blank=True)
    proposed_quantity = models.PositiveIntegerField(_("proposed quantity"), null=True, blank=True)
    proposed_condition = models.CharField(_("proposed condition"), max_length=15, choices=FacilityCondition, blank=True)
    correction = models.CharField(_("correction"), max_length=10, choices=CorrectionStatus, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    region_lookup = "visit__sentra__regency"
    history_parent = "visit"
    history_label = ("label",)

    class Meta:
        ordering = ["visit", "subject", "id"]
        verbose_name = _("registry check")
        verbose_name_plural = _("registry checks")
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject="facility") & Q(facility__isnull=False) & Q(document__isnull=True))
                | (Q(subject="document") & Q(document__isnull=False) & Q(facility__isnull=True))
                | (Q(subject="legality") & ~Q(field="") & Q(facility__isnull=True) & Q(document__isnull=True)),
                name="monev_registry_check_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.result != CheckResult.DIFFERENT:
            if self.observed or self.proposed_value or self.proposed_quantity or self.proposed_condition:
                raise ValidationError(
                    {"result": _("Mark the item as different to describe what was found and propose a correction.")}
                )
            return
        if not self.observed.strip():
            raise ValidationError({"observed": _("Say what the team found.")})
        if self.subject == CheckSubject.LEGALITY and self.proposed_value:
            self.proposed_value = legality_value(self.field, self.proposed_value)[1]
        if self.subject != CheckSubject.FACILITY and (self.proposed_quantity or self.proposed_condition):
            raise ValidationError({"proposed_quantity": _("A quantity or condition is proposed for facilities only.")})
        if self.subject != CheckSubject.LEGALITY and self.proposed_value:
            raise ValidationError({"proposed_value": _("A value is proposed for a legality item only.")})

    @property
    def proposes_change(self) -> bool:
        """Whether confirming it changes the registry (otherwise it records the region's acknowledgement)."""
        return bool(self.proposed_value or self.proposed_quantity or self.proposed_condition)


def legality_value(field_name: str, text: str) -> tuple[Any, str]:
    """A proposed legality value as the registry would store it, and as written back for people: a choice by its
    code or its label, yes/no for a yes-no field. Raises `ValidationError` on `proposed_value`."""
    from sentra.models import Sentra

    field: Any = Sentra._meta.get_field(field_name)
    text = text.strip()
    if isinstance(field, models.BooleanField):
        answers = {"ya": True, "yes": True, "ada": True, "true": True, "1": True,
                   "tidak": False, "no": False, "tidak ada": False, "false": False, "0": False}  # fmt: skip
        if text.lower() not in answers:
            raise ValidationError({"proposed_value": _("Write yes or no (ya / tidak).")})
        value = answers[text.lower()]
        return value, str(_("yes") if value else _("no"))
    if field.choices:
        for code, label in field.choices:
            if text.lower() in (str(code).lower(), str(label).lower()):
                return code, str(code)
        allowed = ", ".join(str(code) for code, _label in field.choices)
        raise ValidationError({"proposed_value": _("Choose one of: %(allowed)s.") % {"allowed": allowed}})
    if field.max_length and len(text) > field.max_length:
        raise ValidationError({"proposed_value": _("At most %(n)d characters.") % {"n": field.max_length}})
    return text, text


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
    visit = models.ForeignKey(
        "Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name=_("field visit report (LHM)"),
    )  # fmt: skip
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

    @property
    def is_overdue(self) -> bool:
        """Open after its follow-up due date, by the one rule, `FindingQuerySet.overdue_q`."""
        return self.meets(FindingQuerySet.overdue_q(), "overdue")

    def apply_defaults(self) -> None:
        """The kab/kota of its sentra, and a follow-up due `FOLLOW_UP_DAYS` after its visit report is issued
        (`follow_up_due`), unless given."""
        if self.sentra is not None and not self.regency_id:
            self.regency_id = self.sentra.regency_id
        if self.due_date is None:
            self.due_date = follow_up_due(self.visit.issued_on if self.visit is not None else None)

    def clean(self) -> None:
        if self.visit is not None and (
            self.sentra_id != self.visit.sentra_id or self.assignment_id != self.visit.assignment_id
        ):
            raise ValidationError({"visit": _("A finding of a visit report is on its sentra and its surat tugas.")})
        if self.sentra is not None and self.regency_id and self.sentra.regency_id != self.regency_id:
            raise ValidationError({"sentra": _("The sentra is not in this kab/kota.")})
        if self.allocation is not None and self.regency_id and self.allocation.regency_id != self.regency_id:
            raise ValidationError({"allocation": _("The allocation belongs to another kab/kota.")})


class Recommendation(BaseModel):
    """A recommendation of an Itjen finding (#13), followed up on its own: the region replies with documents and,
    where money is to be recovered, deposits it to the treasury with a proof; Itjen verifies each follow-up into
    one of the four classes of Peraturan BPK 2/2017, and the latest verification is the recommendation's `status`.
    Sesuai and tidak dapat ditindaklanjuti settle it; a finding closes when all its recommendations are settled
    (`monev.services.settle_finding`). Due 60 days after its visit report is issued (`FOLLOW_UP_DAYS`)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    responsible_official = models.CharField(_("responsible official"), max_length=200)
    due_date = models.DateField(_("due date"))
    amount_to_recover = MoneyField(
        _("amount to recover (Rp)"), default=0, help_text=_("Money to be returned to the treasury, if any.")
    )
    status = models.CharField(
        _("follow-up status"), max_length=25, choices=FollowUpClass, default=FollowUpClass.BELUM_DITINDAKLANJUTI
    )

    region_lookup = "finding__regency"
    history_parent = "finding"

    objects = RecommendationQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["finding", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="monev_rec_status_due")]  # open ones, overdue
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("monev:finding_detail", args=[self.finding_id]) + f"#recommendation-{self.pk}"

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED

    @property
    def is_overdue(self) -> bool:
        """Not settled after its due date, by the one rule, `RecommendationQuerySet.overdue_q`."""
        return self.meets(RecommendationQuerySet.overdue_q(), "overdue")

    def apply_defaults(self) -> None:
        """Due with its finding, unless given."""
        if self.due_date is None and self.finding_id is not None:
            self.due_date = self.finding.due_date


class FollowUp(BaseModel):
    """The region's follow-up of one recommendation (#13): the reply, its documents (`Evidence`), and any money
    paid back to the treasury (penyetoran ke kas negara/daerah) with the date and the proof of deposit (NTPN or
    STS number, and the receipt as a document); then Itjen's verification into one of the four classes, with a
    reason for belum sesuai and tidak dapat ditindaklanjuti."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("recommendation")
    )
    reply = models.TextField(_("reply"))
    amount_deposited = MoneyField(_("amount deposited (Rp)"), default=0)
    deposit_to = models.CharField(_("deposited to"), max_length=12, choices=DepositTarget, blank=True)
    deposit_reference = models.CharField(_("proof of deposit (NTPN / STS number)"), max_length=100, blank=True)
    deposit_date = models.DateField(_("deposit date"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification = models.CharField(_("verification"), max_length=25, choices=FollowUpClass, blank=True)
    verification_reason = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    region_lookup = "recommendation__finding__regency"
    history_parent = "recommendation"

    class Meta:
        ordering = ["recommendation", "created", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        created = self.created or timezone.now()
        return f"{self.recommendation} · {created:%Y-%m-%d}"

    def clean(self) -> None:
        if self.amount_deposited:
            missing = {}
            if not self.deposit_date:
                missing["deposit_date"] = _("Give the date of the deposit.")
            if not self.deposit_reference.strip():
                missing["deposit_reference"] = _("Give the proof of deposit: the NTPN or STS number.")
            if not self.deposit_to:
                missing["deposit_to"] = _("Say where the money was deposited: kas negara or kas daerah.")
            if missing:
                raise ValidationError(missing)
            if self.deposit_date is not None and self.deposit_date > timezone.localdate():
                raise ValidationError({"deposit_date": _("The deposit date cannot be in the future.")})
        elif self.deposit_date or self.deposit_reference.strip():
            raise ValidationError({"amount_deposited": _("Give the amount deposited.")})


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


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17)
# ---------------------------------------------------------------------------------------------------------------------
class RiskRuleQuerySet(RegionScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> Self:
        """The rules are the same for the whole country: every role that may view them sees them all; ministry
        staff and Itjen change them (the role table)."""
        assert action in ACTIONS, action
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if not user.has_perm(get_permission_for_model(self.model, action)):
            return self.none()
        return self

    def active(self) -> Self:
        return self.filter(active=True)


class RiskRule(BaseModel):
    """A rule of the risk register (#17): what it looks at (`subject`), its threshold and its weight in the score.
    The SQL behind each code is in `monev/risk.py`; the figures here are data, changed by ministry staff and Itjen
    with every change kept in the history. A rule fires on an allocation, a sentra or a kab/kota; a kab/kota's
    score is the sum of the weights of the rules that fired in it."""

    reference_data = True  # the same rules for every region
    region_lookup = ""

    code = models.CharField(_("code"), max_length=30, choices=RiskCode, unique=True)
    label = models.CharField(_("label"), max_length=200)
    subject = models.CharField(_("looks at"), max_length=12, choices=RiskSubject)
    description = models.TextField(_("description"), blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=2, null=True, blank=True)
    threshold_unit = models.CharField(
        _("threshold unit"), max_length=10, choices=ThresholdUnit, blank=True, editable=False
    )
    weight = models.IntegerField(
        _("weight"), default=1, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Points added to the score when the rule fires (0 to 100; 0 shows the rule without scoring it)."),
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)

    objects = RiskRuleQuerySet.as_manager()  # type: ignore[misc]

    history_label = ("code",)

    class Meta:
        ordering = ["-weight", "code"]
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100),
                name="monev_risk_rule_weight_range",
                violation_error_message=_("The weight must be between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("monev:risk_rules") + f"#rule-{self.code}"

    def clean(self) -> None:
        """The threshold has the type its unit asks: none for a rule without one, a whole number of days, units,
        photos or a month, a ratio above 1, percentage points between 0 and 100."""
        unit, value = self.threshold_unit, self.threshold
        if unit == ThresholdUnit.NONE:
            if value is not None:
                raise ValidationError({"threshold": _("This rule takes no threshold: leave it empty.")})
            return
        if value is None:
            raise ValidationError(
                {
                    "threshold": _("This rule needs a threshold (%(unit)s).")
                    % {"unit": self.get_threshold_unit_display()}
                }
            )
        if unit in WHOLE_UNITS and value != value.to_integral_value():
            raise ValidationError(
                {"threshold": _("Enter a whole number of %(unit)s.") % {"unit": self.get_threshold_unit_display()}}
            )
        limits: dict[str, tuple[int, int]] = {
            ThresholdUnit.POINTS: (0, 100), ThresholdUnit.DAYS: (0, 366), ThresholdUnit.UNITS: (1, 1000),
            ThresholdUnit.MONTH: (1, 12), ThresholdUnit.COUNT: (1, 1000),
        }  # fmt: skip
        if unit == ThresholdUnit.RATIO and value <= 1:
            raise ValidationError({"threshold": _("The ratio must be more than 1 (1.5: half again the median).")})
        if unit in limits and not (limits[unit][0] <= value <= limits[unit][1]):
            low, high = limits[unit]
            raise ValidationError(
                {"threshold": _("The threshold must be between %(low)d and %(high)d.") % {"low": low, "high": high}}
            )

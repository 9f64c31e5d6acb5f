from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dakportal.filtersets import BaseFilterSet, ScopedModelChoiceFilter
from dakportal.regions.models import Province, Regency
from dakportal.widgets import DateInput
from monev.choices import (
    CorrectionStatus,
    FindingCategory,
    FindingStatus,
    FollowUpClass,
    ReportStatus,
    RiskCode,
    VisitStatus,
)
from monev.models import Assignment, Evidence, Finding, MonevReport, Notification, Recommendation, RiskRule, Visit
from monev.querysets import AGES, WAITING, FindingQuerySet, MonevReportQuerySet, RecommendationQuerySet


class MonevReportFilterSet(BaseFilterSet):
    search_fields = ("sentra__name", "sentra__regency__name")

    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year"))
    quarter = django_filters.NumberFilter(label=_("Quarter"))
    sentra = django_filters.NumberFilter(field_name="sentra_id", label=_("Sentra"))
    province = ScopedModelChoiceFilter(field_name="sentra__regency__province", model=Province, label=_("Province"))
    regency = ScopedModelChoiceFilter(field_name="sentra__regency", model=Regency, label=_("Kab/kota"))
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    submitted = django_filters.BooleanFilter(
        field_name="submitted_at", lookup_expr="isnull", exclude=True, label=_("Submitted")
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within", label=_("Due within (days)"), min_value=0, max_value=366
    )
    # #14: the dashboard's "awaiting review for 8-30 days" leads here
    waiting = django_filters.ChoiceFilter(
        method="filter_waiting", choices=[(name, name) for name in WAITING], label=_("Waiting for review (days)")
    )

    class Meta:
        model = MonevReport
        fields = ["status", "year", "quarter", "sentra", "province", "regency"]

    def filter_late(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = MonevReportQuerySet.late_q()
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = MonevReportQuerySet.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_due_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(queryset.due_within_q(int(value))) if value is not None else queryset  # type: ignore[attr-defined]

    def filter_waiting(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.with_waiting().filter(waiting=value) if value else queryset  # type: ignore[attr-defined]


class FindingFilterSet(BaseFilterSet):
    search_fields = ("title", "condition", "regency__name", "sentra__name")

    province = ScopedModelChoiceFilter(field_name="regency__province", model=Province, label=_("Province"))
    regency = ScopedModelChoiceFilter(model=Regency, label=_("Kab/kota"))
    category = django_filters.ChoiceFilter(choices=FindingCategory.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, label=_("Status"))
    follow_up_class = django_filters.ChoiceFilter(choices=FollowUpClass.choices, label=_("Follow-up class"))
    older_than_days = django_filters.NumberFilter(
        method="filter_age", label=_("Older than (days)"), min_value=0, max_value=36500
    )  # #12: bounded, a huge number was a server error (the fuzz run)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    # #14: Itjen's dashboard counts open findings by age; each count leads here
    age = django_filters.ChoiceFilter(
        method="filter_age_bucket", choices=[(name, name) for name in AGES], label=_("Age (days)")
    )

    to_verify = django_filters.BooleanFilter(method="filter_to_verify", label=_("Follow-up to verify"))

    class Meta:
        model = Finding
        fields = ["province", "regency", "category", "status", "follow_up_class"]

    def filter_to_verify(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        waiting = queryset.to_verify_q()  # type: ignore[attr-defined]
        return queryset.filter(waiting) if value else queryset.exclude(waiting)

    def filter_age(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        from datetime import timedelta

        return queryset.filter(created__lt=timezone.now() - timedelta(days=int(value))) if value else queryset

    def filter_age_bucket(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.with_age().filter(age=value) if value else queryset  # type: ignore[attr-defined]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = FindingQuerySet.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RecommendationFilterSet(BaseFilterSet):
    """#13: recommendations by finding, kab/kota, province, follow-up status, year (of the issued LHM, else of the
    finding) and lateness; the API, the follow-up monitoring (TLHP) report and its downloads."""

    search_fields = ("text", "finding__title", "finding__regency__name")

    finding = django_filters.NumberFilter(field_name="finding_id", label=_("Finding"))
    province = ScopedModelChoiceFilter(field_name="finding__regency__province", model=Province, label=_("Province"))
    regency = ScopedModelChoiceFilter(field_name="finding__regency", model=Regency, label=_("Kab/kota"))
    status = django_filters.MultipleChoiceFilter(choices=FollowUpClass.choices, label=_("Follow-up status"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Year"), min_value=2000, max_value=2100)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Recommendation
        fields = ["finding", "province", "regency", "status", "year"]

    def filter_year(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        from monev.querysets import year_of_recommendation

        if value is None:
            return queryset
        filtered: QuerySet[Any] = queryset.alias(rec_year=year_of_recommendation()).filter(rec_year=int(value))
        return filtered

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = RecommendationQuerySet.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AssignmentFilterSet(BaseFilterSet):
    """#13: the surat tugas by kab/kota, fiscal year under review, team member and period."""

    search_fields = ("number", "notes")

    regency = ScopedModelChoiceFilter(field_name="regencies", model=Regency, label=_("Kab/kota"))
    fiscal_year = django_filters.NumberFilter(
        method="filter_fiscal_year", label=_("Fiscal year under review"), min_value=2016, max_value=2100
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("In the field on"), widget=DateInput())
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("My team"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Running or to come"))

    class Meta:
        model = Assignment
        fields = ["regency", "fiscal_year", "active_on", "mine", "current"]

    def filter_current(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        current = {"period_end__gte": timezone.localdate()}
        return queryset.filter(**current) if value else queryset.exclude(**current)

    def filter_fiscal_year(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        return queryset.filter(fiscal_years__contains=[int(value)]) if value else queryset

    def filter_active_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(period_start__lte=value, period_end__gte=value) if value else queryset

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        mine = Assignment.objects.with_member(user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)


class VisitFilterSet(BaseFilterSet):
    """#13: the field visit reports by status, kab/kota, surat tugas, sentra and year of the visit."""

    search_fields = ("number", "sentra__name", "assignment__number")

    status = django_filters.MultipleChoiceFilter(choices=VisitStatus.choices, label=_("Status"))
    regency = ScopedModelChoiceFilter(field_name="sentra__regency", model=Regency, label=_("Kab/kota"))
    assignment = django_filters.NumberFilter(field_name="assignment_id", label=_("Surat tugas"))
    sentra = django_filters.NumberFilter(field_name="sentra_id", label=_("Sentra"))
    year = django_filters.NumberFilter(
        field_name="visit_date__year", label=_("Year of the visit"), min_value=1900, max_value=2100
    )  # a year the date functions can hold (the fuzz run sent -2^63)
    corrections = django_filters.BooleanFilter(method="filter_corrections", label=_("Registry corrections to decide"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("My team"))
    to_review = django_filters.BooleanFilter(method="filter_to_review", label=_("Reviewed by me"))

    class Meta:
        model = Visit
        fields = ["status", "regency", "assignment", "sentra", "year", "corrections", "mine", "to_review"]

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        """#14: the visit reports of the user's own team (the dashboard's "returned to your team")."""
        if value is None:
            return queryset
        mine = Assignment.objects.with_member(getattr(self.request, "user", None)).values("pk")
        return queryset.filter(assignment__in=mine) if value else queryset.exclude(assignment__in=mine)

    def filter_to_review(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        """#14: the visit reports of the teams in which the user is a technical or quality controller."""
        if value is None:
            return queryset
        from monev.choices import CONTROLLERS

        user = getattr(self.request, "user", None)
        reviewed = Assignment.objects.filter(members__user=user, members__role__in=CONTROLLERS).values("pk")
        return queryset.filter(assignment__in=reviewed) if value else queryset.exclude(assignment__in=reviewed)

    def filter_corrections(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        from django.db.models import Exists, OuterRef

        from monev.models import RegistryCheck

        open_ones = Exists(RegistryCheck.objects.filter(visit=OuterRef("pk"), correction=CorrectionStatus.PROPOSED))
        return queryset.filter(open_ones) if value else queryset.exclude(open_ones)


class EvidenceFilterSet(BaseFilterSet):
    """Evidence of the reports in scope (#12): by report, kab/kota, and whether a photo is flagged."""

    search_fields = ("title",)

    report = django_filters.NumberFilter(label=_("Monev report"))
    regency = ScopedModelChoiceFilter(field_name="report__sentra__regency", model=Regency, label=_("Kab/kota"))
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("Flagged"))

    class Meta:
        model = Evidence
        fields = ["report", "regency", "flagged"]

    def filter_flagged(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.exclude(flags=[]) if value else queryset.filter(flags=[])


class NotificationFilterSet(BaseFilterSet):
    search_fields = ("text",)

    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread"))

    class Meta:
        model = Notification
        fields = ["unread"]


def _ignore(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    return queryset


class RiskFilterSet(BaseFilterSet):
    """#17: the questions asked of the risk register (year, province, kab/kota, rule), for the "Prioritas monev"
    page, its downloads and the API. They choose what `monev.risk.Assessment` computes; the rows filtered are the
    rules themselves, which the page lists beside the ranking."""

    year = django_filters.NumberFilter(method=_ignore, label=_("Year"), min_value=2016, max_value=2100)
    province = ScopedModelChoiceFilter(method=_ignore, model=Province, label=_("Province"))
    regency = ScopedModelChoiceFilter(method=_ignore, model=Regency, label=_("Kab/kota"))
    rule = django_filters.ChoiceFilter(method=_ignore, choices=RiskCode.choices, label=_("Rule"))
    q = None  # no text search: the questions are the four above

    class Meta:
        model = RiskRule
        fields = ["year", "province", "regency", "rule"]

    def assessment(self) -> Any:
        """The assessment asked for (the latest year with allocations in the user's scope by default, else this
        year), or None when the filters are not valid."""
        from allocations.models import Allocation
        from monev.risk import Assessment

        if not self.is_valid():
            return None
        data, user = self.form.cleaned_data, self.request.user
        year = data.get("year") or Allocation.objects.for_user(user).aggregate(year=Max("year"))["year"]
        year = year or timezone.localdate().year  # nothing allocated yet: this year, where nothing fires
        province, regency = data.get("province"), data.get("regency")
        return Assessment(
            user, int(year), province=province.pk if province else "", regency=regency.pk if regency else "",
            rule=data.get("rule") or "",
        )  # fmt: skip

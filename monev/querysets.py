"""Numbers about monev, computed in SQL (#5, dashboard pieces; STYLE.md convention 8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self

from django.db import models
from django.db.models import Case, Count, F, Func, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils import timezone

from dakportal.accounts.scoping import RegionScopedQuerySet
from dakportal.db.expressions import PerGroup, flag, percent
from monev.choices import (
    DEPOSIT_ACCEPTED,
    EDITABLE,
    IN_REVIEW,
    SETTLED,
    UNVERIFIED,
    FindingStatus,
    PeriodKind,
    ReportStatus,
    VisitStatus,
)
from sentra.choices import SentraStatus

# The sentra expected to report each quarter: built, operating or inactive (not planned or under construction)
REPORTING_STATUSES = (SentraStatus.BUILT, SentraStatus.OPERATING, SentraStatus.INACTIVE)


# #14: how long a report has waited for the ministry's review, in days since it was last submitted
WAITING = {"0-7": (0, 7), "8-30": (8, 30), "31+": (31, None)}
# How old an open finding is, in days since it was recorded (the Itjen dashboard and the findings list)
AGES = {"0-29": (0, 29), "30-59": (30, 59), "60-89": (60, 89), "90+": (90, None)}


def _bucket(field: str, buckets: dict[str, tuple[int, int | None]]) -> Case:
    """The bucket name of a date or datetime `field` by its age in days today; one expression for the dashboard's
    counts and the list filter the counts link to."""
    now = timezone.now()
    whens = [When(**{f"{field}__gt": now - timedelta(days=last + 1)}, then=Value(name))
             for name, (_first, last) in buckets.items() if last is not None]  # fmt: skip
    default = next(name for name, (_first, last) in buckets.items() if last is None)
    return Case(*whens, default=Value(default), output_field=models.CharField())


class MonevReportQuerySet(RegionScopedQuerySet):
    def with_waiting(self) -> Self:
        """`waiting_since` (when the report was last submitted or resubmitted) and `waiting` (its `WAITING`
        bucket) for the reports in review."""
        from monev.models import ReportTransition

        last = ReportTransition.objects.filter(report=OuterRef("pk"), to_status__in=IN_REVIEW).order_by("-at")
        return (
            self.filter(status__in=IN_REVIEW)
            .annotate(waiting_since=Coalesce(Subquery(last.values("at")[:1]), F("submitted_at"), F("created")))
            .annotate(waiting=_bucket("waiting_since", WAITING))
        )

    def awaiting_review_by_age(self) -> dict[str, int]:
        """#14: how many reports wait for review, by `WAITING` bucket (one query)."""
        counts = (
            self.with_waiting().order_by().aggregate(**{name: Count("pk", filter=Q(waiting=name)) for name in WAITING})
        )
        return {name: counts[name] for name in WAITING}

    @staticmethod
    def late_q(today: date | None = None) -> Q:
        """Late, the one rule (#16): submitted after its deadline, or not submitted and the deadline passed. Lists
        read it in SQL (`with_flags`), a single report as `MonevReport.is_late`."""
        today = today or timezone.localdate()
        return Q(submitted_at__isnull=True, deadline__lt=today) | Q(submitted_at__date__gt=F("deadline"))

    @staticmethod
    def overdue_q(today: date | None = None) -> Q:
        """Overdue: still with the region (draft or returned) after its deadline."""
        return Q(status__in=EDITABLE, deadline__lt=today or timezone.localdate())

    def with_flags(self) -> Self:
        """`late` and `overdue` by their rules, in SQL, for a list (a page, the API) to show on every row (read as
        `is_late`, `is_overdue`)."""
        return self.annotate(flag_late=flag(self.late_q()), flag_overdue=flag(self.overdue_q()))

    def due_within_q(self, days: int) -> Q:
        """A draft due in the next `days` days (today included)."""
        today = timezone.localdate()
        return Q(status=ReportStatus.DRAFT, deadline__range=(today, today + timedelta(days=days)))

    def by_quarter(self) -> list[dict[str, Any]]:
        """#14: the headline of each quarter of the (filtered) reports: due, submitted, accepted, late (one
        query), newest first."""
        return list(
            self.filter(period_kind="quarter")
            .order_by()
            .values("year", "quarter")
            .annotate(
                due=Count("pk"),
                submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
                accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
                late=Count("pk", filter=self.late_q()),
            )
            .order_by("-year", "-quarter")
        )

    def timeliness(self, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` rows of `timeliness_groups()`."""
        return list(self.timeliness_groups()[:limit])

    def timeliness_groups(self) -> models.QuerySet[Any]:
        """One row per kab/kota and quarter, newest first: `reports`, `submitted`, `on_time`, `accepted`, `late`,
        `expected` (the sentra of the kab/kota expected to report: built, operating or inactive) and `completeness`
        (submitted as a percentage of expected, #16: in SQL by the one `percent` rule); a queryset, so the monev
        summary pages it (#14) and counts the groups in SQL. #11: `expected` is counted once per group
        (`PerGroup`), not for every report before grouping."""
        from sentra.models import Sentra

        expected = PerGroup(
            Sentra.objects.filter(regency=OuterRef("regency"), status__in=REPORTING_STATUSES)
            .order_by()
            .values(n=Func("pk", function="COUNT")),  # one row, 0 for none: not grouped, so no Coalesce
            output_field=models.IntegerField(),
        )
        submitted = Count("pk", filter=Q(submitted_at__isnull=False))
        return (
            self.filter(period_kind=PeriodKind.QUARTER)
            .order_by()
            .values("year", "quarter", regency=F("sentra__regency"), regency_name=F("sentra__regency__name"))
            .annotate(
                reports=Count("pk"),
                submitted=submitted,
                on_time=Count("pk", filter=Q(submitted_at__date__lte=F("deadline"))),
                accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
                late=Count("pk", filter=self.late_q()),
                expected=expected,
                completeness=percent(submitted, expected),
            )
            .order_by("-year", "-quarter", "regency")
        )


class FindingQuerySet(RegionScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> Self:
        """#13: a finding written in an Itjen visit report reaches the region, the ministry and analysts only once
        the report is issued; until then it is Itjen's draft."""
        from dakportal.accounts.choices import Role

        rows = super().for_user(user, action)
        if getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.AUDITOR:
            return rows
        return rows.filter(Q(visit__isnull=True) | Q(visit__status=VisitStatus.ISSUED))

    @staticmethod
    def overdue_q(today: date | None = None) -> Q:
        """Overdue, the one rule (#16): open after its follow-up due date. Lists read it in SQL
        (`with_flags`), a single finding as `Finding.is_overdue`."""
        return Q(status=FindingStatus.OPEN, due_date__lt=today or timezone.localdate())

    def with_flags(self) -> Self:
        """`overdue` by its rule, in SQL, for a list to show on every row (read as `is_overdue`)."""
        return self.annotate(flag_overdue=flag(self.overdue_q()))

    @staticmethod
    def closure_figures() -> dict[str, Any]:
        """The closure of a set of findings as aggregates, one home for the findings report, the monev summary and
        the region profile: `closed`, `closure_rate` (closed as a percentage of all, by the one `percent` rule) and
        `overdue`."""
        closed = Count("pk", filter=Q(status=FindingStatus.CLOSED))
        return {
            "closed": closed,
            "closure_rate": percent(closed, Count("pk")),
            "overdue": Count("pk", filter=FindingQuerySet.overdue_q()),
        }

    def closure_rate(self) -> dict[str, Any]:
        """`total`, `closed`, `closure_rate` and `overdue` of these findings (one query)."""
        return self.order_by().aggregate(total=Count("pk"), **self.closure_figures())

    def by_status_and_age(self) -> models.QuerySet[Any]:
        """Counts per status and follow-up class, split by age: under 30, 30-59, 60-89, 90 days or more."""
        return (
            self.order_by()
            .annotate(age=_bucket("created", AGES))
            .values("status", "follow_up_class", "age")
            .annotate(count=Count("pk"), loss=Coalesce(models.Sum("loss_value"), 0))
            .order_by("status", "follow_up_class", "age")
        )

    def to_verify_q(self) -> Q:
        """Open, with a follow-up Itjen has not verified yet."""
        from monev.models import FollowUp

        unverified = FollowUp.objects.filter(verification=UNVERIFIED)
        return Q(status=FindingStatus.OPEN, pk__in=unverified.values("recommendation__finding"))

    def with_age(self) -> Self:
        """`age`: the `AGES` bucket of the finding (days since it was recorded)."""
        return self.annotate(age=_bucket("created", AGES))

    def open_by_age_and_class(self) -> list[dict[str, Any]]:
        """#14: the open findings per follow-up class and age bucket (one query), for Itjen's dashboard. The one
        place to switch when the follow-up moves onto each recommendation: the dashboard and the list filters it
        links to read these keys."""
        return list(
            self.filter(status=FindingStatus.OPEN)
            .with_age()
            .order_by()
            .values("follow_up_class", "age")
            .annotate(count=Count("pk"))
            .order_by("follow_up_class", "age")
        )


class RecommendationQuerySet(RegionScopedQuerySet):
    """Recommendations of Itjen findings (#13), each followed up on its own until Itjen verifies it into one of the
    four classes of Peraturan BPK 2/2017. The rules about them that reports, the API and the dashboard use live
    here: open, overdue, the amounts to recover and recovered, and the year they belong to."""

    def for_user(self, user: Any, action: str = "view") -> Self:
        """As their findings (`FindingQuerySet.for_user`): those of an unissued visit report are Itjen's draft."""
        from dakportal.accounts.choices import Role

        rows = super().for_user(user, action)
        if getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.AUDITOR:
            return rows
        return rows.filter(Q(finding__visit__isnull=True) | Q(finding__visit__status=VisitStatus.ISSUED))

    def open(self) -> Self:
        """Not settled: not (yet) verified as sesuai or tidak dapat ditindaklanjuti."""
        return self.exclude(status__in=SETTLED)

    @staticmethod
    def overdue_q(today: date | None = None) -> Q:
        """Overdue, the one rule (#16): not settled and past its due date (60 days after the visit report was
        issued, by default). Lists read it in SQL (`with_flags`), one recommendation as `is_overdue`."""
        return ~Q(status__in=SETTLED) & Q(due_date__lt=today or timezone.localdate())

    def overdue(self, today: date | None = None) -> Self:
        """The overdue ones (`overdue_q`)."""
        return self.filter(self.overdue_q(today))

    def with_flags(self) -> Self:
        """`overdue` by its rule, in SQL, for a list to show on every row (read as `is_overdue`)."""
        return self.annotate(flag_overdue=flag(self.overdue_q()))

    def with_amounts(self) -> Self:
        """`amount_recovered`: the deposits of its follow-ups that Itjen accepted (verified as sesuai or belum
        sesuai), summed in SQL; `amount_remaining`: what is still to recover (never below zero)."""
        from monev.models import FollowUp

        accepted = (
            FollowUp.objects.filter(recommendation=OuterRef("pk"), verification__in=DEPOSIT_ACCEPTED)
            .order_by()
            .values("recommendation")
            .annotate(total=Sum("amount_deposited"))
            .values("total")
        )
        money = models.BigIntegerField()
        recovered = Coalesce(Subquery(accepted, output_field=money), Value(0), output_field=money)
        return self.annotate(amount_recovered=recovered).annotate(
            amount_remaining=Greatest(F("amount_to_recover") - F("amount_recovered"), Value(0), output_field=money)
        )

    def with_year(self) -> Self:
        """`year`: the year of its findings' visit report (LHM) when issued, else the year the finding was
        recorded: the rows of the follow-up monitoring (TLHP)."""
        return self.annotate(year=year_of_recommendation())


def year_of_recommendation() -> Coalesce:
    return Coalesce(
        ExtractYear("finding__visit__issued_on"), ExtractYear("finding__created"), output_field=models.IntegerField()
    )

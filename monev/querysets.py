"""Numbers about monev, computed in SQL (#5, dashboard pieces; STYLE.md convention 8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self

from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils import timezone

from dakportal.accounts.scoping import RegionScopedQuerySet

REPORTING_STATUSES = ("built", "operating", "inactive")  # sentra expected to report each quarter


class MonevReportQuerySet(RegionScopedQuerySet):
    def timeliness(self, limit: int) -> list[dict[str, Any]]:
        """Per kab/kota and quarter (the newest `limit` groups): reports, submitted, on time, accepted, and the sentra
        expected to report. #11: the expected sentra are counted once per kab/kota in a second query, not in a
        subquery that PostgreSQL would run for every report before grouping."""
        from sentra.models import Sentra

        rows = list(
            self.filter(period_kind="quarter")
            .order_by()
            .values("year", "quarter", regency=F("sentra__regency"), regency_name=F("sentra__regency__name"))
            .annotate(
                reports=Count("pk"),
                submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
                on_time=Count("pk", filter=Q(submitted_at__date__lte=F("deadline"))),
                accepted=Count("pk", filter=Q(status="accepted")),
            )
            .order_by("-year", "-quarter", "regency")[:limit]
        )
        expected = dict(
            Sentra.objects.filter(regency__in={row["regency"] for row in rows}, status__in=REPORTING_STATUSES)
            .order_by()
            .values("regency")
            .annotate(n=Count("pk"))
            .values_list("regency", "n")
        )
        for row in rows:
            row["expected"] = expected.get(row["regency"], 0)
        return rows


class FindingQuerySet(RegionScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> Self:
        """#13: a finding written in an Itjen visit report reaches the region, the ministry and analysts only once
        the report is issued; until then it is Itjen's draft."""
        from dakportal.accounts.choices import Role

        rows = super().for_user(user, action)
        if getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.AUDITOR:
            return rows
        return rows.filter(Q(visit__isnull=True) | Q(visit__status="issued"))

    def by_status_and_age(self) -> models.QuerySet[Any]:
        """Counts per status and follow-up class, split by age: under 30, 30-59, 60-89, 90 days or more."""
        now = timezone.now()
        age = Case(
            When(created__gt=now - timedelta(days=30), then=Value("0-29")),
            When(created__gt=now - timedelta(days=60), then=Value("30-59")),
            When(created__gt=now - timedelta(days=90), then=Value("60-89")),
            default=Value("90+"),
            output_field=models.CharField(),
        )
        return (
            self.order_by()
            .annotate(age=age)
            .values("status", "follow_up_class", "age")
            .annotate(count=Count("pk"), loss=Coalesce(models.Sum("loss_value"), 0))
            .order_by("status", "follow_up_class", "age")
        )

    def closure_rate(self) -> dict[str, Any]:
        return self.order_by().aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status="closed")))


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
        return rows.filter(Q(finding__visit__isnull=True) | Q(finding__visit__status="issued"))

    def open(self) -> Self:
        """Not settled: not (yet) verified as sesuai or tidak dapat ditindaklanjuti."""
        from monev.choices import SETTLED

        return self.exclude(status__in=SETTLED)

    def overdue(self, today: date | None = None) -> Self:
        """Open and past their due date (60 days after the visit report was issued, by default)."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def with_amounts(self) -> Self:
        """`amount_recovered`: the deposits of its follow-ups that Itjen accepted (verified as sesuai or belum
        sesuai), summed in SQL; `amount_remaining`: what is still to recover (never below zero)."""
        from monev.choices import DEPOSIT_ACCEPTED
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

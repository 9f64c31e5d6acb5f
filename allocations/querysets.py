"""Numbers about allocations, computed in SQL (#4; STYLE.md convention 8). The list page, detail page, API,
summary and report all use these methods."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from dakportal.accounts.scoping import RegionScopedQuerySet

GROUPS = {"year": "year", "province": "regency__province", "regency": "regency"}


def _sum(model_name: str, field: str) -> Coalesce:
    from django.apps import apps

    model = apps.get_model("allocations", model_name)
    rows = model.objects.filter(allocation=OuterRef("pk")).order_by().values("allocation").annotate(total=Sum(field))
    return Coalesce(Subquery(rows.values("total")), 0, output_field=models.BigIntegerField())


def _latest(field: str, output: Any) -> Subquery[Any]:
    from allocations.models import Realisation

    rows = Realisation.objects.filter(allocation=OuterRef("pk")).order_by("-quarter").values(field)[:1]
    return Subquery(rows, output_field=output)


def percent(numerator: Any, denominator: Any) -> ExpressionWrapper[Any]:
    """numerator / denominator x 100 with two decimals, NULL when the denominator is zero."""
    return ExpressionWrapper(
        models.functions.Round(F(numerator) * Value(100.0) / NullIf(F(denominator), 0), 2),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )


class AllocationQuerySet(RegionScopedQuerySet):
    def with_totals(self) -> AllocationQuerySet:
        """`planned`, `contracted`, `received` (disbursed), `spent` and `progress` (latest quarter), `remaining`
        (received minus spent), and the absorption against funds received and against the pagu, in percent."""
        return self.annotate(
            planned=_sum("ActivityItem", "value"),
            contracted=_sum("Contract", "value"),
            received=_sum("Disbursement", "amount"),
            spent=Coalesce(_latest("spent", models.BigIntegerField()), 0, output_field=models.BigIntegerField()),
            progress=Coalesce(
                _latest("physical_progress", DecimalField(max_digits=5, decimal_places=2)),
                Value(0),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            ),
        ).annotate(
            remaining=F("received") - F("spent"),
            absorption_received=percent("spent", "received"),
            absorption_pagu=percent("spent", "amount"),
        )

    def with_stage_conditions(self) -> AllocationQuerySet:
        """`stage2_met` and `stage3_met`: whether the year's staged rules for stage II (absorption) and stage III
        (absorption and output) hold now, from the rules stored per fiscal year (expects `with_totals()`)."""
        from allocations.models import DisbursementRule

        def rule(order: int, field: str) -> Subquery[Any]:
            rows = DisbursementRule.objects.filter(fiscal_year=OuterRef("year"), single_payment=False, order=order)
            return Subquery(rows.values(field)[:1])

        met2 = Q(absorption_received__gte=F("stage2_absorption"))
        met3 = Q(absorption_received__gte=F("stage3_absorption"), progress__gte=F("stage3_output"))
        return self.annotate(
            stage2_absorption=rule(2, "min_absorption_percent"),
            stage3_absorption=rule(3, "min_absorption_percent"),
            stage3_output=rule(3, "min_output_percent"),
        ).annotate(
            stage2_met=ExpressionWrapper(met2, output_field=models.BooleanField()),
            stage3_met=ExpressionWrapper(met3, output_field=models.BooleanField()),
        )

    def totals(self) -> dict[str, Any]:
        """Sum of pagu and count of allocations and kab/kota for the whole (filtered) set: one query."""
        return self.order_by().aggregate(
            amount=Coalesce(Sum("amount"), 0), allocations=Count("pk"), regency_count=Count("regency", distinct=True)
        )

    def summary(self, group_by: str = "year") -> models.QuerySet[Any]:
        """One row per group: the group key, `amount` (sum of pagu) and `regency_count` (distinct kab/kota)."""
        key = GROUPS[group_by]
        rows = self.order_by().values(group_by) if key == group_by else self.order_by().values(**{group_by: F(key)})
        return rows.annotate(amount=Sum("amount"), regency_count=Count("regency", distinct=True)).order_by(group_by)

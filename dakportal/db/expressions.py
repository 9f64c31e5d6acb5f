"""SQL expressions shared by the apps (#16.1: a figure needed in several places is written once, in SQL)."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, DecimalField, ExpressionWrapper, F, Q, Subquery
from django.db.models.functions import Cast, NullIf, Round

PERCENT = DecimalField(max_digits=7, decimal_places=2)


def percent(part: Any, whole: Any) -> ExpressionWrapper[Any]:
    """part / whole x 100, exact to two decimals (no float on the way), NULL when the whole is zero or NULL.
    `part` and `whole` are field names or expressions (an aggregate, a subquery): absorption, a closure rate, a
    share of the pagu are all this."""
    part = F(part) if isinstance(part, str) else part
    whole = F(whole) if isinstance(whole, str) else whole
    exact = Cast(part, DecimalField(max_digits=20, decimal_places=2)) * 100
    return ExpressionWrapper(Round(exact / NullIf(whole, 0), 2), output_field=PERCENT)


def flag(condition: Q) -> ExpressionWrapper[Any]:
    """A rule (a `Q`) as a true/false column of each row: how a list shows `late` or `overdue` without a query per
    row. One record reads the same rule with `BaseModel.meets`."""
    return ExpressionWrapper(condition, output_field=BooleanField())


class PerGroup(Subquery):
    """A scalar subquery read once per group of an aggregate query, correlated on a grouped column (`OuterRef` of
    a `values()` key): kept out of GROUP BY, so PostgreSQL runs it for each group, not for every row before
    grouping. The sentra expected to report in each kab/kota of the timeliness report are this.

    Counted as an aggregate (it is one value per group), so that an expression built on it (a `percent`, a
    `Coalesce`) stays out of GROUP BY as well."""

    contains_aggregate = True

    def get_group_by_cols(self) -> list[Any]:
        return []

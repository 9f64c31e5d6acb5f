"""SQL expressions shared by the apps (#16.1: a figure needed in several places is written once, in SQL)."""

from __future__ import annotations

from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F
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

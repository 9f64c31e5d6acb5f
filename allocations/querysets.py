"""Numbers about allocations, computed in SQL (#4; STYLE.md convention 8). The list page, detail page, API,
summary and report all use these methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, JSONObject, Least, NullIf, Round, TruncDate
from django.db.models.lookups import Exact, GreaterThan, LessThan
from django.utils import timezone

from dakportal.accounts.scoping import RegionScopedQuerySet
from dakportal.db.expressions import percent

GROUPS = {"year": "year", "province": "regency__province", "regency": "regency"}
QUARTERS = (1, 2, 3, 4)
BEHIND_POINTS = 10  # #13.5: a quarter more than this many points behind its target is flagged


def behind(plan_funds: Any, spent: Any, pagu: Any, plan_physical: Any, physical: Any) -> Any:
    """#13.5, the one rule for "behind the plan": the money spent is more than `BEHIND_POINTS` points of the pagu
    below the funds planned by then, or the physical progress more than `BEHIND_POINTS` points below its target.
    False when there is no plan or no realisation to compare."""
    money = GreaterThan((plan_funds - spent) * Value(100), pagu * Value(BEHIND_POINTS))
    works = GreaterThan(plan_physical - physical, Value(Decimal(BEHIND_POINTS)))
    return Coalesce(ExpressionWrapper(Q(money) | Q(works), output_field=models.BooleanField()), Value(False))


def _sum(model_name: str, field: str) -> Coalesce:
    from django.apps import apps

    model = apps.get_model("allocations", model_name)
    rows = model.objects.filter(allocation=OuterRef("pk")).order_by().values("allocation").annotate(total=Sum(field))
    return Coalesce(Subquery(rows.values("total")), 0, output_field=models.BigIntegerField())


def _latest(field: str, output: Any) -> Subquery[Any]:
    from allocations.models import Realisation

    rows = Realisation.objects.filter(allocation=OuterRef("pk")).order_by("-quarter").values(field)[:1]
    return Subquery(rows, output_field=output)


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

    def with_stage_conditions(self, today: date | None = None) -> AllocationQuerySet:
        """`stage2_met` and `stage3_met`: whether the conditions of the allocation's stage of order 2 and 3 are met,
        derived from the one evaluation of the rules (`DisbursementRuleQuerySet.evaluated()`): as kept with the
        stage's disbursement, else as at its date, else as at today or the close of its window (#13, #16)."""
        from allocations.models import DisbursementRule

        def met(order: int) -> Exists:
            rules = DisbursementRule.objects.applying_to(AllocationRef.outer()).filter(order=order)
            return Exists(rules.evaluated(AllocationRef.outer(), today=today).filter(stage_met=True))

        return self.annotate(stage2_met=met(2), stage3_met=met(3))

    def with_plan_gaps(self) -> AllocationQuerySet:
        """#13.5: per quarter, the realisation reported (`spent_q1`, `progress_q1`, ...), and `behind_q1`... whether
        it is more than `BEHIND_POINTS` points behind the quarterly plan, in money or in physical progress;
        `behind_plan` when any quarter is."""
        # One join per quarter (a quarter has one valid report), not a subquery repeated in every expression.
        joins = {
            f"report_q{q}": FilteredRelation(
                "realisations", condition=Q(realisations__quarter=q, realisations__voided_at__isnull=True)
            )
            for q in QUARTERS
        }
        queryset = self.alias(**joins).annotate(
            **{f"spent_q{q}": F(f"report_q{q}__spent") for q in QUARTERS},
            **{f"progress_q{q}": F(f"report_q{q}__physical_progress") for q in QUARTERS},
        )
        flags = {
            f"behind_q{q}": behind(
                F(f"quarterly_plan__funds_q{q}"), F(f"spent_q{q}"), F("amount"),
                F(f"quarterly_plan__physical_q{q}"), F(f"progress_q{q}"),
            )
            for q in QUARTERS
        }  # fmt: skip
        any_quarter = Q()
        for name in flags:
            any_quarter |= Q(**{name: True})
        return queryset.annotate(**flags).annotate(
            behind_plan=ExpressionWrapper(any_quarter, output_field=models.BooleanField())
        )

    def plan_curve(self) -> dict[str, Any]:
        """The S-curve of the whole (filtered) set, one query (#13.5; expects `with_plan_gaps()`): per quarter, the
        planned funds in percent of the pagu (`plan_q1`...) and planned physical progress (`plan_physical_q1`...)
        of the allocations with a plan; the money spent and physical progress reported (`actual_q1`,
        `physical_q1`...); and `behind_q1`... for the allocations with both, by the same rule as each one's."""
        aggregates: dict[str, Any] = {}
        planned = Q(quarterly_plan__isnull=False)
        for q in QUARTERS:
            reported = Q(**{f"spent_q{q}__isnull": False})
            both = planned & reported
            aggregates |= {
                f"plan_q{q}": percent(
                    Sum(f"quarterly_plan__funds_q{q}", filter=planned), Sum("amount", filter=planned)
                ),
                f"plan_physical_q{q}": Avg(f"quarterly_plan__physical_q{q}", filter=planned),
                f"actual_q{q}": percent(Sum(f"spent_q{q}", filter=reported), Sum("amount", filter=reported)),
                f"physical_q{q}": Avg(f"progress_q{q}", filter=reported),
                f"behind_q{q}": behind(
                    Sum(f"quarterly_plan__funds_q{q}", filter=both), Sum(f"spent_q{q}", filter=both),
                    Sum("amount", filter=both), Avg(f"quarterly_plan__physical_q{q}", filter=both),
                    Avg(f"progress_q{q}", filter=both),
                ),
            }  # fmt: skip
        return self.order_by().aggregate(**aggregates)

    def with_stage_summary(self, today: date | None = None) -> AllocationQuerySet:
        """#14: `stages`, a list per allocation of its stages in order, each `{"order", "name", "amount",
        "disbursed", "disbursed_on", "window_end", "met", "missing"}` (`missing`: the required documents not yet
        verified), from the one evaluation of the rules (`DisbursementRuleQuerySet.evaluated()`), in the same query
        as the allocations: the regional officer's dashboard shows every allocation's stages without a query each."""
        from django.db.models.functions import JSONObject

        from allocations.models import DisbursementRule

        ref = AllocationRef.outer()
        rules = DisbursementRule.objects.applying_to(ref).evaluated(ref, today=today)
        stage = JSONObject(
            order=F("order"), name=F("name"), amount=F("amount"), disbursed=F("disbursed"),
            disbursed_on=F("disbursed_on"), window_end=F("window_end_date"), met=F("stage_met"),
            missing=F("missing_documents"),
        )  # fmt: skip
        return self.annotate(stages=ArraySubquery(rules.order_by("order").values(stage=stage)))

    def latest_reported_year(self) -> int | None:
        """The latest year in which an allocation of the set has realisation reported: "the latest year with data"
        the absorption figures default to (#14)."""
        found = self.filter(realisations__voided_at__isnull=True, realisations__isnull=False).aggregate(
            year=models.Max("year")
        )
        return found["year"]

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


# ---------------------------------------------------------------------------------------------------------------------
# Disbursement stages (#13): the one evaluation of a stage's conditions, in SQL
# ---------------------------------------------------------------------------------------------------------------------
class MakeDate(Func):
    function = "make_date"
    output_field = models.DateField()


class MonthAfter(Func):
    """The day one month after a date: `MonthAfter(MakeDate(year, 3 * quarter, 1))` is the first day after the
    quarter."""

    template = "(%(expressions)s + interval '1 month')::date"
    output_field = models.DateField()


@dataclass(frozen=True)
class AllocationRef:
    """The allocation a rule is evaluated for, as SQL expressions: constants for one allocation, or references to
    the outer query when an allocation queryset asks about each of its rows."""

    pk: Any
    year: Any
    amount: Any
    plan_status: Any
    plan_decided_at: Any

    @classmethod
    def of(cls, allocation: Any) -> AllocationRef:
        return cls(
            Value(allocation.pk),
            Value(allocation.year),
            Value(allocation.amount, output_field=models.BigIntegerField()),
            Value(allocation.plan_status),
            Value(allocation.plan_decided_at, output_field=models.DateTimeField()),
        )

    @classmethod
    def outer(cls, depth: int = 0) -> AllocationRef:
        def ref(name: str, output_field: Any) -> Any:
            expression: Any = OuterRef(name)
            for _ in range(depth):
                expression = OuterRef(expression)
            return ExpressionWrapper(expression, output_field=output_field)  # typed, so lookups apply to it

        return cls(
            ref("pk", models.BigIntegerField()),
            ref("year", models.IntegerField()),
            ref("amount", models.BigIntegerField()),
            ref("plan_status", models.CharField()),
            ref("plan_decided_at", models.DateTimeField()),
        )


class DisbursementRuleQuerySet(models.QuerySet[Any]):
    def applying_to(self, allocation: AllocationRef) -> DisbursementRuleQuerySet:
        """The stages of the allocation's year: the single payment when the pagu is up to the year's limit, else
        the staged rules."""
        single = Q(fiscal_year__single_payment_max__gt=0, fiscal_year__single_payment_max__gte=allocation.amount)
        return self.filter(Q(fiscal_year_id=allocation.year) & ((Q(single_payment=True) & single) | (
            Q(single_payment=False) & ~single)))  # fmt: skip

    def evaluated(
        self,
        allocation: AllocationRef,
        *,
        as_of: date | None = None,
        exclude: int | None = None,
        today: date | None = None,
    ) -> DisbursementRuleQuerySet:
        """Each rule with its conditions evaluated for the allocation as at a date, computed in SQL (#13, #16).

        The date is `as_of` (a disbursement being recorded), else the latest date the stage was disbursed, else
        today or the close of its window, whichever is earlier. As at that date: the realisation of the quarters
        that had ended, the disbursements before it (not `exclude`, the one being recorded), the contracts signed
        and the documents verified by then, the plan approved by then. Annotations: `as_of`, `window_start_date`,
        `window_end_date`, `received`, `spent`, `progress`, `absorption`, `contracted`, `earlier` (what the earlier
        stages disbursed), `disbursed` (this stage, every date), `disbursed_on`, `amount` (the stage's computed
        amount), `missing_documents`, one boolean per condition (`window_ok`, `documents_ok`, `plan_ok`,
        `contract_ok`, `previous_ok`, `absorption_ok`, `output_ok`), `met` (all of them), `stored_met` (as kept
        with the stage's latest disbursement) and `stage_met` (kept, else evaluated)."""
        from allocations.choices import DocumentStatus, PlanStatus, StageFormula
        from allocations.models import Contract, Disbursement, Realisation, RequiredDocument, StageDocument

        today = today or timezone.localdate()
        money = models.BigIntegerField()
        decimal = DecimalField(max_digits=7, decimal_places=2)

        def total(queryset: Any, field: str) -> Coalesce:
            rows = queryset.order_by().values("allocation").annotate(total=Sum(field)).values("total")
            return Coalesce(Subquery(rows, output_field=money), Value(0), output_field=money)

        own = Disbursement.objects.filter(allocation=OuterRef("_allocation"), rule=OuterRef("pk"))
        own_before = own.exclude(pk=exclude) if exclude else own
        rules = self.annotate(
            _allocation=allocation.pk,
            _year=allocation.year,
            _pagu=allocation.amount,
            _plan_status=allocation.plan_status,
            _plan_decided_on=TruncDate(allocation.plan_decided_at),
        ).annotate(
            window_start_date=MakeDate(F("_year"), F("window_start_month"), F("window_start_day")),
            window_end_date=MakeDate(F("_year"), F("window_end_month"), F("window_end_day")),
            disbursed=total(own, "amount"),
            disbursed_on=Subquery(own.order_by("-date").values("date")[:1]),
            stored_met=Subquery(
                own.filter(conditions_met__isnull=False).order_by("-date", "-pk").values("conditions_met")[:1]
            ),
        )
        if as_of is not None:
            rules = rules.annotate(as_of=Value(as_of, output_field=models.DateField()))
        else:
            latest = Subquery(own_before.order_by("-date").values("date")[:1])
            rules = rules.annotate(
                as_of=Coalesce(latest, Least(Value(today), F("window_end_date")), output_field=models.DateField())
            )

        others = Disbursement.objects.filter(allocation=OuterRef("_allocation"))
        if exclude:
            others = others.exclude(pk=exclude)
        reported = Realisation.objects.filter(allocation=OuterRef("_allocation")).alias(
            over=MonthAfter(MakeDate(F("allocation__year"), F("quarter") * 3, Value(1)))
        ).filter(over__lte=OuterRef("as_of"))  # fmt: skip
        latest = reported.order_by("-quarter")
        verified = StageDocument.objects.filter(
            allocation=OuterRef(OuterRef("_allocation")), requirement=OuterRef("pk"),
            status=DocumentStatus.VERIFIED, decided_on__lte=OuterRef(OuterRef("as_of")),
        )  # fmt: skip
        missing = RequiredDocument.objects.filter(rule=OuterRef("pk")).filter(~Exists(verified))
        rules = rules.annotate(
            received=total(others.filter(date__lt=OuterRef("as_of")), "amount"),
            spent=Coalesce(Subquery(latest.values("spent")[:1], output_field=money), Value(0), output_field=money),
            progress=Coalesce(
                Subquery(latest.values("physical_progress")[:1]), Value(Decimal(0)), output_field=decimal
            ),
            contracted=total(
                Contract.objects.filter(allocation=OuterRef("_allocation"), date__lte=OuterRef("as_of")), "value"
            ),  # fmt: skip
            earlier=total(
                others.filter(
                    rule__order__lt=OuterRef("order"),
                    rule__single_payment=OuterRef("single_payment"),
                    date__lte=OuterRef("as_of"),
                ),
                "amount",
            ),  # fmt: skip
            missing_documents=ArraySubquery(missing.order_by("order").values("name")),
            has_documents=Exists(RequiredDocument.objects.filter(rule=OuterRef("pk"))),
            previous_reported=Exists(reported.filter(quarter=OuterRef("order") - 1)),
        ).annotate(
            absorption=percent("spent", "received"),
            amount=Case(
                When(
                    formula=StageFormula.SHARE,
                    then=Cast(models.functions.Round(F("_pagu") * F("share_percent") / Value(Decimal(100))), money),
                ),
                default=Greatest(Value(0), Least(F("_pagu"), F("contracted")) - F("earlier")),
                output_field=money,
            ),
        )
        conditions = {
            "window_ok": Q(as_of__gte=F("window_start_date"), as_of__lte=F("window_end_date")),
            "documents_ok": ~Q(Exists(missing)),
            "plan_ok": Q(needs_approved_plan=False)
            | Q(_plan_status=PlanStatus.APPROVED, _plan_decided_on__lte=F("as_of")),
            "contract_ok": Q(needs_contract=False) | Q(contracted__gt=0),
            "previous_ok": Q(needs_previous_quarter_report=False) | Q(order__lte=1) | Q(previous_reported=True),
            "absorption_ok": Q(min_absorption_percent__isnull=True) | Q(absorption__gte=F("min_absorption_percent")),
            "output_ok": Q(min_output_percent__isnull=True) | Q(progress__gte=F("min_output_percent")),
        }
        # A comparison with NULL (no funds received yet, no plan decision) is a condition not met, never unknown.
        rules = rules.annotate(
            **{
                name: Coalesce(ExpressionWrapper(condition, output_field=models.BooleanField()), Value(False))
                for name, condition in conditions.items()
            }
        )
        every = Q()
        for name in conditions:
            every &= Q(**{name: True})
        return rules.annotate(met=ExpressionWrapper(every, output_field=models.BooleanField())).annotate(
            stage_met=Coalesce(F("stored_met"), F("met"), output_field=models.BooleanField())
        )


# ---------------------------------------------------------------------------------------------------------------------
# Unit-cost outliers (#17.1, #17.4): a plan line's unit cost against the national median of the other lines
# ---------------------------------------------------------------------------------------------------------------------
UNIT_COST_HIGH = Decimal("1.5")  # more than 1.5 times the national median is an outlier
UNIT_COST_LOW = Decimal("0.5")  # so is less than half of it
UNIT_COST_MIN_PEERS = 5  # a median of fewer other lines is no reference: nothing is flagged against it
MEDIAN = DecimalField(max_digits=22, decimal_places=2)


class Median(Aggregate):
    """`percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`: the median, the mean of the two middle values of an
    even count."""

    template = "(percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s))::numeric"
    output_field = MEDIAN


class _Middle(Func):
    """The value at `offset` from the middle of a group's unit costs in order: `a[n / 2 + offset]` (1-based,
    integer division), from `array_agg(unit_cost ORDER BY unit_cost)` and `count(*)`."""

    template = "(%(expressions)s / 2 + %(offset)s]"
    arg_joiner = ")["  # (array_agg(...))[count(*) / 2 + offset]
    output_field = MEDIAN

    def __init__(self, offset: int) -> None:
        costs = ArrayAgg("unit_cost", order_by="unit_cost")
        super().__init__(costs, Count("pk"), offset=int(offset))


class PeerMedian(Func):
    """The median of the *other* lines' unit costs, for each line, from its group's figures (`unit_cost_groups()`)
    and its own unit cost `x`. With the group's costs in order a[1..n], h = n / 2 and `pivot` = a[h+1]: a line below
    the pivot leaves the others' median at `below`, one above it at `above`, the pivot itself at `at` (the
    formulas in `unit_cost_groups`). One subquery per line over a row of figures, no scan of the group: the
    group figures are computed once for the whole query."""

    output_field = MEDIAN

    def as_sql(
        self, compiler: Any, connection: Any, function: Any = None, template: Any = None, arg_joiner: Any = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:  # fmt: skip
        group, unit_cost = self.get_source_expressions()
        group_sql, group_params = compiler.compile(group)
        x_sql, x_params = compiler.compile(unit_cost)
        sql = (
            f"(SELECT CASE WHEN {x_sql} < g.pivot THEN g.below WHEN {x_sql} > g.pivot THEN g.above ELSE g.at END "
            f"FROM jsonb_to_record({group_sql}) AS g(pivot numeric, below numeric, above numeric, at numeric))"
        )
        return sql, (*x_params, *x_params, *group_params)


class GroupFigures(Subquery):
    """`{"<year>:<detail>:<unit>": {...figures}}` for every group of the subquery (its rows: `key`, `figures`),
    computed once per query: the subquery does not depend on the outer row (PostgreSQL's InitPlan)."""

    template = "(SELECT jsonb_object_agg(g.key, g.figures) FROM (%(subquery)s) AS g)"
    output_field = models.JSONField()


def _group_key(year: Any, detail: Any, unit: Any) -> Concat:
    text = models.TextField()
    return Concat(Cast(year, text), Value(":"), Cast(detail, text), Value(":"), Cast(unit, text), output_field=text)


def unit_cost_outlier(
    unit_cost: Any, median: Any, high: Decimal = UNIT_COST_HIGH, low: Decimal = UNIT_COST_LOW
) -> ExpressionWrapper[Any]:
    """The one rule (#17): a unit cost more than `high` (`UNIT_COST_HIGH`) times the median or less than `low`
    (`UNIT_COST_LOW`) times it is an outlier; NULL (never an outlier) without a median."""
    outside = Q(GreaterThan(unit_cost, median * Value(Decimal(high)))) | Q(
        LessThan(unit_cost, median * Value(Decimal(low)))
    )
    return ExpressionWrapper(outside, output_field=models.BooleanField())


@dataclass(frozen=True)
class UnitCostCheck:
    """A unit cost against the national median of the other plan lines of the same detail, unit and year (#17.4):
    `median` is None when fewer than `UNIT_COST_MIN_PEERS` other lines have one."""

    unit_cost: int
    median: Decimal | None
    peers: int

    @property
    def median_rupiah(self) -> int | None:
        """The median in whole rupiah, as shown."""
        return None if self.median is None else int(self.median.to_integral_value(ROUND_HALF_UP))

    @property
    def low(self) -> int | None:
        """The lowest unit cost within the range, in whole rupiah (rounded up)."""
        return None if self.median is None else int(-((-self.median * UNIT_COST_LOW) // 1))

    @property
    def high(self) -> int | None:
        """The highest unit cost within the range, in whole rupiah (rounded down)."""
        return None if self.median is None else int((self.median * UNIT_COST_HIGH) // 1)

    @property
    def ratio(self) -> Decimal | None:
        if not self.median:
            return None
        return (Decimal(self.unit_cost) / self.median).quantize(Decimal("0.01"))

    @property
    def too_high(self) -> bool:
        return self.median is not None and self.unit_cost > self.median * UNIT_COST_HIGH

    @property
    def too_low(self) -> bool:
        return self.median is not None and self.unit_cost < self.median * UNIT_COST_LOW

    @property
    def outlier(self) -> bool:
        return self.too_high or self.too_low


class ActivityItemQuerySet(RegionScopedQuerySet):
    """Plan lines (#12), scoped like every region-bound record; the unit-cost rule (#17) over the whole country.

    The rule: a line's unit cost is an outlier when it is more than `UNIT_COST_HIGH` (1.5) times, or less than
    `UNIT_COST_LOW` (0.5) times, the national median of the unit costs of the *other* lines of the same detail
    (rincian) and unit in the same fiscal year, over every kab/kota (not scoped: the median is a national reference
    figure and reveals no region's data). The median counts only when at least `UNIT_COST_MIN_PEERS` (5) other lines
    have one, so the first lines of a detail are never flagged against nothing. The same figure for a line being
    entered (not saved yet, or saved with another cost): `unit_cost_check()`."""

    def unit_cost_groups(self) -> models.QuerySet[Any]:
        """One row per (year, detail, unit) of the whole country with more than `UNIT_COST_MIN_PEERS` lines: `key`
        and `figures`, the others' median for a line below, above or at the group's pivot a[h+1] (costs in order
        a[1..n], h = n / 2). Removing one value from an even count leaves a[h] (the line at or above the pivot) or
        a[h+1]; from an odd count, the mean of a[h+1] and a[h+2] (below), a[h] and a[h+1] (above) or a[h] and
        a[h+2] (at)."""
        from allocations.models import ActivityItem

        lo, mid, hi = _Middle(0), _Middle(1), _Middle(2)
        even = Exact(Count("pk") % 2, 0)

        def half(a: Any, b: Any) -> Any:
            return ExpressionWrapper((a + b) / Value(Decimal(2)), output_field=MEDIAN)

        groups = (
            ActivityItem.objects.order_by()
            .values(year=F("allocation__year"), detail_ref=F("detail"), unit_ref=F("unit"))
            .annotate(lines=Count("pk"))
            .filter(lines__gt=UNIT_COST_MIN_PEERS)
        )
        return groups.annotate(
            key=_group_key(F("year"), F("detail_ref"), F("unit_ref")),
            figures=JSONObject(
                pivot=mid,
                below=Case(When(even, then=mid), default=half(mid, hi)),
                above=Case(When(even, then=lo), default=half(lo, mid)),
                at=Case(When(even, then=lo), default=half(lo, hi)),
            ),
        ).values("key", "figures")

    def with_unit_cost_median(self) -> ActivityItemQuerySet:
        """`unit_cost_median`: the national median of the other lines' unit costs (same detail, unit and year; NULL
        with fewer than `UNIT_COST_MIN_PEERS` of them); `unit_cost_ratio`: the unit cost over it, to two decimals;
        `unit_cost_outlier`: above `UNIT_COST_HIGH` or below `UNIT_COST_LOW` times it (NULL without a median). The
        figures of every group are computed once for the whole query, not once per line."""
        group = Func(
            GroupFigures(self.unit_cost_groups()),
            _group_key(F("allocation__year"), F("detail_id"), F("unit_id")),
            function="jsonb_extract_path",
            output_field=models.JSONField(),
        )
        return self.annotate(unit_cost_median=PeerMedian(group, F("unit_cost"))).annotate(
            unit_cost_ratio=Round(Cast(F("unit_cost"), MEDIAN) / NullIf(F("unit_cost_median"), Value(Decimal(0))), 2),
            unit_cost_outlier=unit_cost_outlier(F("unit_cost"), F("unit_cost_median")),
        )

    def unit_cost_outliers(self, high: Decimal = UNIT_COST_HIGH, low: Decimal = UNIT_COST_LOW) -> ActivityItemQuerySet:
        """The lines whose unit cost is more than `high` times or less than `low` times the national median of the
        other lines (`with_unit_cost_median()`; by default `UNIT_COST_HIGH` and `UNIT_COST_LOW`, the thresholds of the
        warning at entry; the risk register passes its rule's)."""
        outside = unit_cost_outlier(F("unit_cost"), F("unit_cost_median"), high, low)
        return self.with_unit_cost_median().filter(outside)

    def unit_cost_check(
        self, *, year: int, detail: Any, unit: Any, unit_cost: int, exclude: int | None = None
    ) -> UnitCostCheck:
        """A unit cost being entered for a line of `year`, `detail` and `unit` (ids or records), against the
        national median of the other lines (every line of the country but `exclude`, the line being changed): one
        query. The same figure as `with_unit_cost_median()` gives the line once saved."""
        others = self.model.objects.filter(allocation__year=year, detail=detail, unit=unit)
        if exclude is not None:
            others = others.exclude(pk=exclude)
        found = others.aggregate(median=Median("unit_cost"), peers=Count("pk"))
        median = found["median"] if found["peers"] >= UNIT_COST_MIN_PEERS else None
        return UnitCostCheck(unit_cost=int(unit_cost), median=median, peers=found["peers"])

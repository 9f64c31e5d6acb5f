"""The risk register (#17): where Itjen and the ministry should look next, and why.

Each rule (`RiskRule`, data: threshold, weight, active) has its SQL here, one query over the whole country (the
user's scope) that returns the records it fires on with the figures behind it. `Assessment` runs the active rules
once, a fixed number of queries whatever the number of kab/kota, and scores allocations, sentra and kab/kota for a
fiscal year: the score is the sum of the weights of the rules that fired, and every score carries its reasons.

Rules about the year (realisation, stages, monev reports, unit costs, contracts, evidence) look at the fiscal year
asked; rules about the present state (an idle sentra, its members, coordinates and legal documents, overdue
recommendations) look at today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import CharField, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dakportal.db.expressions import percent
from dakportal.formatting import number, rupiah
from monev.choices import FollowUpClass, PeriodKind, RiskCode, Score
from monev.models import RiskRule
from monev.risk_defaults import DEFAULT_RULES

Explain = Callable[[dict[str, Any], "Context", Decimal | None], str]
Rows = QuerySet[Any, dict[str, Any]]  # what a rule's query returns (`values()` with the columns of `place()`)

if TYPE_CHECKING:
    from allocations.querysets import ActivityItemQuerySet, AllocationQuerySet
    from sentra.querysets import SentraQuerySet

QUARTER_SHARE = Decimal(25)  # where no quarterly plan exists, a quarter's target is a quarter of the year
DETAILS_SHOWN = 3  # the records named in a kab/kota's reason; the rest are counted


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class Context:
    """Who asks, for which year and places, as at which day."""

    user: Any
    year: int
    today: date
    province: str = ""
    regency: str = ""

    def rows(self, model: Any, regency_path: str) -> QuerySet[Any]:
        """The rows of `model` in the user's scope (`for_user`, the one home of scoping) and the places asked."""
        rows = model.objects.for_user(self.user)
        if self.province:
            rows = rows.filter(**{f"{regency_path}__province": self.province})
        if self.regency:
            rows = rows.filter(**{regency_path: self.regency})
        return rows  # type: ignore[no-any-return]

    @property
    def due_quarter(self) -> int:
        """The last quarter of the year that has ended: 4 for a past year, none (0) for a future one."""
        if self.year < self.today.year:
            return 4
        if self.year > self.today.year:
            return 0
        return (self.today.month - 1) // 3


class Hit:
    """A rule firing on one record, with the figures behind it; the sentence that explains it is written only
    when shown (a national assessment holds tens of thousands of hits, of which a page shows a few)."""

    __slots__ = ("context", "explain", "row", "rule")

    def __init__(self, rule: RiskRule, row: dict[str, Any], explain: Explain, context: Context) -> None:
        self.rule, self.row, self.explain, self.context = rule, row, explain, context

    @property
    def regency(self) -> str:
        return self.row["at_regency"]  # type: ignore[no-any-return]

    @property
    def allocation(self) -> int | None:
        return self.row["at_allocation"]  # type: ignore[no-any-return]

    @property
    def sentra(self) -> int | None:
        return self.row["at_sentra"]  # type: ignore[no-any-return]

    @property
    def sentra_name(self) -> str:
        return self.row["at_sentra_name"]  # type: ignore[no-any-return]

    @property
    def place(self) -> tuple[str, str]:
        """The name of its kab/kota and of the province."""
        return self.row["at_regency_name"], self.row["at_province_name"]

    @property
    def detail(self) -> str:
        return self.explain(self.row, self.context, self.rule.threshold)


# ---------------------------------------------------------------------------------------------------------------------
# The rules: each a query returning rows with `regency`, `allocation`, `sentra`, `sentra_name` and its figures, and
# the sentence that explains one row ("TW 3: terserap 31% dari rencana 60%")
# ---------------------------------------------------------------------------------------------------------------------
def _allocations(ctx: Context) -> AllocationQuerySet:
    from allocations.models import Allocation

    return cast("AllocationQuerySet", ctx.rows(Allocation, "regency").filter(year=ctx.year))


def _sentra(ctx: Context) -> SentraQuerySet:
    from sentra.models import Sentra

    return cast("SentraQuerySet", ctx.rows(Sentra, "regency"))


NO_ID = Value(None, output_field=IntegerField())
NO_NAME = Value("", output_field=CharField())


def place(regency: str, allocation: Any, sentra: Any, sentra_name: Any) -> dict[str, Any]:
    """The columns every rule's rows share, named so as not to clash with a model's own fields: the kab/kota (code,
    name, province) from the path `regency` ("sentra__regency_id"), the allocation and the sentra."""
    path = regency.removesuffix("_id")
    return {
        "at_regency": F(regency), "at_regency_name": F(f"{path}__name"),
        "at_province_name": F(f"{path}__province__name"),
        "at_allocation": allocation if allocation is not None else NO_ID,
        "at_sentra": sentra if sentra is not None else NO_ID, "at_sentra_name": sentra_name,
    }  # fmt: skip


ALLOCATION_ROW = place("regency_id", F("pk"), None, NO_NAME)
SENTRA_ROW = place("regency_id", None, F("pk"), F("name"))


def behind_plan(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """The money spent (or the physical progress) at the last quarter that has ended is more than `threshold`
    points behind the quarterly plan, or behind the elapsed share of the year where no plan was entered."""
    quarter = ctx.due_quarter
    if not quarter:
        return None
    points = threshold or Decimal(0)
    elapsed = QUARTER_SHARE * quarter
    rows = (
        _allocations(ctx)
        .with_totals()
        .annotate(
            plan_share=Coalesce(percent(f"quarterly_plan__funds_q{quarter}", "amount"), Value(elapsed)),
            spent_share=Coalesce(percent("spent", "amount"), Value(Decimal(0))),
            plan_physical=Coalesce(F(f"quarterly_plan__physical_q{quarter}"), Value(elapsed)),
        )
    )
    behind = Q(plan_share__gt=F("spent_share") + points) | Q(plan_physical__gt=F("progress") + points)
    return cast(Rows, rows.filter(behind).values(
        **ALLOCATION_ROW, due_quarter=Value(quarter), plan_share=F("plan_share"), spent_share=F("spent_share"),
        plan_physical=F("plan_physical"), progress=F("progress"),
    ))  # fmt: skip


def _behind_plan(row: dict[str, Any]) -> str:
    text = _("TW %(quarter)s: absorbed %(spent)s%% of a planned %(plan)s%%, works at %(progress)s%% of %(target)s%%")
    return text % {
        "quarter": row["due_quarter"], "spent": number(row["spent_share"], 0), "plan": number(row["plan_share"], 0),
        "progress": number(row["progress"], 0), "target": number(row["plan_physical"], 0),
    }  # fmt: skip


def stage_window(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """A stage not disbursed whose conditions are unmet and whose window closes within `threshold` days (or has
    closed), by the one evaluation of the stage rules (`DisbursementRuleQuerySet.evaluated`)."""
    from allocations.models import DisbursementRule
    from allocations.querysets import AllocationRef

    ref = AllocationRef.outer()
    closing = ctx.today + timedelta(days=int(threshold or 0))
    stages = (
        DisbursementRule.objects.applying_to(ref)
        .evaluated(ref, today=ctx.today)
        .filter(stage_met=False, disbursed=0, window_end_date__lte=closing)
        .order_by("window_end_date")
    )
    rows = _allocations(ctx).annotate(
        stage=Subquery(stages.values("name")[:1]), closes=Subquery(stages.values("window_end_date")[:1])
    )
    return cast(Rows, rows.filter(stage__isnull=False).values("stage", "closes", **ALLOCATION_ROW))


def _stage_window(row: dict[str, Any], today: date) -> str:
    closes: date = row["closes"]
    if closes < today:
        return _("%(stage)s: window closed on %(date)s, conditions unmet") % {
            "stage": row["stage"],
            "date": _day(closes),
        }
    return _("%(stage)s: window closes on %(date)s, conditions unmet") % {"stage": row["stage"], "date": _day(closes)}


def monev_late(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """A sentra funded by the DAK up to the year, expected to report, whose report for the last quarter that has
    ended is missing or late (`MonevReportQuerySet.late_q`, the one rule of lateness)."""
    from allocations.models import ActivityItem
    from monev.models import MonevReport
    from monev.querysets import REPORTING_STATUSES

    quarter = ctx.due_quarter
    if not quarter:
        return None
    reports = MonevReport.objects.filter(
        sentra=OuterRef("pk"), year=ctx.year, quarter=quarter, period_kind=PeriodKind.QUARTER
    )
    funded = ActivityItem.objects.filter(sentra=OuterRef("pk"), allocation__year__lte=ctx.year)
    rows = (
        _sentra(ctx)
        .filter(status__in=REPORTING_STATUSES)
        .filter(Exists(funded))
        .annotate(has_report=Exists(reports), late=Exists(reports.filter(MonevReport.objects.late_q())))
        .filter(Q(has_report=False) | Q(late=True))
    )
    return cast(Rows, rows.values("has_report", due_quarter=Value(quarter), **SENTRA_ROW))


def _monev_late(row: dict[str, Any]) -> str:
    names = {"sentra": row["at_sentra_name"], "quarter": row["due_quarter"]}
    if not row["has_report"]:
        return _("%(sentra)s: no report for TW %(quarter)s") % names
    return _("%(sentra)s: report for TW %(quarter)s late") % names


INDICATORS = ("operating_score", "compliance_score", "sustainability_score")


def indicator_tidak(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """A report of the year (the latest per sentra) scored one of the three indicators "tidak sesuai"."""
    from monev.models import MonevReport

    tidak = Q()
    for name in INDICATORS:
        tidak |= Q(**{name: Score.TIDAK})
    rows = ctx.rows(MonevReport, "sentra__regency").filter(year=ctx.year).filter(tidak)
    return (
        rows.order_by("sentra_id", "-quarter", "-id")
        .distinct("sentra_id")
        .values("quarter", *INDICATORS, **place("sentra__regency_id", None, F("sentra_id"), F("sentra__name")))
    )


def _indicator_tidak(row: dict[str, Any]) -> str:
    from monev.models import MonevReport

    labels = [str(getattr(MonevReport._meta.get_field(name), "verbose_name", name))
              for name in INDICATORS if row[name] == Score.TIDAK]  # fmt: skip
    period = _("TW %(quarter)s") % {"quarter": row["quarter"]} if row["quarter"] else _("field visit")
    return _("%(sentra)s, %(period)s: tidak sesuai on %(indicators)s") % {
        "sentra": row["at_sentra_name"], "period": period, "indicators": ", ".join(labels),
    }  # fmt: skip


def sentra_idle(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """Built (or revitalised) and not operating since before `idle_cutoff()` (`idle_q`, the one rule of idleness)."""
    return _sentra(ctx).idle().values("status_since", **SENTRA_ROW)


def _sentra_idle(row: dict[str, Any]) -> str:
    return _("%(sentra)s: not operating since %(date)s") % {
        "sentra": row["at_sentra_name"],
        "date": _day(row["status_since"]),
    }


def few_members(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """Fewer member units than `threshold` (PP 29/2018: at least 5)."""
    return _sentra(ctx).filter(unit_count__lt=threshold or 0).values("unit_count", **SENTRA_ROW)


def _few_members(row: dict[str, Any], threshold: Decimal | None) -> str:
    return _("%(sentra)s: %(units)s member units (at least %(minimum)s)") % {
        "sentra": row["at_sentra_name"], "units": row["unit_count"], "minimum": number(threshold or 0),
    }  # fmt: skip


def no_coordinates(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    return _sentra(ctx).filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).values(**SENTRA_ROW)


def _no_coordinates(row: dict[str, Any]) -> str:
    return _("%(sentra)s: no coordinates") % {"sentra": row["at_sentra_name"]}


LEGAL_DOCUMENTS = ("sk", "land_certificate", "building_permit")  # keys of the registry's checklist


def no_legal_documents(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """Missing one of the legal documents of the registry's checklist (`sentra.querysets.CHECKLIST`): the SK
    penetapan, the land certificate, the building permit."""
    from django.db.models import BooleanField, ExpressionWrapper

    from sentra.querysets import CHECKLIST

    items = [item for item in CHECKLIST if item.key in LEGAL_DOCUMENTS]
    checks = {f"has_{item.key}": ExpressionWrapper(item.condition(), output_field=BooleanField()) for item in items}
    missing = Q()
    for name in checks:
        missing |= Q(**{name: False})
    return cast(Rows, _sentra(ctx).annotate(**checks).filter(missing).values(*checks, **SENTRA_ROW))


def _no_legal_documents(row: dict[str, Any]) -> str:
    from sentra.querysets import CHECKLIST

    missing = [str(item.label) for item in CHECKLIST if item.key in LEGAL_DOCUMENTS and not row[f"has_{item.key}"]]
    return _("%(sentra)s: missing %(documents)s") % {"sentra": row["at_sentra_name"], "documents": ", ".join(missing)}


def _overdue_recommendations(ctx: Context, threshold: Decimal | None, status: str) -> QuerySet[Any]:
    """Recommendations in `status` more than `threshold` days past their due date (`RecommendationQuerySet.overdue`)."""
    from monev.models import Recommendation

    since = ctx.today - timedelta(days=int(threshold or 0))
    return cast(
        Rows,
        (
            ctx.rows(Recommendation, "finding__regency")
            .overdue(since)  # type: ignore[attr-defined]
            .filter(status=status)
            .values(
                "due_date",
                finding_title=F("finding__title"),
                **place(
                    "finding__regency_id",
                    F("finding__allocation_id"),
                    F("finding__sentra_id"),
                    Coalesce(F("finding__sentra__name"), NO_NAME),
                ),
            )  # fmt: skip
        ),
    )


def rec_not_followed(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    return _overdue_recommendations(ctx, threshold, FollowUpClass.BELUM_DITINDAKLANJUTI)


def rec_partly_followed(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    return _overdue_recommendations(ctx, threshold, FollowUpClass.BELUM_SESUAI)


def _overdue(row: dict[str, Any], today: date) -> str:
    return _("%(finding)s: due %(date)s, %(days)s days overdue") % {
        "finding": row["finding_title"], "date": _day(row["due_date"]), "days": (today - row["due_date"]).days,
    }  # fmt: skip


def unit_cost_outlier(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """An activity item whose unit cost is more than `threshold` times the national median for the same detail and
    unit in the same year, or less than half of it (`ActivityItemQuerySet.unit_cost_outliers`, the one rule)."""
    from allocations.models import ActivityItem

    items = cast(
        "ActivityItemQuerySet", ctx.rows(ActivityItem, "allocation__regency").filter(allocation__year=ctx.year)
    )
    outliers = items.unit_cost_outliers(high=threshold) if threshold else items.unit_cost_outliers()
    return outliers.values(
        "unit_cost",
        "unit_cost_median",
        item=F("detail__name"),
        unit_name=F("unit__name"),
        **place("allocation__regency_id", F("allocation_id"), F("sentra_id"), F("sentra__name")),
    )


def _unit_cost_outlier(row: dict[str, Any]) -> str:
    return _("%(item)s at %(sentra)s: %(cost)s per %(unit)s, national median %(median)s") % {
        "item": row["item"], "sentra": row["at_sentra_name"], "cost": rupiah(row["unit_cost"]),
        "unit": row["unit_name"],
        "median": rupiah(round(row["unit_cost_median"])),
    }  # fmt: skip


def contract_equals_plan(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """The contracts add up to the activity plan to the rupiah: a plan written from the contract, or the reverse."""
    rows = _allocations(ctx).with_totals().filter(contracted__gt=0, contracted=F("planned"))
    return rows.values("contracted", **ALLOCATION_ROW)


def _contract_equals_plan(row: dict[str, Any]) -> str:
    return _("contracts and plan both %(amount)s") % {"amount": rupiah(row["contracted"])}


def contract_late(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """A contract of the year signed in or after month `threshold` (10: the last quarter)."""
    from allocations.models import Contract

    month = int(threshold or 10)
    rows = ctx.rows(Contract, "allocation__regency").filter(
        allocation__year=ctx.year, date__gte=date(ctx.year, month, 1)
    )
    return rows.values("number", "date", **place("allocation__regency_id", F("allocation_id"), None, NO_NAME))


def _contract_late(row: dict[str, Any]) -> str:
    return _("contract %(number)s signed on %(date)s") % {"number": row["number"], "date": _day(row["date"])}


def evidence_flagged(ctx: Context, threshold: Decimal | None) -> QuerySet[Any] | None:
    """At least `threshold` photos of the year's monev reports of a sentra flagged by the checks of their position
    and time (taken far from the sentra, or outside the period)."""
    from monev.models import Evidence

    rows = ctx.rows(Evidence, "report__sentra__regency").filter(report__year=ctx.year).exclude(flags=[])
    return cast(
        Rows,
        (
            rows.order_by()
            .values(**place("report__sentra__regency_id", None, F("report__sentra_id"), F("report__sentra__name")))
            .annotate(photos=Count("pk"))
            .filter(photos__gte=int(threshold or 1))
        ),
    )


def _evidence_flagged(row: dict[str, Any]) -> str:
    return _("%(sentra)s: %(count)s photos flagged") % {"sentra": row["at_sentra_name"], "count": row["photos"]}


@dataclass(frozen=True)
class Definition:
    query: Callable[[Context, Decimal | None], QuerySet[Any] | None]
    explain: Explain


DEFINITIONS: dict[str, Definition] = {
    RiskCode.BEHIND_PLAN: Definition(behind_plan, lambda row, ctx, t: _behind_plan(row)),
    RiskCode.STAGE_WINDOW: Definition(stage_window, lambda row, ctx, t: _stage_window(row, ctx.today)),
    RiskCode.MONEV_LATE: Definition(monev_late, lambda row, ctx, t: _monev_late(row)),
    RiskCode.INDICATOR_TIDAK: Definition(indicator_tidak, lambda row, ctx, t: _indicator_tidak(row)),
    RiskCode.SENTRA_IDLE: Definition(sentra_idle, lambda row, ctx, t: _sentra_idle(row)),
    RiskCode.FEW_MEMBERS: Definition(few_members, lambda row, ctx, t: _few_members(row, t)),
    RiskCode.NO_COORDINATES: Definition(no_coordinates, lambda row, ctx, t: _no_coordinates(row)),
    RiskCode.NO_LEGAL_DOCUMENTS: Definition(no_legal_documents, lambda row, ctx, t: _no_legal_documents(row)),
    RiskCode.REC_NOT_FOLLOWED: Definition(rec_not_followed, lambda row, ctx, t: _overdue(row, ctx.today)),
    RiskCode.REC_PARTLY_FOLLOWED: Definition(rec_partly_followed, lambda row, ctx, t: _overdue(row, ctx.today)),
    RiskCode.UNIT_COST_OUTLIER: Definition(unit_cost_outlier, lambda row, ctx, t: _unit_cost_outlier(row)),
    RiskCode.CONTRACT_EQUALS_PLAN: Definition(contract_equals_plan, lambda row, ctx, t: _contract_equals_plan(row)),
    RiskCode.CONTRACT_LATE: Definition(contract_late, lambda row, ctx, t: _contract_late(row)),
    RiskCode.EVIDENCE_FLAGGED: Definition(evidence_flagged, lambda row, ctx, t: _evidence_flagged(row)),
}


# ---------------------------------------------------------------------------------------------------------------------
# Scores with reasons
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class Reason:
    rule: RiskRule
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def details(self) -> list[str]:
        return [hit.detail for hit in self.hits]

    @property
    def shown(self) -> list[str]:
        """The first `DETAILS_SHOWN` sentences: what a kab/kota's reason names (the rest are counted)."""
        return [hit.detail for hit in self.hits[:DETAILS_SHOWN]]

    @property
    def more(self) -> int:
        return max(self.count - DETAILS_SHOWN, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.code, "label": self.rule.label, "weight": self.rule.weight, "count": self.count,
            "details": self.shown,
        }  # fmt: skip

    def __str__(self) -> str:
        shown = "; ".join(self.shown)
        if self.more:
            shown += " " + _("(and %(count)s more)") % {"count": self.more}
        return f"{self.rule.label}: {shown}"


@dataclass
class Scored:
    """A kab/kota, sentra or allocation with its score and the rules that fired on it."""

    key: Any
    name: str
    regency: str
    regency_name: str
    province_name: str
    level: str  # regency, sentra or allocation: what `key` is
    year: int
    reasons: dict[str, Reason] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Its page (a kab/kota: its region profile for the year), built only when shown."""
        if self.level == "sentra":
            return reverse("sentra:sentra_detail", args=[self.key])
        if self.level == "allocation":
            return reverse("allocations:allocation_detail", args=[self.key])
        return reverse("region_profile", args=[self.key]) + f"?year={self.year}"

    @property
    def score(self) -> int:
        return sum(reason.rule.weight for reason in self.reasons.values())

    @property
    def ordered_reasons(self) -> list[Reason]:
        return sorted(self.reasons.values(), key=lambda reason: (-reason.rule.weight, reason.rule.code))

    def add(self, hit: Hit) -> None:
        rule = hit.rule
        reason = self.reasons.get(rule.code)
        if reason is None:
            reason = self.reasons[rule.code] = Reason(rule)
        reason.hits.append(hit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score, "name": self.name, "regency": self.regency, "regency_name": self.regency_name,
            "province": self.province_name, "url": self.url,
            "reasons": [reason.as_dict() for reason in self.ordered_reasons],
        }  # fmt: skip


class Assessment:
    """The active rules run once for a year over the user's scope (and the province, kab/kota or rule asked): one
    query for the rules, one per rule, one for the names; no query per row."""

    def __init__(
        self, user: Any, year: int, *, province: str = "", regency: str = "", rule: str = "", today: date | None = None
    ) -> None:
        self.context = Context(user, year, today or timezone.localdate(), province or "", regency or "")
        self.rule = rule
        self._hits: list[Hit] | None = None

    def rules(self) -> list[RiskRule]:
        return list(RiskRule.objects.for_user(self.context.user).active())

    def hits(self) -> list[Hit]:
        if self._hits is None:
            self._hits = []
            for rule in self.rules():
                definition = DEFINITIONS.get(rule.code)
                rows = definition.query(self.context, rule.threshold) if definition else None
                if definition is None or rows is None:
                    continue
                self._hits.extend(Hit(rule, row, definition.explain, self.context) for row in rows)
        return self._hits

    def _ranked(self, scored: dict[Any, Scored]) -> list[Scored]:
        rows = list(scored.values())
        if self.rule:
            rows = [row for row in rows if self.rule in row.reasons]
        return sorted(rows, key=lambda row: (-row.score, row.regency_name, row.name))

    def ranking(self, level: str) -> list[Scored]:
        """`regency`, `sentra` or `allocation`: the ranking of that level."""
        return {"regency": self.regencies, "sentra": self.sentra, "allocation": self.allocations}[level]()

    def regencies(self) -> list[Scored]:
        """Kab/kota by score, highest first: every rule that fired in the kab/kota counts once, its reason naming
        the records it fired on."""
        hits = self.hits()
        year = self.context.year
        scored: dict[str, Scored] = {}
        for hit in hits:
            name, province = hit.place
            row = scored.get(hit.regency)
            if row is None:
                row = scored[hit.regency] = Scored(hit.regency, name, hit.regency, name, province, "regency", year)
            row.add(hit)
        return self._ranked(scored)

    def sentra(self) -> list[Scored]:
        """Sentra by score: the rules that fired on the sentra or on a plan line, a recommendation about it."""
        hits = [hit for hit in self.hits() if hit.sentra]
        year = self.context.year
        scored: dict[int, Scored] = {}
        for hit in hits:
            assert hit.sentra is not None
            row = scored.get(hit.sentra)
            if row is None:
                name, province = hit.place
                row = scored[hit.sentra] = Scored(
                    hit.sentra, hit.sentra_name, hit.regency, name, province, "sentra", year
                )
            row.add(hit)
        return self._ranked(scored)

    def allocations(self) -> list[Scored]:
        """The year's allocations by score: the rules that fired on the allocation or on its plan lines."""
        hits = [hit for hit in self.hits() if hit.allocation]
        year = self.context.year
        scored: dict[int, Scored] = {}
        for hit in hits:
            assert hit.allocation is not None
            row = scored.get(hit.allocation)
            if row is None:
                name, province = hit.place
                label = f"TA {year} · {name}"
                row = scored[hit.allocation] = Scored(
                    hit.allocation, label, hit.regency, name, province, "allocation", year
                )
            row.add(hit)
        return self._ranked(scored)


def sentra_warnings(user: Any, sentra: Any) -> list[Reason]:
    """A sentra page's warnings: the rules that fired on it for the latest year with allocations in the scope."""
    from allocations.models import Allocation

    year = Allocation.objects.for_user(user).order_by().aggregate(year=Max("year"))["year"]
    if year is None or not user.has_perm("monev.view_riskrule"):
        return []
    return _reasons_of(Assessment(user, year, regency=sentra.regency_id).sentra(), sentra.pk)


def allocation_warnings(user: Any, allocation: Any) -> list[Reason]:
    """An allocation page's warnings: the rules that fired on it for its year."""
    if not user.has_perm("monev.view_riskrule"):
        return []
    return _reasons_of(Assessment(user, allocation.year, regency=allocation.regency_id).allocations(), allocation.pk)


def _reasons_of(rows: list[Scored], key: Any) -> list[Reason]:
    found = next((row for row in rows if row.key == key), None)
    return found.ordered_reasons if found else []


# ---------------------------------------------------------------------------------------------------------------------
# The rules as first set (`monev/risk_defaults.py`): seeded by the migration, put back by `setup_portal` when
# missing (an edited rule is never overwritten).
# ---------------------------------------------------------------------------------------------------------------------


def ensure_rules() -> int:
    """Create the rules that are missing, with their first thresholds and weights; answers how many."""
    created = 0
    for code, subject, label, threshold, unit, weight, description in DEFAULT_RULES:
        _rule, made = RiskRule.objects.get_or_create(
            code=code,
            defaults={"subject": subject, "label": label, "threshold": threshold, "threshold_unit": unit,
                      "weight": weight, "description": description},
        )  # fmt: skip
        created += made
    return created

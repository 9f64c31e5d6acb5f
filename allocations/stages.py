"""Disbursement stages as the PMK defines them (#13): what each stage of an allocation amounts to, what was
disbursed and when, and each of its conditions with the reason when it is not met.

The conditions are evaluated in one place, in SQL: `DisbursementRuleQuerySet.evaluated()` (allocations/querysets.py),
which the allocation page, the API (`allocations/<id>/stages/`), the reports (`with_stage_conditions()`) and the
recording of a disbursement (`Disbursement.clean()`) all use. This module turns its figures into the conditions
kept with a disbursement (codes, met, figures: language-neutral) and renders them in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from allocations.querysets import AllocationRef
from dakportal.formatting import percent, rupiah

if TYPE_CHECKING:
    from allocations.models import Allocation, Disbursement, DisbursementRule

CONDITIONS = ("window", "documents", "plan", "contract", "previous_quarter", "absorption", "output")


def _day(value: date | str) -> str:
    return formats.date_format(date.fromisoformat(value) if isinstance(value, str) else value, "j M Y")


def conditions_of(row: Any) -> list[dict[str, Any]]:
    """The conditions that apply to an evaluated rule (`DisbursementRuleQuerySet.evaluated()`), as kept with a
    disbursement: `{"code", "met", ...figures}`."""
    found: list[dict[str, Any]] = [
        {"code": "window", "met": row.window_ok, "start": row.window_start_date.isoformat(),
         "end": row.window_end_date.isoformat(), "as_of": row.as_of.isoformat()},
    ]  # fmt: skip
    if row.has_documents:
        found.append({"code": "documents", "met": row.documents_ok, "missing": list(row.missing_documents)})
    if row.needs_approved_plan:
        found.append({"code": "plan", "met": row.plan_ok})
    if row.needs_contract:
        found.append({"code": "contract", "met": row.contract_ok})
    if row.needs_previous_quarter_report and row.order > 1:
        found.append({"code": "previous_quarter", "met": row.previous_ok, "quarter": row.order - 1})
    if row.min_absorption_percent is not None:
        actual = None if row.absorption is None else str(row.absorption)
        found.append(
            {
                "code": "absorption",
                "met": row.absorption_ok,
                "actual": actual,
                "needed": str(row.min_absorption_percent),
            }
        )
    if row.min_output_percent is not None:
        found.append(
            {"code": "output", "met": row.output_ok, "actual": str(row.progress), "needed": str(row.min_output_percent)}
        )
    return found


def render(condition: dict[str, Any]) -> dict[str, Any]:
    """`{"code", "label", "met", "reason"}` in the user's language; the reason is empty when the condition is met."""
    code, met = condition["code"], bool(condition["met"])
    reason = ""
    if code == "window":
        label = _("Within the disbursement window (%(start)s to %(end)s)") % {
            "start": _day(condition["start"]),
            "end": _day(condition["end"]),
        }
        if not met:
            before = condition["as_of"] < condition["start"]
            reason = (
                _("before the window opens on %(date)s") % {"date": _day(condition["start"])}
                if before
                else _("after the window closed on %(date)s") % {"date": _day(condition["end"])}
            )
    elif code == "documents":
        label = _("Required documents verified by the ministry")
        if not met:
            reason = _("not verified: %(documents)s") % {"documents": "; ".join(condition["missing"])}
    elif code == "plan":
        label = _("Activity plan (RK) approved by the ministry")
        reason = "" if met else _("the activity plan is not approved")
    elif code == "contract":
        label = _("Contract signed")
        reason = "" if met else _("no contract is recorded")
    elif code == "previous_quarter":
        label = _("Realisation of quarter %(q)d reported") % {"q": condition["quarter"]}
        reason = "" if met else _("the realisation of quarter %(q)d is not reported") % {"q": condition["quarter"]}
    elif code == "absorption":
        needed = percent(Decimal(condition["needed"]), 0)
        label = _("Absorption at least %(needed)s of funds received") % {"needed": needed}
        if not met:
            actual = percent(Decimal(condition["actual"] or 0))
            reason = _("absorption is %(actual)s of funds received; %(needed)s needed") % {
                "actual": actual,
                "needed": needed,
            }
    elif code == "output":
        needed = percent(Decimal(condition["needed"]), 0)
        label = _("Physical output at least %(needed)s") % {"needed": needed}
        if not met:
            reason = _("physical output is %(actual)s; %(needed)s needed") % {
                "actual": percent(Decimal(condition["actual"])),
                "needed": needed,
            }
    else:  # a code kept by a later version of the rules
        label = code
    return {"code": code, "label": label, "met": met, "reason": reason}


# ---------------------------------------------------------------------------------------------------------------------
# The stages of an allocation
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class StageStatus:
    """One stage of an allocation: its computed amount, what was disbursed and when, its window, and its
    conditions: those kept with its latest disbursement, else evaluated as at today or the close of its window."""

    rule: DisbursementRule
    amount: int
    disbursed: int
    disbursed_on: date | None
    window_start: date
    window_end: date
    conditions: list[dict[str, Any]]
    documents: list[Any] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def conditions_met(self) -> bool:
        return all(condition["met"] for condition in self.conditions)

    @property
    def reasons(self) -> list[str]:
        return [condition["reason"] for condition in self.conditions if not condition["met"]]

    def as_api(self) -> dict[str, Any]:
        return {
            "stage": self.code,
            "name": self.name,
            "amount": self.amount,
            "disbursed": self.disbursed,
            "disbursed_on": self.disbursed_on,
            "window_start": self.window_start,
            "window_end": self.window_end,
            "conditions": self.conditions,
        }


def stage_statuses(allocation: Allocation, *, today: date | None = None) -> list[StageStatus]:
    """Every stage of the allocation's year that applies to its pagu, evaluated in one query (plus one for the kept
    conditions and one for the documents)."""
    from allocations.models import Disbursement, DisbursementRule, StageDocument

    ref = AllocationRef.of(allocation)
    rows = list(
        DisbursementRule.objects.applying_to(ref).evaluated(ref, today=today).prefetch_related("documents")
        .order_by("order")  # the documents are listed on the page
    )  # fmt: skip
    kept = {
        d.rule_id: d.conditions
        for d in Disbursement.objects.filter(allocation=allocation, conditions_met__isnull=False).order_by("date", "pk")
    }
    uploads: dict[int, list[Any]] = {}
    for document in StageDocument.objects.filter(allocation=allocation).select_related("uploaded_by", "decided_by"):
        uploads.setdefault(document.requirement_id, []).append(document)
    result = []
    for row in rows:
        conditions = kept.get(row.pk) if row.disbursed else None
        result.append(
            StageStatus(
                rule=row,
                amount=row.amount,
                disbursed=row.disbursed,
                disbursed_on=row.disbursed_on,
                window_start=row.window_start_date,
                window_end=row.window_end_date,
                conditions=[render(c) for c in (conditions or conditions_of(row))],
                documents=[(requirement, uploads.get(requirement.pk, [])) for requirement in row.documents.all()],
            )
        )
    return result


def evaluate(allocation: Allocation, rule_id: int, on: date, exclude: int | None = None) -> Any:
    """The allocation's stage `rule_id` evaluated as at `on` (None when the stage is not one of the allocation's)."""
    from allocations.models import DisbursementRule

    ref = AllocationRef.of(allocation)
    rules = DisbursementRule.objects.applying_to(ref).evaluated(ref, as_of=on, exclude=exclude)
    return rules.filter(pk=rule_id).first()


def check_disbursement(disbursement: Disbursement) -> tuple[list[dict[str, Any]], bool]:
    """Evaluate the disbursement's stage as at its date (the record itself left out) and refuse it before the
    stage's window, without its documents verified by then, or above the stage's amount (#13). Returns the
    conditions to keep with it, and whether all are met."""
    from allocations.models import Allocation

    # As the database has the allocation (its plan's decision above all), not as a caller's copy may remember it.
    allocation = Allocation.objects.get(pk=disbursement.allocation_id)
    row = evaluate(allocation, disbursement.rule_id, disbursement.date, exclude=disbursement.pk)
    if row is None:
        raise ValidationError(
            {"rule": _("This stage is not one of the stages of TA %(year)d for this pagu.") % {"year": allocation.year}}
        )
    errors: dict[str, list[str]] = {}
    if disbursement.date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    elif disbursement.date < row.window_start_date:
        errors.setdefault("date", []).append(
            _("%(stage)s may be disbursed from %(date)s.") % {"stage": row.name, "date": _day(row.window_start_date)}
        )
    if row.missing_documents:
        errors.setdefault("rule", []).append(
            _("%(stage)s needs these documents verified by the ministry by %(date)s: %(documents)s.")
            % {"stage": row.name, "date": _day(disbursement.date), "documents": "; ".join(row.missing_documents)}
        )
    others = _others_of_stage(disbursement)
    if others + disbursement.amount > row.amount:
        errors.setdefault("amount", []).append(
            _("%(stage)s amounts to %(amount)s on %(date)s; %(others)s of it is already disbursed.")
            % {
                "stage": row.name,
                "amount": rupiah(row.amount),
                "date": _day(disbursement.date),
                "others": rupiah(others),
            }  # fmt: skip
        )
    if errors:
        raise ValidationError(errors)
    conditions = conditions_of(row)
    return conditions, all(condition["met"] for condition in conditions)


def _others_of_stage(disbursement: Disbursement) -> int:
    from django.db.models import Sum

    rows = disbursement.allocation.disbursements.filter(rule=disbursement.rule_id).exclude(pk=disbursement.pk)
    return int(rows.aggregate(total=Sum("amount"))["total"] or 0)

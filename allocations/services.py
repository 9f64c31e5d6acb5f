"""Every write to allocations goes through here (#4; STYLE.md convention 7), and the disbursement stages are
computed here from the year's rules and the recorded data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from allocations.choices import PlanStatus
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    Realisation,
)
from dakportal.formatting import percent
from dakportal.services import delete_record, service, validated_save
from dakportal.uploads import check_upload, random_name


# ---------------------------------------------------------------------------------------------------------------------
# Allocations and their plan
# ---------------------------------------------------------------------------------------------------------------------
@service
def save_allocation(allocation: Allocation, *, acting_user: Any) -> Allocation:
    return validated_save(allocation)


def _editable_plan(allocation: Allocation) -> None:
    if allocation.plan_status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise ValidationError(
            _("The activity plan is %(status)s: it can change only after the ministry returns it.")
            % {"status": allocation.get_plan_status_display().lower()}
        )


@service
def save_item(item: ActivityItem, *, acting_user: Any) -> ActivityItem:
    """Add or change a plan line; the plan's total may not exceed the pagu (ActivityItem.clean)."""
    Allocation.objects.select_for_update().get(pk=item.allocation_id)  # one writer of a plan at a time
    _editable_plan(item.allocation)
    return validated_save(item)


@service
def delete_item(item: ActivityItem, *, acting_user: Any) -> None:
    _editable_plan(item.allocation)
    delete_record(item)


@service
def submit_plan(allocation: Allocation, *, acting_user: Any) -> Allocation:
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.plan_status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(_("Only a draft or returned plan can be submitted."))
    if not allocation.activity_items.exists():
        raise ValidationError(_("The plan has no activity yet."))
    allocation.plan_status = PlanStatus.SUBMITTED
    allocation.save(update_fields=["plan_status", "last_updated"])
    return allocation


@service
def decide_plan(allocation: Allocation, *, approve: bool, reason: str = "", acting_user: Any) -> Allocation:
    """The ministry approves a submitted plan, or returns it with a reason."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.plan_status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved or returned."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is returned.")})
    allocation.plan_status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    allocation.plan_return_reason = "" if approve else reason.strip()
    allocation.plan_decided_by, allocation.plan_decided_at = acting_user, timezone.now()
    allocation.save(
        update_fields=["plan_status", "plan_return_reason", "plan_decided_by", "plan_decided_at", "last_updated"]
    )
    return allocation


@service
def save_contract(contract: Contract, *, acting_user: Any) -> Contract:
    Allocation.objects.select_for_update().get(pk=contract.allocation_id)
    return validated_save(contract)


@service
def record_disbursement(disbursement: Disbursement, *, acting_user: Any) -> Disbursement:
    Allocation.objects.select_for_update().get(pk=disbursement.allocation_id)
    return validated_save(disbursement)


@service
def record_realisation(realisation: Realisation, *, acting_user: Any, photo: Any = None) -> Realisation:
    """A quarter's cumulative spending and physical progress (Realisation.clean holds the rules), with an optional
    photo of the work (checked by content, stored under a random name)."""
    Allocation.objects.select_for_update().get(pk=realisation.allocation_id)
    if photo is not None:
        checked = check_upload(photo, images_only=True)
        name = random_name(f"realisation/{realisation.allocation_id}", checked.extension)
        realisation.photo.save(name, ContentFile(photo.read()), save=False)
    return validated_save(realisation)


# ---------------------------------------------------------------------------------------------------------------------
# Disbursement stages
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class StageStatus:
    name: str
    planned_amount: int
    disbursed_amount: int
    disbursed_on: date | None
    conditions_met: bool
    reasons: list[str] = field(default_factory=list)


def rules_for(allocation: Allocation) -> list[DisbursementRule]:
    """The stages of the allocation's year: one payment when the pagu is small enough, else the staged rules."""
    rules = list(DisbursementRule.objects.filter(fiscal_year_id=allocation.year).select_related("fiscal_year"))
    if not rules:
        return []
    threshold = rules[0].fiscal_year.single_payment_max
    single = bool(threshold) and allocation.amount <= threshold
    return [rule for rule in rules if rule.single_payment == single]


def stages(allocation: Allocation) -> list[StageStatus]:
    """Each stage's amount, what was disbursed and when, and whether its conditions are met now, with the reason
    when not. Absorption is measured against the funds received so far (not the pagu), as the rules say."""
    realisations = list(allocation.realisations.order_by("quarter"))
    latest = realisations[-1] if realisations else None
    received = allocation.disbursements.aggregate(total=Sum("amount"))["total"] or 0
    by_stage = {
        row["stage"]: row
        for row in allocation.disbursements.values("stage").annotate(total=Sum("amount"), last=Max("date"))
    }
    absorption = Decimal(latest.spent) * 100 / received if latest and received else Decimal(0)
    output = latest.physical_progress if latest else Decimal(0)
    reported_quarters = {r.quarter for r in realisations}
    result, remaining = [], allocation.amount
    for index, rule in enumerate(rules_for(allocation), start=1):
        if rule.share_percent is None:
            amount = remaining
        else:
            amount = int((Decimal(allocation.amount) * rule.share_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
            amount = min(amount, remaining)
        remaining -= amount
        reasons = []
        if rule.min_absorption_percent is not None and absorption < rule.min_absorption_percent:
            reasons.append(
                _("absorption is %(actual)s of funds received; %(needed)s needed")
                % {"actual": percent(absorption), "needed": percent(rule.min_absorption_percent, 0)}
            )
        if rule.min_output_percent is not None and output < rule.min_output_percent:
            reasons.append(
                _("physical output is %(actual)s; %(needed)s needed")
                % {"actual": percent(output), "needed": percent(rule.min_output_percent, 0)}
            )
        if rule.needs_previous_quarter_report and (index - 1) not in reported_quarters:
            reasons.append(_("the realisation of quarter %(q)d is not reported") % {"q": index - 1})
        done = by_stage.get(rule.name)
        result.append(
            StageStatus(
                name=rule.name,
                planned_amount=amount,
                disbursed_amount=done["total"] if done else 0,
                disbursed_on=done["last"] if done else None,
                conditions_met=not reasons,
                reasons=reasons,
            )
        )
    return result

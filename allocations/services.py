"""Every write to allocations goes through here (#4; STYLE.md convention 7): the plan and its quarterly targets,
contracts, disbursements, the documents the stages require, and realisation. The stages themselves are read in
allocations/stages.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from allocations.choices import DocumentStatus, PlanStatus
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    QuarterlyPlan,
    Realisation,
    StageDocument,
)
from allocations.querysets import AllocationRef
from dakportal.services import delete_record, locked, service, stale, validated_save
from dakportal.uploads import check_upload, random_name


# ---------------------------------------------------------------------------------------------------------------------
# Allocations and their plan
# ---------------------------------------------------------------------------------------------------------------------
@service
def save_allocation(allocation: Allocation, *, acting_user: Any) -> Allocation:
    return validated_save(allocation)


def _editable_plan(allocation: Allocation) -> None:
    if not allocation.plan_is_editable:
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
def submit_plan(allocation: Allocation, *, acting_user: Any, version: int | None = None) -> Allocation:
    """The kab/kota submits its draft or returned plan (at least one line) to the ministry; based on the version of
    the allocation the planner saw (#9)."""
    allocation = locked(allocation, version)
    if not allocation.plan_is_editable:
        raise ValidationError(_("Only a draft or returned plan can be submitted."))
    if not allocation.activity_items.exists():
        raise ValidationError(_("The plan has no activity yet."))
    allocation.plan_status = PlanStatus.SUBMITTED
    allocation.version += 1
    allocation.save(update_fields=["plan_status", "version", "last_updated"])
    return allocation


@service
def decide_plan(
    allocation: Allocation,
    *,
    approve: bool,
    reason: str = "",
    acting_user: Any,
    at: datetime | None = None,
    version: int | None = None,
) -> Allocation:
    """The ministry approves a submitted plan, or returns it with a reason. `at`: when, for a decision of a past
    year being recorded now (the stages count the plan from that day, #13); now by default. Based on the version of
    the allocation the ministry saw (#9)."""
    allocation = locked(allocation, version)
    if allocation.plan_status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved or returned."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is returned.")})
    allocation.plan_status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    allocation.plan_return_reason = "" if approve else reason.strip()
    allocation.plan_decided_by, allocation.plan_decided_at = acting_user, at or timezone.now()
    allocation.version += 1
    allocation.save(
        update_fields=[
            "plan_status", "plan_return_reason", "plan_decided_by", "plan_decided_at", "version", "last_updated"
        ]
    )  # fmt: skip
    return allocation


@service
def save_contract(contract: Contract, *, acting_user: Any) -> Contract:
    Allocation.objects.select_for_update().get(pk=contract.allocation_id)
    return validated_save(contract)


@service
def record_disbursement(disbursement: Disbursement, *, acting_user: Any) -> Disbursement:
    """Record money sent for a stage: Disbursement.clean evaluates the stage as at the date, refuses it before its
    window, without its documents or above its amount, and keeps the conditions with it (#13)."""
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
# Disbursement stages, their documents, and the quarterly plan (#13)
# ---------------------------------------------------------------------------------------------------------------------
def rules_for(allocation: Allocation) -> list[DisbursementRule]:
    """The stages of the allocation's year that apply to its pagu (one payment when the pagu is small enough)."""
    ref = AllocationRef.of(allocation)
    return list(DisbursementRule.objects.applying_to(ref).order_by("order"))


@service
def upload_stage_document(document: StageDocument, *, upload: Any, acting_user: Any) -> StageDocument:
    """The region uploads a document a stage requires: checked by content (PDF, JPEG or PNG), stored under a random
    name; it waits for the ministry's verification."""
    Allocation.objects.select_for_update().get(pk=document.allocation_id)
    if upload is None:
        raise ValidationError({"file": _("Choose the file to upload.")})
    checked = check_upload(upload)
    name = random_name(f"stage-documents/{document.allocation_id}", checked.extension)
    document.file.save(name, ContentFile(upload.read()), save=False)
    document.uploaded_by = acting_user
    document.status, document.decided_by, document.decided_on, document.decided_at = (
        DocumentStatus.SUBMITTED, None, None, None,
    )  # fmt: skip
    return validated_save(document)


@service
def decide_stage_document(
    document: StageDocument,
    *,
    verify: bool,
    reason: str = "",
    decided_on: date | None = None,
    version: int | None = None,
    acting_user: Any,
) -> StageDocument:
    """The ministry verifies a submitted document, or rejects it with a reason; who, the day it counts from
    (`decided_on`, today unless an earlier verification is being recorded) and when it was recorded are kept."""
    document = (
        StageDocument.objects.select_for_update().select_related("requirement__rule", "allocation").get(pk=document.pk)
    )
    if version is not None and version != document.version:
        raise stale(document, document.version)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(_("Only a document awaiting verification can be verified or rejected."))
    if not verify and not reason.strip():
        raise ValidationError({"reason": _("Say why the document is rejected.")})
    document.status = DocumentStatus.VERIFIED if verify else DocumentStatus.REJECTED
    document.reject_reason = "" if verify else reason.strip()
    document.decided_by, document.decided_at = acting_user, timezone.now()
    document.decided_on = decided_on or timezone.localdate()
    return validated_save(document)


@service
def save_quarterly_plan(plan: QuarterlyPlan, *, acting_user: Any) -> QuarterlyPlan:
    """The quarterly plan (funds to draw and physical targets) is entered with the activity plan, and changes only
    while the activity plan may (QuarterlyPlan.clean holds its rules)."""
    allocation = Allocation.objects.select_for_update().get(pk=plan.allocation_id)
    _editable_plan(allocation)
    return validated_save(plan)

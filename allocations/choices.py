from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dakportal import tones


class AllocationKind(models.TextChoices):
    REGULER = "reguler", _("Reguler")
    PENUGASAN = "penugasan", _("Penugasan")


class ReferenceKind(models.TextChoices):
    """Yearly reference lists: each year's Perpres changes them (DOMAIN.md section 3)."""

    SUB_FIELD = "sub_field", _("Sub-field")
    MENU = "menu", _("Menu")
    DETAIL = "detail", _("Detail (rincian)")
    UNIT = "unit", _("Unit of measure")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by the ministry")
    RETURNED = "returned", _("Returned")

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        """The statuses in which the region may change the plan, and submit it (#16: the one home of this rule)."""
        return (cls.DRAFT, cls.RETURNED)


class ContractMethod(models.TextChoices):
    CONTRACTUAL = "kontraktual", _("Contractual (kontraktual)")
    SELF_MANAGED = "swakelola", _("Self-managed (swakelola)")


class StageFormula(models.TextChoices):
    """How a disbursement stage's amount is computed (#13; fixtures/reference/fiscal_years.yaml)."""

    SHARE = "share", _("Share of the pagu")
    REMAINING_NEED = "remaining_need", _("Remaining need to finish the work")


class DocumentStatus(models.TextChoices):
    """A stage document uploaded by the region, then verified or rejected by the ministry (#13)."""

    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


# How the statuses show (dakportal/tones.py): their badge colours, and their names in the templates
tones.register(PlanStatus, {PlanStatus.APPROVED: "success", PlanStatus.RETURNED: "danger",
                            PlanStatus.SUBMITTED: "info"})  # fmt: skip
tones.register(DocumentStatus, {DocumentStatus.VERIFIED: "success", DocumentStatus.REJECTED: "danger",
                                DocumentStatus.SUBMITTED: "info"})  # fmt: skip

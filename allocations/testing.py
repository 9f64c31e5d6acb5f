"""Building allocation test data through the services (STYLE.md convention 11)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations import services
from allocations.choices import DocumentStatus, ReferenceKind
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    Realisation,
    ReferenceItem,
    StageDocument,
)
from dakportal.regions.models import Regency
from dakportal.testing.files import pdf_bytes


def ref(year: int, kind: str, code: str) -> ReferenceItem:
    return ReferenceItem.objects.get(year=year, kind=kind, code=code)


def make_allocation(
    user: Any, regency: str = "32.73", year: int = 2021, amount: int = 5_000_000_000, **fields: Any
) -> Allocation:
    sub_field = ref(year, ReferenceKind.SUB_FIELD, "revitalisasi")
    regency_obj = Regency.objects.get(code=regency)
    allocation = Allocation(year=year, regency=regency_obj, sub_field=sub_field, amount=amount, **fields)
    return services.save_allocation(allocation, acting_user=user)


def make_item(
    user: Any, allocation: Allocation, sentra: Any, volume: str = "100", unit_cost: int = 10_000_000,
    detail: str = "bangunan_produksi", unit: str = "m2", justification: str = "",
) -> ActivityItem:  # fmt: skip
    year = allocation.year
    item = ActivityItem(
        allocation=allocation, menu=ref(year, ReferenceKind.MENU, "revitalisasi"),
        detail=ref(year, ReferenceKind.DETAIL, detail), sentra=sentra, volume=Decimal(volume),
        unit=ref(year, ReferenceKind.UNIT, unit), unit_cost=unit_cost, unit_cost_justification=justification,
    )  # fmt: skip
    return services.save_item(item, acting_user=user)


def make_contract(user: Any, allocation: Allocation, value: int) -> Contract:
    contract = Contract(
        allocation=allocation, number="027/1", date=date(allocation.year, 3, 1), supplier="CV Uji", value=value
    )
    return services.save_contract(contract, acting_user=user)


def provide_documents(user: Any, allocation: Allocation, rule: DisbursementRule, on: date) -> list[StageDocument]:
    """Every document the stage requires, uploaded and verified on `on` through the services (#13)."""
    on = min(on, timezone.localdate())
    made = []
    for requirement in rule.documents.all():
        if allocation.stage_documents.filter(requirement=requirement, status=DocumentStatus.VERIFIED).exists():
            continue
        document = StageDocument(allocation=allocation, requirement=requirement, submitted_on=on)
        upload = SimpleUploadedFile("dokumen.pdf", pdf_bytes(), content_type="application/pdf")
        services.upload_stage_document(document, upload=upload, acting_user=user)
        made.append(services.decide_stage_document(document, verify=True, decided_on=on, acting_user=user))
    return made


def stage_rule(allocation: Allocation, stage: str) -> DisbursementRule:
    """The allocation's stage named `stage` ("Tahap I") or coded so ("tahap-1")."""
    for rule in services.rules_for(allocation):
        if stage in (rule.name, rule.code):
            return rule
    raise LookupError(f"TA {allocation.year} has no stage {stage!r} for this pagu")


def disburse(
    user: Any, allocation: Allocation, stage: str, amount: int, when: date | None = None, documents: bool = True
) -> Disbursement:
    """Record a disbursement of a stage; by default on the 15th of the window's first month (15 March for Tahap I)
    with the stage's documents verified that day."""
    rule = stage_rule(allocation, stage)
    start, _end = rule.window(allocation.year)
    when = when or max(date(allocation.year, 3, 15), start + timedelta(days=14))
    if documents:
        provide_documents(user, allocation, rule, when)
    item = Disbursement(allocation=allocation, rule=rule, amount=amount, date=when)
    return services.record_disbursement(item, acting_user=user)


def realise(user: Any, allocation: Allocation, quarter: int, spent: int, progress: str) -> Realisation:
    realisation = Realisation(allocation=allocation, quarter=quarter, spent=spent, physical_progress=Decimal(progress))
    return services.record_realisation(realisation, acting_user=user)

"""Building allocation test data through the services (STYLE.md convention 11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from allocations import services
from allocations.choices import ReferenceKind
from allocations.models import ActivityItem, Allocation, Contract, Disbursement, Realisation, ReferenceItem
from dakportal.regions.models import Regency


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
    user: Any, allocation: Allocation, sentra: Any, volume: str = "100", unit_cost: int = 10_000_000
) -> ActivityItem:
    year = allocation.year
    item = ActivityItem(
        allocation=allocation, menu=ref(year, ReferenceKind.MENU, "revitalisasi"),
        detail=ref(year, ReferenceKind.DETAIL, "bangunan_produksi"), sentra=sentra, volume=Decimal(volume),
        unit=ref(year, ReferenceKind.UNIT, "m2"), unit_cost=unit_cost,
    )  # fmt: skip
    return services.save_item(item, acting_user=user)


def make_contract(user: Any, allocation: Allocation, value: int) -> Contract:
    contract = Contract(
        allocation=allocation, number="027/1", date=date(allocation.year, 3, 1), supplier="CV Uji", value=value
    )
    return services.save_contract(contract, acting_user=user)


def disburse(user: Any, allocation: Allocation, stage: str, amount: int, when: date | None = None) -> Disbursement:
    item = Disbursement(allocation=allocation, stage=stage, amount=amount, date=when or date(allocation.year, 3, 15))
    return services.record_disbursement(item, acting_user=user)


def realise(user: Any, allocation: Allocation, quarter: int, spent: int, progress: str) -> Realisation:
    realisation = Realisation(allocation=allocation, quarter=quarter, spent=spent, physical_progress=Decimal(progress))
    return services.record_realisation(realisation, acting_user=user)

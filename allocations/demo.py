"""Demo allocations (#4): the six published years, loaded through the same import as the ministry's annexes.

Yearly totals and kab/kota counts equal the published figures exactly (the reference file
fixtures/reference/national_totals.yaml, loaded before: `PublishedTotal`, #18); Kota Bandung and
Kab. Sleman are funded every year; the split between kab/kota is synthetic (`synthetic=True`, and the UI says
so). Before 2022 the Papua kab/kota are named by their old codes, as the annexes of those years did. The
allocations of kab/kota with demo sentra get plans, contracts, disbursements and realisation."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from allocations import services
from allocations.choices import ReferenceKind
from allocations.imports import import_allocations
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    PublishedTotal,
    Realisation,
    ReferenceItem,
)
from allocations.reference import ensure_reference_data
from dakportal.regions.choices import ChangeKind
from dakportal.regions.models import Regency, RegencyFormerCode
from dakportal.spreadsheets import Table
from sentra.models import Sentra

SEED = 2016
ALWAYS = ["32.73", "34.04"]  # Kota Bandung and Kab. Sleman: funded every year
STEP = 1_000_000  # the synthetic shares are whole millions


def load(acting_user: Any) -> int:
    """Create the demo allocations unless they are there; returns how many were created."""
    if Allocation.objects.filter(synthetic=True).exists():
        return 0
    ensure_reference_data()
    rng = random.Random(SEED)
    old_codes = dict(RegencyFormerCode.objects.filter(kind=ChangeKind.RECODED).values_list("regency_id", "code"))
    published = list(PublishedTotal.objects.order_by("year").values_list("year", "amount", "regency_count"))
    if not published:
        raise RuntimeError("demo allocations: no published totals; run manage.py load_reference first")
    candidates = list(
        Regency.objects.autonomous().exclude(code__in=ALWAYS).order_by("code").values_list("code", flat=True)
    )
    with_sentra = set(Sentra.objects.values_list("regency_id", flat=True))
    created = 0
    with transaction.atomic():
        for year, total, count in published:
            codes = ALWAYS + rng.sample(candidates, count - len(ALWAYS))
            amounts = _split(rng, total, count)
            rows = []
            for number, (code, amount) in enumerate(zip(codes, amounts, strict=True), start=2):
                annex_code = old_codes.get(code, code) if year < 2022 else code
                rows.append((number, {"year": year, "regency_code": annex_code, "amount": amount,
                                      "legal_basis": f"Lampiran Perpres TA {year}"}))  # fmt: skip
            result = import_allocations(
                Table(["year", "regency_code", "amount", "legal_basis"], rows),
                acting_user=acting_user, dry_run=False, synthetic=True,
            )  # fmt: skip
            if not result.ok:
                raise RuntimeError(f"demo allocations {year}: {result.errors[:3]}")
            created += len(result.created)
        for allocation in Allocation.objects.filter(synthetic=True, regency__in=with_sentra).order_by(
            "year", "regency"
        ):
            if allocation.regency_id in ALWAYS or allocation.year >= 2019:
                _execute(rng, allocation, acting_user)
    return created


def _split(rng: random.Random, total: int, count: int) -> list[int]:
    """`count` amounts in whole millions, each at least Rp 300 juta, adding up to `total` exactly."""
    weights = [rng.uniform(0.4, 2.2) for _ in range(count)]
    scale = sum(weights)
    amounts = [max(300 * STEP, int(total * w / scale) // STEP * STEP) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def _execute(rng: random.Random, allocation: Allocation, user: Any) -> None:
    """A plan at the kab/kota's sentra, a contract, the disbursements and the realisation of the year."""
    sentra = list(Sentra.objects.filter(regency=allocation.regency).order_by("pk")[:3])
    refs = {(i.kind, i.code): i for i in ReferenceItem.objects.filter(year=allocation.year)}
    budget = int(allocation.amount * rng.uniform(0.85, 0.99))
    lines = [("bangunan_produksi", "m2"), ("mesin", "paket"), ("rumah_kemasan", "m2")][: len(sentra)]
    planned = 0
    for (detail, unit), place in zip(lines, sentra, strict=False):
        share = budget // len(lines)
        volume = Decimal(rng.choice([1, 2, 4])) if unit == "paket" else Decimal(rng.randint(80, 400))
        unit_cost = int(share / volume) // 1000 * 1000
        item = ActivityItem(
            allocation=allocation, menu=refs[(ReferenceKind.MENU, "revitalisasi")],
            detail=refs[(ReferenceKind.DETAIL, detail)], sentra=place, volume=volume,
            unit=refs[(ReferenceKind.UNIT, unit)], unit_cost=unit_cost,
        )  # fmt: skip
        services.save_item(item, acting_user=user)
        planned += item.computed_value
    if not planned:
        return
    services.submit_plan(allocation, acting_user=user)
    returned_once = rng.random() < 0.15
    services.decide_plan(allocation, approve=not returned_once, reason="Volume belum sesuai DED", acting_user=user)
    if returned_once:
        return  # stays returned: the region has to correct and resubmit
    start = date(allocation.year, 3, 1) + timedelta(days=rng.randint(0, 60))
    contract_value = int(planned * rng.uniform(0.9, 1.0))
    services.save_contract(
        Contract(
            allocation=allocation, number=f"027/{rng.randint(100, 999)}/DISPERINDAG/{allocation.year}", date=start,
            supplier=rng.choice(["CV Karya Mandiri", "PT Bangun Sentosa", "CV Sinar Jaya", "Swakelola Dinas"]),
            value=contract_value, start_date=start, end_date=start + timedelta(days=150),
            handover_date=start + timedelta(days=160) if rng.random() < 0.8 else None,
        ),
        acting_user=user,
    )  # fmt: skip
    _disburse_and_realise(rng, allocation, contract_value, user)


def _disburse_and_realise(rng: random.Random, allocation: Allocation, contract_value: int, user: Any) -> None:
    """Quarter by quarter: stage n arrives in quarter n when its conditions hold (now and then regardless, as
    happens), spending follows the contract, and physical progress never falls; some regions lag behind."""
    received = spent = 0
    progress = Decimal(0)
    for quarter in range(1, 5):
        stages = services.stages(allocation)
        stage = stages[quarter - 1] if quarter <= len(stages) else None
        if stage is not None and (stage.conditions_met or rng.random() < 0.3):
            amount = min(stage.planned_amount, allocation.amount - received)
            if amount > 0:
                services.record_disbursement(
                    Disbursement(allocation=allocation, stage=stage.name, amount=amount,
                                 date=date(allocation.year, quarter * 3 - 1, 15)),
                    acting_user=user,
                )  # fmt: skip
                received += amount
        if rng.random() > 0.12:  # a lagging region spends nothing this quarter
            share = Decimal("0.95") if quarter == 4 else Decimal(str(round(rng.uniform(0.7, 0.95), 2)))
            spent = max(spent, int(min(received, contract_value) * share))
        progress = max(
            progress, min(Decimal(100), Decimal(spent * 100) / max(contract_value, 1)).quantize(Decimal("0.01"))
        )
        services.record_realisation(
            Realisation(allocation=allocation, quarter=quarter, spent=spent, physical_progress=progress),
            acting_user=user,
        )

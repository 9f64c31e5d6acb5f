"""The demo's execution of a year (#13.6): written through the services for some kab/kota and in bulk for the rest
(so that `./scripts/run` is up in a minute or two), the two writers give the same rows from the same draws, and
the services accept every one of them (their rules: the windows, the documents, the stage amounts)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from allocations import demo
from allocations.models import Allocation, QuarterlyPlan
from allocations.testing import make_allocation
from dakportal.regions.models import Village
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db

CASES = [  # (year, pagu, seed): quarterly 2016; three stages, Tahap III the remaining need; one payment
    (2016, 4_000_000_000, 3),
    (2021, 6_000_000_000, 1),  # a document rejected, then verified
    (2021, 6_000_000_000, 7),  # a lagging region stops after Tahap I
    (2021, 6_000_000_000, 6),  # the plan returned
    (2019, 900_000_000, 2),
]


def _executed(user: Any, writer: Any, regency: str, year: int, amount: int, seed: int) -> dict[str, list[Any]]:
    allocation = make_allocation(user, regency=regency, year=year, amount=amount, synthetic=True)
    if not allocation.regency.sentra.exists():
        villages = Village.objects.filter(code__startswith=f"{regency}.").order_by("code")[:3]
        for number, village in enumerate(villages):
            make_sentra(user, name=f"Sentra Demo {number}", village=village.code)
    demo._execute(random.Random(seed), allocation, user, writer, demo._Lookups())
    if isinstance(writer, demo._Rows):
        writer.write()
    allocation = Allocation.objects.get(pk=allocation.pk)
    return {
        "plan": [(allocation.plan_status, allocation.plan_decided_at, allocation.plan_return_reason)],
        "items": list(
            allocation.activity_items.order_by("pk").values_list(
                "detail__code", "volume", "unit_cost", "unit_cost_justification"
            )
        ),
        "targets": list(
            QuarterlyPlan.objects.filter(allocation=allocation).values_list("funds_q1", "funds_q3", "physical_q4")
        ),
        "contracts": list(allocation.contracts.values_list("number", "value", "method", "date")),
        "documents": list(
            allocation.stage_documents.order_by("pk").values_list(
                "requirement__code", "status", "submitted_on", "decided_on", "reject_reason"
            )
        ),
        "disbursements": list(allocation.disbursements.order_by("date").values_list("rule__code", "amount", "date")),
        "realisation": list(allocation.realisations.order_by("quarter").values_list("spent", "physical_progress")),
    }


@pytest.mark.parametrize(("year", "amount", "seed"), CASES)
def test_bulk_rows_equal_the_services_rows(cast: Any, year: int, amount: int, seed: int) -> None:
    user = cast.ministry_staff
    through_services = _executed(user, demo._Services(), "32.01", year, amount, seed)
    in_bulk = _executed(user, demo._Rows(user), "32.04", year, amount, seed)
    assert in_bulk == through_services


def test_the_cases_cover_what_the_demo_does(cast: Any) -> None:
    """The draws above include a rejected document, a region stopping short, a returned plan and Tahap III."""
    user = cast.ministry_staff
    regencies = ["32.04", "32.05", "32.06", "32.07", "32.08"]
    rows = [_executed(user, demo._Rows(user), regency, *case) for regency, case in zip(regencies, CASES, strict=True)]
    assert [row["plan"][0][0] for row in rows].count("returned") == 1
    assert any(document[1] == "rejected" for row in rows for document in row["documents"])
    assert [[code for code, _amount, _date in row["disbursements"]] for row in rows][1:3] == [
        ["tahap-1", "tahap-2", "tahap-3"], ["tahap-1"]]  # fmt: skip

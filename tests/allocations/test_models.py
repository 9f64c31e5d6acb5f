"""Rules of allocations, plans, contracts, realisation and disbursement stages (#4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from allocations import services
from allocations.models import Allocation
from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def test_one_allocation_per_year_regency_and_sub_field(cast: Any) -> None:
    make_allocation(cast.ministry_staff)
    with pytest.raises(ValidationError) as error:
        make_allocation(cast.ministry_staff)
    assert error.value.message_dict["__all__"] == [
        "This kab/kota already has an allocation for this year and sub-field."
    ]


@pytest.mark.parametrize(
    ("year", "message"), [(2012, "The year must be between 2016"), (2099, "The year must be between")]
)
def test_years_outside_the_program_are_refused(cast: Any, year: int, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        Allocation(year=year, regency_id="32.73", amount=1).full_clean()
    assert any(text.startswith(message) for text in error.value.message_dict["year"])


def test_a_non_autonomous_kab_kota_cannot_receive_dak(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        make_allocation(cast.ministry_staff, regency="31.71")
    assert "not autonomous" in error.value.message_dict["regency"][0]


def test_the_plan_may_not_exceed_the_pagu(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=1_000_000_000)
    sentra = make_sentra(cast.officer_a)
    make_item(cast.officer_a, allocation, sentra, volume="50", unit_cost=10_000_000)  # Rp 500 juta
    with pytest.raises(ValidationError) as error:
        make_item(cast.officer_a, allocation, sentra, volume="60", unit_cost=10_000_000)  # + Rp 600 juta
    assert error.value.message_dict["unit_cost"] == [
        "The plan would total Rp 1.100.000.000, more than the pagu of Rp 1.000.000.000."
    ]
    allocation.amount = 400_000_000
    with pytest.raises(ValidationError):
        services.save_allocation(allocation, acting_user=cast.ministry_staff)


def test_the_value_is_volume_times_unit_cost_in_whole_rupiah(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    item = make_item(cast.officer_a, allocation, make_sentra(cast.officer_a), volume="12.5", unit_cost=3_333_333)
    item.refresh_from_db()
    assert item.value == 41_666_663  # 12.5 x 3.333.333 = 41.666.662,5 rounded half up


def test_the_sentra_must_be_in_the_allocations_kab_kota(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    with pytest.raises(ValidationError) as error:
        make_item(cast.ministry_staff, allocation, make_sentra(cast.officer_b, village=VILLAGE_B))
    assert "sentra" in error.value.message_dict


def test_contracts_may_not_exceed_the_plan(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a), volume="10", unit_cost=10_000_000)
    make_contract(cast.officer_a, allocation, 60_000_000)
    with pytest.raises(ValidationError) as error:
        make_contract(cast.officer_a, allocation, 50_000_000)
    assert "more than the activity plan" in error.value.message_dict["value"][0]


def test_realisation_rules(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    with pytest.raises(ValidationError) as error:
        realise(cast.officer_a, allocation, 2, 0, "10")
    assert error.value.message_dict["quarter"] == ["Report quarter 1 first."]
    with pytest.raises(ValidationError) as error:
        realise(cast.officer_a, allocation, 1, 1, "10")
    assert error.value.message_dict["spent"][0].startswith("Money spent (Rp 1) cannot exceed the funds received")
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_250_000_000)
    realise(cast.officer_a, allocation, 1, 1_000_000_000, "40")
    with pytest.raises(ValidationError) as error:
        realise(cast.officer_a, allocation, 2, 1_100_000_000, "30")
    assert error.value.message_dict["physical_progress"] == [
        "Physical progress cannot fall below an earlier quarter's."
    ]
    with pytest.raises(ValidationError):
        realise(cast.officer_a, allocation, 2, 900_000_000, "50")  # cumulative spending cannot fall
    with pytest.raises(ValidationError):
        realise(cast.officer_a, allocation, 2, 1_100_000_000, "101")


# The disbursement stages (#13) are tested in test_stages.py.


def test_the_plan_workflow(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    with pytest.raises(ValidationError):
        services.submit_plan(allocation, acting_user=cast.officer_a)  # no activity yet
    item = make_item(cast.officer_a, allocation, make_sentra(cast.officer_a))
    services.submit_plan(allocation, acting_user=cast.officer_a)
    with pytest.raises(ValidationError):
        make_item(cast.officer_a, Allocation.objects.get(pk=allocation.pk), item.sentra)  # locked while submitted
    with pytest.raises(ValidationError):
        services.decide_plan(allocation, approve=False, reason="", acting_user=cast.ministry_staff)
    services.decide_plan(allocation, approve=False, reason="Volume tidak sesuai DED", acting_user=cast.ministry_staff)
    allocation.refresh_from_db()
    assert allocation.plan_status == "returned" and allocation.plan_return_reason == "Volume tidak sesuai DED"
    services.submit_plan(allocation, acting_user=cast.officer_a)
    services.decide_plan(allocation, approve=True, acting_user=cast.ministry_staff)
    allocation.refresh_from_db()
    assert allocation.plan_status == "approved" and allocation.plan_decided_by == cast.ministry_staff


def test_totals_are_computed_in_sql(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=4_000_000_000)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a), volume="100", unit_cost=30_000_000)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000)
    realise(cast.officer_a, allocation, 1, 800_000_000, "25")
    row = Allocation.objects.with_totals().get(pk=allocation.pk)
    assert (row.planned, row.received, row.spent, row.remaining) == (
        3_000_000_000,
        1_000_000_000,
        800_000_000,
        200_000_000,
    )
    assert str(row.absorption_received) == "80.00" and str(row.absorption_pagu) == "20.00"

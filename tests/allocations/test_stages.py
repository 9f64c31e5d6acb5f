"""Disbursement stages as the PMK defines them (#13): each fiscal year's rules against worked examples written from
the PMK, the conditions as at the disbursement date kept with it, and the refusals.

Worked example used for every staged year (PMK 50/PMK.07/2017 and its successors; DJPK's TA 2019 summary): a pagu
of Rp 4 miliar, a plan of Rp 3,6 miliar and a contract of Rp 3,2 miliar. Tahap I is 25% of the pagu (Rp 1 miliar),
Tahap II 45% (Rp 1,8 miliar), Tahap III the remaining need to finish the work: min(pagu, contract) less what Tahap I
and II disbursed, Rp 3,2 - 2,8 = Rp 0,4 miliar (not the rest of the pagu, Rp 1,2 miliar)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from allocations import services
from allocations.models import Allocation, Disbursement, DisbursementRule, FiscalYear
from allocations.reference import dump_fiscal_years, load_fiscal_years, read_fiscal_years
from allocations.stages import stage_statuses
from allocations.testing import (
    disburse,
    make_allocation,
    make_contract,
    make_item,
    provide_documents,
    realise,
    stage_rule,
)
from dakportal.services import void_record
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db

STAGED_YEARS = list(range(2017, 2028))


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def table(allocation: Allocation, today: date | None = None) -> list[tuple[str, int, int]]:
    return [(s.name, s.amount, s.disbursed) for s in stage_statuses(allocation, today=today)]


def conditions(allocation: Allocation, stage: int) -> dict[str, tuple[bool, str]]:
    found = stage_statuses(allocation)[stage - 1].conditions
    return {c["code"]: (c["met"], c["reason"]) for c in found}


def executed(cast: Any, year: int, amount: int = 4_000_000_000, contract: int = 3_200_000_000) -> Allocation:
    """An allocation with its plan (Rp 3,6 miliar) approved on 10 February and a contract signed on 1 March."""
    allocation = make_allocation(cast.ministry_staff, year=year, amount=amount)
    make_item(
        cast.officer_a, allocation, make_sentra(cast.officer_a), volume="360", unit_cost=amount // 400 * 360 // 360
    )
    services.submit_plan(allocation, acting_user=cast.officer_a)
    services.decide_plan(
        allocation, approve=True, acting_user=cast.ministry_staff,
        at=timezone.make_aware(datetime(year, 2, 10, 9, 0)),
    )  # fmt: skip
    make_contract(cast.officer_a, allocation, contract)
    allocation.refresh_from_db()
    return allocation


# ---------------------------------------------------------------------------------------------------------------------
# Every fiscal year's rules
# ---------------------------------------------------------------------------------------------------------------------
def test_2016_pays_by_quarter_30_25_25_20(cast: Any) -> None:
    """PMK 48/PMK.07/2016 Pasal 73: triwulan I from February after the Perda APBD and last year's Q4 report;
    each later quarter after the realisation of the quarter before; 30/25/25/20% of the pagu."""
    allocation = make_allocation(cast.ministry_staff, year=2016, amount=2_000_000_000)
    assert table(allocation) == [
        ("Triwulan I", 600_000_000, 0),
        ("Triwulan II", 500_000_000, 0),
        ("Triwulan III", 500_000_000, 0),
        ("Triwulan IV", 400_000_000, 0),
    ]
    assert conditions(allocation, 1)["documents"] == (
        False,
        "not verified: Peraturan daerah mengenai APBD tahun anggaran berjalan; Laporan realisasi penyerapan dana dan "
        "capaian output kegiatan DAK Fisik triwulan IV tahun anggaran sebelumnya",
    )
    disburse(cast.ministry_staff, allocation, "Triwulan I", 600_000_000, when=date(2016, 2, 20))
    assert conditions(allocation, 2)["previous_quarter"] == (False, "the realisation of quarter 1 is not reported")
    realise(cast.officer_a, allocation, 1, 300_000_000, "20")
    assert conditions(allocation, 2)["previous_quarter"] == (True, "")
    with pytest.raises(ValidationError) as error:  # triwulan II opens with the quarter
        disburse(cast.ministry_staff, allocation, "Triwulan II", 500_000_000, when=date(2016, 3, 28))
    assert error.value.message_dict["date"] == ["Triwulan II may be disbursed from 1 Apr 2016."]
    second = disburse(cast.ministry_staff, allocation, "Triwulan II", 500_000_000, when=date(2016, 4, 12))
    assert second.conditions_met is True


@pytest.mark.parametrize("year", STAGED_YEARS)
def test_from_2017_tahap_iii_is_the_remaining_need_to_finish_the_work(cast: Any, year: int) -> None:
    allocation = executed(cast, year)
    assert table(allocation, today=date(year, 12, 31)) == [
        ("Tahap I", 1_000_000_000, 0),
        ("Tahap II", 1_800_000_000, 0),
        ("Tahap III", 3_200_000_000, 0),  # nothing disbursed yet: the whole contract is still needed
    ]
    rules = {r.code: r for r in DisbursementRule.objects.filter(fiscal_year=year)}
    assert (rules["tahap-2"].min_absorption_percent, rules["tahap-3"].min_absorption_percent) == (75, 90)
    assert rules["tahap-3"].min_output_percent == 70 and rules["tahap-1"].window(year)[0] == date(year, 2, 1)
    assert all(rule.source for rule in rules.values())
    if date(year, 4, 20) > timezone.localdate():
        return  # a year still to come: nothing can be disbursed yet
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(year, 3, 2))
    disburse(cast.ministry_staff, allocation, "Tahap II", 1_800_000_000, when=date(year, 4, 20))
    assert table(allocation) == [
        ("Tahap I", 1_000_000_000, 1_000_000_000),
        ("Tahap II", 1_800_000_000, 1_800_000_000),
        ("Tahap III", 400_000_000, 0),  # Rp 3,2 miliar of contract less Rp 2,8 miliar disbursed
    ]


@pytest.mark.parametrize("year", STAGED_YEARS)
def test_a_small_pagu_is_paid_at_once(cast: Any, year: int) -> None:
    """Up to Rp 1 miliar from 2017 (PMK 50/2017; DJPK TA 2019); below Rp 1 miliar from 2022 (PMK 198/2021)."""
    limit = FiscalYear.objects.get(year=year).single_payment_max
    assert limit == (1_000_000_000 if year <= 2021 else 999_999_999)
    small = make_allocation(cast.ministry_staff, year=year, amount=limit)
    assert table(small) == [("Sekaligus", limit, 0)]
    bigger = make_allocation(cast.ministry_staff, year=year, regency="34.04", amount=limit + 1)
    assert [name for name, *_ in table(bigger)] == ["Tahap I", "Tahap II", "Tahap III"]


def test_tahap_iii_is_never_below_zero_nor_above_the_pagu(cast: Any) -> None:
    allocation = executed(cast, 2021, contract=2_500_000_000)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(2021, 3, 2))
    disburse(cast.ministry_staff, allocation, "Tahap II", 1_800_000_000, when=date(2021, 4, 20))
    assert table(allocation)[2] == ("Tahap III", 0, 0)  # Rp 2,5 miliar of contract, Rp 2,8 miliar already disbursed


# ---------------------------------------------------------------------------------------------------------------------
# Conditions, as at the disbursement date, kept with it
# ---------------------------------------------------------------------------------------------------------------------
def test_tahap_i_is_not_met_without_an_approved_plan_or_a_contract(cast: Any) -> None:
    """#13: the portal used to show Tahap I "terpenuhi" on an allocation with no contract."""
    allocation = make_allocation(cast.ministry_staff, year=2021)
    found = conditions(allocation, 1)
    assert found["plan"] == (False, "the activity plan is not approved")
    assert found["contract"] == (False, "no contract is recorded")
    assert found["documents"][0] is False
    assert not stage_statuses(allocation)[0].conditions_met


def test_the_thresholds_are_measured_as_at_the_date_and_kept(cast: Any) -> None:
    allocation = executed(cast, 2021)
    first = disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(2021, 3, 2))
    assert first.conditions_met is True
    assert {c["code"] for c in first.conditions} == {"window", "documents", "plan", "contract"}
    realise(cast.officer_a, allocation, 1, 740_000_000, "30")  # 74% of the Rp 1 miliar received
    assert conditions(allocation, 2)["absorption"] == (False, "absorption is 74,00% of funds received; 75% needed")
    second = disburse(cast.ministry_staff, allocation, "Tahap II", 1_800_000_000, when=date(2021, 4, 20))
    assert second.conditions_met is False  # recorded all the same: the thresholds are kept, not enforced
    kept = {c["code"]: c for c in second.conditions}
    assert kept["absorption"] == {"code": "absorption", "met": False, "actual": "74.00", "needed": "75.00"}
    # A correction of the first quarter afterwards does not change what was kept with the disbursement.
    quarter = allocation.realisations.get(quarter=1)
    quarter.spent = 800_000_000
    services.record_realisation(quarter, acting_user=cast.officer_a)
    second.refresh_from_db()
    assert second.conditions_met is False and conditions(allocation, 2)["absorption"][0] is False
    realise(cast.officer_a, allocation, 2, 2_600_000_000, "65")  # 92,86% of Rp 2,8 miliar; output 65%
    assert conditions(allocation, 3)["output"] == (False, "physical output is 65,00%; 70% needed")
    realise(cast.officer_a, allocation, 3, 2_650_000_000, "72")
    # As at 15 September the third quarter has not ended: its 72% does not count yet.
    early = disburse(cast.ministry_staff, allocation, "Tahap III", 400_000_000, when=date(2021, 9, 15))
    assert early.conditions_met is False and {c["code"]: c["met"] for c in early.conditions}["output"] is False
    void_record(early, reason="Tanggal salah", acting_user=cast.ministry_staff)
    late = disburse(cast.ministry_staff, allocation, "Tahap III", 400_000_000, when=date(2021, 10, 11))
    assert late.conditions_met is True
    assert conditions(allocation, 3) == {code: (True, "") for code in ("window", "documents", "absorption", "output")}


def test_documents_count_from_the_day_they_were_verified(cast: Any) -> None:
    allocation = executed(cast, 2021)
    rule = stage_rule(allocation, "Tahap I")
    provide_documents(cast.ministry_staff, allocation, rule, date(2021, 3, 10))
    with pytest.raises(ValidationError) as error:
        disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(2021, 3, 2), documents=False)
    assert error.value.message_dict["rule"][0].startswith(
        "Tahap I needs these documents verified by the ministry by 2 Mar 2021: Peraturan daerah mengenai APBD"
    )
    assert not Disbursement.all_objects.exists()
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(2021, 3, 10), documents=False)


def test_a_stage_above_its_amount_or_before_its_window_is_refused(cast: Any) -> None:
    allocation = executed(cast, 2021)
    with pytest.raises(ValidationError) as error:
        disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_001, when=date(2021, 3, 2))
    assert error.value.message_dict["amount"] == [
        "Tahap I amounts to Rp 1.000.000.000 on 2 Mar 2021; Rp 0 of it is already disbursed."
    ]
    disburse(cast.ministry_staff, allocation, "Tahap I", 600_000_000, when=date(2021, 3, 2))
    with pytest.raises(ValidationError) as error:  # a second part of the stage: only the rest fits
        disburse(cast.ministry_staff, allocation, "Tahap I", 500_000_000, when=date(2021, 3, 9))
    assert "Rp 600.000.000 of it is already disbursed" in error.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as error:
        disburse(cast.ministry_staff, allocation, "Tahap III", 100_000_000, when=date(2021, 8, 31))
    assert error.value.message_dict["date"] == ["Tahap III may be disbursed from 1 Sep 2021."]
    with pytest.raises(ValidationError) as error:
        disburse(cast.ministry_staff, allocation, "Tahap II", 100_000_000, when=date(2099, 5, 1))
    assert error.value.message_dict["date"] == ["The date cannot be in the future."]
    assert Disbursement.all_objects.count() == 1


def test_a_stage_of_another_year_is_refused(cast: Any) -> None:
    allocation = executed(cast, 2021)
    other = DisbursementRule.objects.get(fiscal_year=2020, code="tahap-1")
    with pytest.raises(ValidationError) as error:
        services.record_disbursement(
            Disbursement(allocation=allocation, rule=other, amount=1, date=date(2021, 3, 2)),
            acting_user=cast.ministry_staff,
        )
    assert error.value.message_dict["rule"] == ["This stage is not one of the stages of TA 2021 for this pagu."]


def test_the_reports_count_the_same_conditions_as_the_page(cast: Any) -> None:
    allocation = executed(cast, 2021)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000, when=date(2021, 3, 2))
    realise(cast.officer_a, allocation, 1, 800_000_000, "30")
    row = Allocation.objects.with_stage_conditions().get(pk=allocation.pk)
    statuses = stage_statuses(allocation)
    assert (row.stage2_met, row.stage3_met) == (statuses[1].conditions_met, statuses[2].conditions_met)
    assert (row.stage2_met, row.stage3_met) == (False, False)  # Tahap II: no documents verified
    provide_documents(cast.ministry_staff, allocation, stage_rule(allocation, "Tahap II"), date(2021, 4, 5))
    row = Allocation.objects.with_stage_conditions().get(pk=allocation.pk)
    assert row.stage2_met is True and stage_statuses(allocation)[1].conditions_met


# ---------------------------------------------------------------------------------------------------------------------
# The rules as data
# ---------------------------------------------------------------------------------------------------------------------
def test_the_file_loads_twice_to_the_same_rows_and_dumps_back_to_itself(cast: Any) -> None:
    rows = read_fiscal_years()
    assert load_fiscal_years(rows) == (0, 0, len(rows))  # loaded once by the session set-up already
    assert dump_fiscal_years() == rows
    assert {row["year"] for row in rows} >= set(range(2016, 2028))


def test_a_bad_row_is_refused_naming_row_and_field_and_nothing_changes(cast: Any) -> None:
    rows = read_fiscal_years()
    before = dump_fiscal_years()
    rows[0]["legal_basis"] = "changed"
    rows[3]["stages"][1]["share_percent"] = 145
    with pytest.raises(ValueError, match=r"row 4 \(year 2019\), stages\[2\] \(tahap-2\), field share_percent: "):
        load_fiscal_years(rows)
    rows[3]["stages"][1]["share_percent"] = 45
    rows[5]["stages"][0]["window_end"] = "13-40"
    with pytest.raises(ValueError, match=r"row 6 \(year 2021\), stages\[1\] \(tahap-1\), field window_end"):
        load_fiscal_years(rows)
    rows[5]["stages"][0]["window_end"] = "07-31"
    rows[5]["stages"][0]["colour"] = "blue"
    with pytest.raises(ValueError, match=r"field colour: unknown field"):
        load_fiscal_years(rows)
    assert dump_fiscal_years() == before
    del rows[5]["stages"][0]["colour"]
    rows[5]["stages"][2]["min_output_percent"] = 75
    assert load_fiscal_years(rows) == (0, 2, len(rows) - 2)  # 2016's legal basis, 2021's Tahap III
    assert DisbursementRule.objects.get(fiscal_year=2021, code="tahap-3").min_output_percent == Decimal(75)

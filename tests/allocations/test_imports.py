"""Importing the ministry's allocation annexes (#4): every bad case refused with a clear message, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from allocations.imports import import_allocations
from allocations.models import Allocation, latest_allowed_year
from allocations.testing import make_allocation, make_item
from dakportal.spreadsheets import Table
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def table(*rows: dict[str, Any]) -> Table:
    header = sorted({key for row in rows for key in row})
    return Table(header, [(number, row) for number, row in enumerate(rows, start=2)])


def run(user: Any, *rows: dict[str, Any], dry_run: bool = False) -> Any:
    with translation.override("en"):
        return import_allocations(table(*rows), acting_user=user, dry_run=dry_run)


def test_a_good_annex_is_imported(cast: Any) -> None:
    result = run(cast.ministry_staff, {"year": 2021, "regency_code": "32.73", "amount": "5.000.000.000"},
                 {"year": 2021, "regency_code": "91.01", "amount": 2_000_000_000})  # fmt: skip
    assert result.ok and len(result.created) == 2 and result.total == 7_000_000_000
    merauke = Allocation.objects.get(regency="93.01")
    assert merauke.regency_code_then == "91.01"  # remembers the code it was made under


def test_the_dry_run_saves_nothing(cast: Any) -> None:
    result = run(cast.ministry_staff, {"year": 2021, "regency_code": "32.73", "amount": 1_000_000_000}, dry_run=True)
    assert result.ok and result.created and not Allocation.objects.exists()


def test_the_articles_2012_is_caught(cast: Any) -> None:
    result = run(cast.ministry_staff, {"year": 2012, "regency_code": "32.73", "amount": 750_000_000})
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "year", f"2012 is outside the program's years 2016-{latest_allowed_year()}. Did you mean 2021?")
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"regency_code": "99.99"}, "regency_code", "99.99 is not a kab/kota code, current or former."),
        ({"regency_code": "31.71"}, "regency_code", "is not autonomous and cannot receive DAK."),
        ({"amount": -5_000_000}, "amount", "The amount must be more than zero."),
        ({"amount": "lima miliar"}, "amount", "lima miliar is not a whole number of rupiah."),
        ({"amount": 12.5}, "amount", "12.5 is not a whole number of rupiah."),
        ({"amount": 5_000_000_000_000}, "amount", "is not plausible."),
        ({"year": "tahun"}, "year", "tahun is not a year."),
        ({"sub_field": "lainnya"}, "sub_field", "Unknown sub-field lainnya for 2021."),
    ],
)
def test_each_bad_cell_is_refused(cast: Any, row: dict[str, Any], column: str, message: str) -> None:
    good = {"year": 2021, "regency_code": "32.73", "amount": 1_000_000_000}
    result = run(cast.ministry_staff, {"year": 2021, "regency_code": "34.04", "amount": 1_000_000_000}, good | row)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert not Allocation.objects.exists()  # the good row was not saved either


def test_duplicates_in_the_file_and_in_the_database_are_refused(cast: Any) -> None:
    make_allocation(cast.ministry_staff, regency="34.04")
    row = {"year": 2021, "regency_code": "32.73", "amount": 1_000_000_000}
    result = run(cast.ministry_staff, row, row, {"year": 2021, "regency_code": "34.04", "amount": 1_000_000_000})
    assert [(e.row, e.column) for e in result.errors] == [(3, "regency_code"), (4, "regency_code")]
    assert result.errors[0].message == "Same year, kab/kota and sub-field as row 2."
    assert result.errors[1].message.startswith("Kabupaten Sleman already has an allocation for 2021")


def test_a_small_amount_is_accepted_with_a_warning(cast: Any) -> None:
    result = run(cast.ministry_staff, {"year": 2021, "regency_code": "32.73", "amount": 750_000})
    assert result.ok and result.warnings[0].message.startswith("Rp 750.000 is very small")


def test_a_pagu_below_the_plan_is_refused(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=2_000_000_000)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a), volume="100", unit_cost=15_000_000)
    result = run(
        cast.ministry_staff, {"id": allocation.pk, "year": 2021, "regency_code": "32.73", "amount": 1_000_000_000}
    )
    assert result.errors[0].column == "amount" and "already exceeds this pagu" in result.errors[0].message


def test_only_the_ministry_imports(cast: Any) -> None:
    result = run(cast.officer_a, {"year": 2021, "regency_code": "32.73", "amount": 1_000_000_000})
    assert not result.ok and not Allocation.objects.exists()

"""The yearly reference data of DAK Fisik Bidang IKM (DOMAIN.md sections 1-3 and 5.2).

The disbursement rules per fiscal year are set up by `ensure_reference_data()` (idempotent) at set-up; a later year
starts as a copy of the year before it, and the ministry can change any of it in the admin. The sub-fields, menus,
details (rincian) and units each year's Perpres lists, and the national totals Kemenperin published, are the
reference files `fixtures/reference/reference_lists.yaml` and `national_totals.yaml` (#18): loaded and dumped
here, for `manage.py load_reference` / `dump_reference` (`dakportal/reference/registry.py`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from allocations.choices import ReferenceKind
from allocations.models import (
    PROGRAM_FIRST_YEAR,
    DisbursementRule,
    FiscalYear,
    PublishedTotal,
    ReferenceItem,
    latest_allowed_year,
)
from dakportal.reference.rows import Counts, ReferenceDataError, RowError, columns_of, sync_table

LEGAL_BASIS = {
    2016: "PMK 48/PMK.07/2016",
    2017: "Perpres 123/2016; PMK 50/PMK.07/2017",
    2018: "Perpres 123/2016 as amended by Perpres 5/2018; PMK 50/PMK.07/2017 as amended by PMK 112/2017",
    2019: "Perpres 141/2018; PMK 50/PMK.07/2017 as amended by PMK 121/2018",
    2020: "Perpres 88/2019; PMK 130/PMK.07/2019",
    2021: "Perpres 123/2020; PMK 130/PMK.07/2019",
}
SINGLE_PAYMENT_MAX = 1_000_000_000  # from 2017: a pagu up to Rp 1 miliar is disbursed at once

# (name, share %, minimum absorption of funds received %, minimum output %, needs previous quarter's report)
QUARTERLY_2016 = [
    ("Triwulan I", Decimal(30), None, None, False),
    ("Triwulan II", Decimal(25), None, None, True),
    ("Triwulan III", Decimal(25), None, None, True),
    ("Triwulan IV", Decimal(20), None, None, True),
]
STAGED = [
    ("Tahap I", Decimal(25), None, None, False),
    ("Tahap II", Decimal(45), Decimal(75), None, False),
    ("Tahap III", None, Decimal(90), Decimal(70), False),
]
SINGLE = ("Sekaligus", Decimal(100), None, None, False)


@transaction.atomic
def ensure_reference_data(last_year: int | None = None) -> int:
    """Create the fiscal years and their rules missing from 2016 to next year; returns how many years were added."""
    added = 0
    for year in range(PROGRAM_FIRST_YEAR, (last_year or latest_allowed_year()) + 1):
        fiscal_year, created = FiscalYear.objects.get_or_create(
            year=year,
            defaults={
                "legal_basis": LEGAL_BASIS.get(year, ""),
                "single_payment_max": 0 if year == PROGRAM_FIRST_YEAR else SINGLE_PAYMENT_MAX,
            },
        )
        added += created
        if created or not fiscal_year.rules.exists():
            stages = QUARTERLY_2016 if year == PROGRAM_FIRST_YEAR else STAGED
            for order, (name, share, absorption, output, report) in enumerate(stages, start=1):
                DisbursementRule.objects.create(
                    fiscal_year=fiscal_year, order=order, name=name, share_percent=share,
                    min_absorption_percent=absorption, min_output_percent=output, needs_previous_quarter_report=report,
                )  # fmt: skip
            if year > PROGRAM_FIRST_YEAR:
                name, share, *_ = SINGLE
                DisbursementRule.objects.create(
                    fiscal_year=fiscal_year, order=1, name=name, share_percent=share, single_payment=True
                )
    return added


def sub_field(year: int, code: str = "revitalisasi") -> ReferenceItem:
    return ReferenceItem.objects.get(kind=ReferenceKind.SUB_FIELD, year=year, code=code)


# ---------------------------------------------------------------------------------------------------------------------
# The reference lists: fixtures/reference/reference_lists.yaml (#18)
# ---------------------------------------------------------------------------------------------------------------------
LIST_COLUMNS = ("kind", "code", "name", "from_year", "to_year", "source")
# model field -> the file's column
_LIST_FIELDS = {"kind": "kind", "code": "code", "name": "name", "year": "from_year", "source": "source"}


def load_reference_lists(rows: list[dict[str, Any]]) -> Counts:
    """One database row per year of each file row's years: `from_year` to `to_year`, or to next year when
    `to_year` is empty (the item is still listed). A year's item no longer in the file is removed, unless a plan
    or an allocation uses it (then the file must keep it)."""
    errors: list[RowError] = []
    wanted: list[tuple[int, dict[str, Any]]] = []
    last = latest_allowed_year()
    for number, row in enumerate(rows, start=1):
        values = columns_of(row, number, LIST_COLUMNS, (), errors)
        if values is None:
            continue
        years = _years(values["from_year"], values["to_year"], last, number, errors)
        for year in years:
            item = {"kind": values["kind"], "year": year, "code": values["code"]}
            wanted.append((number, item | {"name": values["name"], "source": values["source"]}))
    if errors:
        raise ReferenceDataError(errors)
    return sync_table(ReferenceItem, wanted, key=("kind", "year", "code"), columns=_LIST_FIELDS)


def _years(first: Any, until: Any, last: int, number: int, errors: list[RowError]) -> range:
    """The years of a row; an empty range (with the errors) when they are not whole years in the program's span.
    An end can only be a year that has begun or passed: next year's list is not known until its Perpres."""
    found = len(errors)
    if not isinstance(first, int) or isinstance(first, bool):
        errors.append(RowError(number, "from_year", _("Write a year such as 2021.")))
    elif not PROGRAM_FIRST_YEAR <= first <= last:
        errors.append(
            RowError(number, "from_year", _("The year must be between %(first)d and %(last)d.")
                     % {"first": PROGRAM_FIRST_YEAR, "last": last})
        )  # fmt: skip
    if until is not None and (not isinstance(until, int) or isinstance(until, bool)):
        errors.append(RowError(number, "to_year", _("Write a year such as 2021, or leave it empty.")))
    elif until is not None and isinstance(first, int) and until < first:
        errors.append(RowError(number, "to_year", _("The last year cannot be before the first.")))
    elif until is not None and until >= last:
        errors.append(
            RowError(number, "to_year", _("Leave it empty while the item is listed; %(year)d is next year.")
                     % {"year": last})
        )  # fmt: skip
    if len(errors) > found:
        return range(0)
    return range(first, (until if until is not None else last) + 1)


def dump_reference_lists() -> list[dict[str, Any]]:
    """By kind (sub-fields, menus, details, units), code and years: the consecutive years with the same name and
    source make one row; a row reaching next year is still listed (`to_year` empty)."""
    last = latest_allowed_year()
    order = {kind: index for index, kind in enumerate(ReferenceKind.values)}
    items = sorted(ReferenceItem.objects.all(), key=lambda item: (order[item.kind], item.code, item.year))
    rows: list[dict[str, Any]] = []
    for item in items:
        previous = rows[-1] if rows else None
        if (
            previous is not None
            and (previous["kind"], previous["code"], previous["name"], previous["source"])
            == (item.kind, item.code, item.name, item.source)
            and previous["to_year"] == item.year - 1
        ):
            previous["to_year"] = item.year
            continue
        rows.append({"kind": item.kind, "code": item.code, "name": item.name, "from_year": item.year,
                     "to_year": item.year, "source": item.source})  # fmt: skip
    for row in rows:
        if row["to_year"] == last:
            row["to_year"] = None
    return rows


# ---------------------------------------------------------------------------------------------------------------------
# The published national totals: fixtures/reference/national_totals.yaml (#18)
# ---------------------------------------------------------------------------------------------------------------------
TOTAL_COLUMNS = ("year", "amount", "regency_count", "source")


def load_national_totals(rows: list[dict[str, Any]]) -> Counts:
    """One row per fiscal year: the pagu in whole rupiah, the kab/kota funded, and where it was published."""
    errors: list[RowError] = []
    wanted = []
    for number, row in enumerate(rows, start=1):
        values = columns_of(row, number, TOTAL_COLUMNS, (), errors)
        if values is not None:
            wanted.append((number, values))
    if errors:
        raise ReferenceDataError(errors)
    return sync_table(PublishedTotal, wanted, key=("year",), columns={column: column for column in TOTAL_COLUMNS})


def dump_national_totals() -> list[dict[str, Any]]:
    return [
        {"year": total.year, "amount": total.amount, "regency_count": total.regency_count, "source": total.source}
        for total in PublishedTotal.objects.order_by("year")
    ]

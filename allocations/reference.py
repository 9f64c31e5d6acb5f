"""The yearly reference data of DAK Fisik Bidang IKM (DOMAIN.md sections 1-3 and 5.2), as the files of
fixtures/reference/ (#13, #18), loaded and dumped here for `manage.py load_reference` / `dump_reference`
(`dakportal/reference/registry.py`): the disbursement rules of each fiscal year (`fiscal_years.yaml`), the
sub-fields, menus, details (rincian) and units each year's Perpres lists (`reference_lists.yaml`), and the national
totals Kemenperin published (`national_totals.yaml`). A year the rules file does not have yet starts as a copy of
the year before it, saying so in its source (`ensure_reference_data()`)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from allocations.choices import ReferenceKind, StageFormula
from allocations.models import (
    PROGRAM_FIRST_YEAR,
    DisbursementRule,
    FiscalYear,
    PublishedTotal,
    ReferenceItem,
    RequiredDocument,
    latest_allowed_year,
)
from dakportal.reference.rows import Counts, ReferenceDataError, RowError, columns_of, sync_table

FISCAL_YEARS_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference" / "fiscal_years.yaml"


@transaction.atomic
def ensure_reference_data(last_year: int | None = None) -> int:
    """Load the fiscal years' rules from fixtures/reference/fiscal_years.yaml (#13, #18), carry the last year's rules
    over to any later year up to next year (its source says they are not checked); returns how many rows were
    added. The reference lists are the other files of `manage.py load_reference` (#18)."""
    added, _changed, _unchanged = load_fiscal_years(read_fiscal_years())
    last = last_year or latest_allowed_year()
    known = set(FiscalYear.objects.values_list("year", flat=True))
    for year in range(PROGRAM_FIRST_YEAR, last + 1):
        if year not in known:
            added += _carry_over(year)
    return added


def read_fiscal_years(path: Path = FISCAL_YEARS_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as file:
        rows = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C parser when built
    if not isinstance(rows, list):
        raise ValueError(f"{path.name}: expected a list of fiscal years")
    return rows


def _carry_over(year: int) -> int:
    """A year the file does not have yet: the latest earlier year's rules, saying they are not checked."""
    rows = [row for row in dump_fiscal_years() if row["year"] < year]
    if not rows:
        return 0
    row = copy.deepcopy(rows[-1])
    previous = row["year"]
    note = f"Not checked for TA {year}: the rules of TA {previous} carried over; check the PMK in force."
    row.update(year=year, legal_basis=note)
    for stage in row["stages"]:
        stage["source"] = note
    return load_fiscal_years([row])[0]


# ---------------------------------------------------------------------------------------------------------------------
# The fiscal years' rules as data (#13, #18): load and dump, the pair a generic load_reference/dump_reference uses
# ---------------------------------------------------------------------------------------------------------------------
YEAR_KEYS = ("year", "legal_basis", "single_payment_max", "stages")
STAGE_KEYS = (
    "code", "name", "single_payment", "formula", "share_percent", "min_absorption_percent", "min_output_percent",
    "needs_previous_quarter_report", "needs_approved_plan", "needs_contract", "window_start", "window_end", "source",
    "documents",
)  # fmt: skip
STAGE_DEFAULTS: dict[str, Any] = {
    "single_payment": False, "formula": StageFormula.SHARE, "share_percent": None, "min_absorption_percent": None,
    "min_output_percent": None, "needs_previous_quarter_report": False, "needs_approved_plan": False,
    "needs_contract": False, "window_start": "01-01", "window_end": "12-31", "source": "", "documents": [],
}  # fmt: skip
ALWAYS = ("code", "name", "window_start", "window_end")  # dumped even at their default: a reader looks for them
DOCUMENT_KEYS = ("code", "name", "source")
PERCENTS = ("share_percent", "min_absorption_percent", "min_output_percent")


def load_fiscal_years(rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Create or update each fiscal year of `rows` (the shape of fiscal_years.yaml) with its stages and their
    documents, validated by the models' own rules (`full_clean`). Returns (added, changed, unchanged) counted in
    years. A bad row raises ValueError naming the row and the field, and nothing is changed; a stage or document
    that the file no longer has is removed, unless a disbursement or an upload points to it (an error then)."""
    counts = [0, 0, 0]
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            where = f"row {number}"
            try:
                if not isinstance(row, dict):
                    raise _Bad("", "a fiscal year is a mapping of year, legal_basis, single_payment_max, stages")
                where = f"row {number} (year {row.get('year')})"
                state = _load_year(row)
            except _Bad as error:
                raise ValueError(f"{where}{error.path}: {error.message}") from None
            counts[("added", "changed", "unchanged").index(state)] += 1
    return counts[0], counts[1], counts[2]


class _Bad(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _unknown(row: dict[str, Any], keys: tuple[str, ...], path: str) -> None:
    unknown = sorted(set(row) - set(keys))
    if unknown:
        raise _Bad(f"{path}, field {unknown[0]}", f"unknown field (known: {', '.join(keys)})")


def _validated(obj: Any, path: str, exclude: list[str] | None = None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        name = "" if field == "__all__" else f", field {field}"
        raise _Bad(f"{path}{name}", " ".join(str(m) for m in messages)) from None


def _month_day(value: Any, path: str, key: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
    except ValueError:
        raise _Bad(f"{path}, field {key}", f"{value!r} is not a day of the year written MM-DD") from None
    return month, day


def _decimal(value: Any, path: str, key: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise _Bad(f"{path}, field {key}", f"{value!r} is not a number") from None


def _load_year(row: dict[str, Any]) -> str:
    _unknown(row, YEAR_KEYS, "")
    if not isinstance(row.get("year"), int):
        raise _Bad(", field year", "the year is a whole number")
    existing = FiscalYear.objects.filter(year=row["year"]).first()
    before = _dump_year(existing) if existing else None
    fiscal_year = existing or FiscalYear(year=row["year"])
    fiscal_year.legal_basis = row.get("legal_basis") or ""
    fiscal_year.single_payment_max = row.get("single_payment_max") or 0
    _validated(fiscal_year, "", exclude=["year"] if existing else None)
    fiscal_year.save()
    stages = row.get("stages")
    if not isinstance(stages, list) or not stages:
        raise _Bad(", field stages", "a fiscal year needs its list of stages")
    kept: list[int] = []
    orders = {False: 0, True: 0}
    codes = set()
    for index, stage in enumerate(stages, start=1):
        path = f", stages[{index}]"
        if not isinstance(stage, dict):
            raise _Bad(path, "a stage is a mapping")
        _unknown(stage, STAGE_KEYS, path)
        values = {**STAGE_DEFAULTS, **stage}
        path = f", stages[{index}] ({values.get('code')})"
        if values.get("code") in codes:
            raise _Bad(f"{path}, field code", "this stage code appears twice")
        codes.add(values.get("code"))
        single = bool(values["single_payment"])
        orders[single] += 1
        rule = DisbursementRule.objects.filter(fiscal_year=fiscal_year, code=values.get("code")).first()
        rule = rule or DisbursementRule(fiscal_year=fiscal_year)
        start, end = (_month_day(values[key], path, key) for key in ("window_start", "window_end"))
        rule.code, rule.name, rule.single_payment, rule.order = (
            values.get("code") or "",
            values.get("name") or "",
            single,
            orders[single],
        )
        rule.formula = values["formula"]
        for key in PERCENTS:
            setattr(rule, key, _decimal(values[key], path, key))
        rule.needs_previous_quarter_report = bool(values["needs_previous_quarter_report"])
        rule.needs_approved_plan = bool(values["needs_approved_plan"])
        rule.needs_contract = bool(values["needs_contract"])
        (rule.window_start_month, rule.window_start_day), (rule.window_end_month, rule.window_end_day) = start, end
        rule.source = values["source"] or ""
        _validated(rule, path, exclude=["fiscal_year"])
        # the order may swap between two stages of the file: free the slot first, then take it
        DisbursementRule.objects.filter(fiscal_year=fiscal_year, single_payment=single, order=rule.order).exclude(
            pk=rule.pk
        ).update(order=1000 + index)
        rule.save()
        kept.append(rule.pk)
        _load_documents(rule, values["documents"], path)
    _remove(DisbursementRule.objects.filter(fiscal_year=fiscal_year).exclude(pk__in=kept), ", stages")
    if before is None:
        return "added"
    return "unchanged" if _dump_year(fiscal_year) == before else "changed"


def _load_documents(rule: DisbursementRule, documents: Any, path: str) -> None:
    if not isinstance(documents, list):
        raise _Bad(f"{path}, field documents", "a list of documents")
    kept, codes = [], set()
    for index, document in enumerate(documents, start=1):
        where = f"{path}, documents[{index}]"
        if not isinstance(document, dict):
            raise _Bad(where, "a document is a mapping of code, name, source")
        _unknown(document, DOCUMENT_KEYS, where)
        if document.get("code") in codes:
            raise _Bad(f"{where}, field code", "this document appears twice in the stage")
        codes.add(document.get("code"))
        required = RequiredDocument.objects.filter(rule=rule, code=document.get("code")).first()
        required = required or RequiredDocument(rule=rule)
        required.code, required.name = document.get("code") or "", document.get("name") or ""
        required.source, required.order = document.get("source") or "", index
        _validated(required, where, exclude=["rule"])
        required.save()
        kept.append(required.pk)
    _remove(RequiredDocument.objects.filter(rule=rule).exclude(pk__in=kept), f"{path}, documents")


def _remove(queryset: Any, path: str) -> None:
    from django.db.models import ProtectedError

    try:
        with transaction.atomic():
            queryset.delete()
    except ProtectedError:
        names = ", ".join(str(obj) for obj in queryset)
        raise _Bad(path, f"{names}: no longer in the file, but records point to it; keep it in the file") from None


def dump_fiscal_years() -> list[dict[str, Any]]:
    """The fiscal years' rules in the shape of fiscal_years.yaml (fields at their default left out), so that
    `load_fiscal_years(dump_fiscal_years())` changes nothing and the file can be written back from the database."""
    years = FiscalYear.objects.prefetch_related("rules__documents").order_by("year")
    return [_dump_year(fiscal_year) for fiscal_year in years]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _dump_year(fiscal_year: FiscalYear) -> dict[str, Any]:
    stages = []
    for rule in sorted(fiscal_year.rules.all(), key=lambda r: (r.single_payment, r.order)):
        values: dict[str, Any] = {
            "code": rule.code, "name": rule.name, "single_payment": rule.single_payment, "formula": rule.formula,
            **{key: _number(getattr(rule, key)) for key in PERCENTS},
            "needs_previous_quarter_report": rule.needs_previous_quarter_report,
            "needs_approved_plan": rule.needs_approved_plan, "needs_contract": rule.needs_contract,
            "window_start": f"{rule.window_start_month:02d}-{rule.window_start_day:02d}",
            "window_end": f"{rule.window_end_month:02d}-{rule.window_end_day:02d}",
            "source": rule.source,
            "documents": [
                {"code": d.code, "name": d.name, "source": d.source}
                for d in sorted(rule.documents.all(), key=lambda d: d.order)
            ],
        }  # fmt: skip
        stages.append({key: value for key, value in values.items() if key in ALWAYS or value != STAGE_DEFAULTS[key]})
    return {
        "year": fiscal_year.year,
        "legal_basis": fiscal_year.legal_basis,
        "single_payment_max": fiscal_year.single_payment_max,
        "stages": stages,
    }


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

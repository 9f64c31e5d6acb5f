"""The yearly reference data of DAK Fisik Bidang IKM (DOMAIN.md sections 1-3 and 5.2): the disbursement rules of
each fiscal year, as data in fixtures/reference/fiscal_years.yaml (#13, #18), and the sub-fields, menus, details
(rincian) and units each year's Perpres lists. Loaded by `ensure_reference_data()` (idempotent) at set-up; a year
the file does not have yet starts as a copy of the year before it, saying so in its source."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from allocations.choices import ReferenceKind, StageFormula
from allocations.models import (
    PROGRAM_FIRST_YEAR,
    DisbursementRule,
    FiscalYear,
    ReferenceItem,
    RequiredDocument,
    latest_allowed_year,
)

SUB_FIELDS = [("revitalisasi", "Revitalisasi Sentra IKM"), ("pembangunan", "Pembangunan Sentra IKM baru")]
MENUS = [("revitalisasi", "Revitalisasi Sentra IKM"), ("pembangunan", "Pembangunan Sentra IKM")]
DETAILS = [
    ("bangunan_produksi", "Bangunan produksi"),
    ("upt", "UPT / kantor pengelola"),
    ("gudang", "Gudang"),
    ("rumah_kemasan", "Rumah kemasan"),
    ("ruang_pamer", "Ruang pamer / galeri"),
    ("ipal", "IPAL / IPAB"),
    ("infrastruktur", "Infrastruktur pendukung (jalan, paving, tower air)"),
    ("mesin", "Mesin dan peralatan produksi"),
]
UNITS = [("m2", "m²"), ("unit", "unit"), ("paket", "paket")]


FISCAL_YEARS_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference" / "fiscal_years.yaml"


@transaction.atomic
def ensure_reference_data(last_year: int | None = None) -> int:
    """Load the fiscal years' rules from fixtures/reference/fiscal_years.yaml (#13, #18), carry the last year's rules
    over to any later year up to next year (its source says they are not checked), and create the reference lists
    missing for every year; returns how many rows were added."""
    added, _changed, _unchanged = load_fiscal_years(read_fiscal_years())
    last = last_year or latest_allowed_year()
    known = set(FiscalYear.objects.values_list("year", flat=True))
    for year in range(PROGRAM_FIRST_YEAR, last + 1):
        if year not in known:
            added += _carry_over(year)
        for kind, rows in (
            (ReferenceKind.SUB_FIELD, SUB_FIELDS),
            (ReferenceKind.MENU, MENUS),
            (ReferenceKind.DETAIL, DETAILS),
            (ReferenceKind.UNIT, UNITS),
        ):
            for code, name in rows:
                added += ReferenceItem.objects.get_or_create(kind=kind, year=year, code=code, defaults={"name": name})[
                    1
                ]
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

"""Importing the ministry's allocation annexes (#4): XLSX or CSV, a dry run with errors per row and cell, then
all or nothing.

Columns: `year`, `regency_code` (current or former Kemendagri code: 91.01 resolves to 93.01 and is remembered),
`amount` (whole rupiah), optional `sub_field` (code, default `revitalisasi`), `kind`, `legal_basis`, and `id` to
change an existing allocation's pagu. Refused: a year outside 2016..next year (the article's "2012" for 2021),
an unknown or non-autonomous kab/kota, a negative, non-numeric or absurd amount, a duplicate, a pagu below the
plan already made. An amount under Rp 10 juta is accepted with a warning (`Allocation.get_warnings`, the same rule
as the API's): annexes in thousands or millions of rupiah are a known slip."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from allocations.choices import AllocationKind, ReferenceKind
from allocations.models import PROGRAM_FIRST_YEAR, Allocation, ReferenceItem, latest_allowed_year
from allocations.services import save_allocation
from dakportal.accounts.scoping import Scope
from dakportal.formatting import rupiah
from dakportal.imports import ImportResult, SpreadsheetImporter
from dakportal.regions.models import Regency
from dakportal.spreadsheets import Table, whole_number

COLUMNS = ["year", "regency_code", "amount", "sub_field", "kind", "legal_basis", "id"]
REQUIRED = {"year", "regency_code", "amount"}
ABSURD_AMOUNT = 1_000_000_000_000  # Rp 1 triliun for one kab/kota: more than the whole program's biggest year


class AllocationImporter(SpreadsheetImporter):
    required = REQUIRED
    column_of = {"regency": "regency_code", "sub_field": "sub_field", "amount": "amount", "year": "year"}

    def __init__(self, acting_user: Any, synthetic: bool = False) -> None:
        super().__init__(acting_user)
        self.synthetic = synthetic

    def refusal(self) -> str:
        if not Scope.of(self.acting_user).national or not self.acting_user.has_perm("allocations.add_allocation"):
            return _("Only the ministry imports allocations.")
        return ""

    def prepare(self) -> None:
        self.seen: dict[tuple[int, str, str], int] = {}
        self.sub_fields = {(i.year, i.code): i for i in ReferenceItem.objects.filter(kind=ReferenceKind.SUB_FIELD)}

    def apply_row(self, number: int, values: dict[str, Any]) -> None:
        errors = len(self.result.errors)

        def error(column: str, message: str) -> None:
            self.error(number, column, message)

        year = _year(values.get("year"), error)
        regency = _regency(values.get("regency_code"), error)
        amount = _amount(values.get("amount"), error)
        code = str(values.get("sub_field") or "revitalisasi").strip().lower()
        sub_field = self.sub_fields.get((year, code)) if year else None
        if year and sub_field is None:
            error("sub_field", _("Unknown sub-field %(code)s for %(year)d.") % {"code": code, "year": year})
        kind = str(values.get("kind") or AllocationKind.REGULER).strip().lower()
        if kind not in AllocationKind.values:
            error("kind", _("Use reguler or penugasan."))
        if len(self.result.errors) > errors or year is None or regency is None or amount is None or not sub_field:
            return
        key = (year, regency.code, code)
        if key in self.seen:
            error("regency_code", _("Same year, kab/kota and sub-field as row %(row)d.") % {"row": self.seen[key]})
            return
        self.seen[key] = number
        allocation = _find(values.get("id"), year, regency, sub_field, error)
        if allocation is None:
            return
        is_new = allocation.pk is None
        allocation.year, allocation.regency, allocation.sub_field, allocation.kind = year, regency, sub_field, kind
        allocation.amount, allocation.synthetic = amount, self.synthetic
        allocation.regency_code_then = regency.code_then  # type: ignore[attr-defined]
        allocation.legal_basis = str(values.get("legal_basis") or "").strip()
        if not self.save(number, lambda: save_allocation(allocation, acting_user=self.acting_user)):
            return
        self.result.total += amount
        self.warn(number, allocation.get_warnings())
        (self.result.created if is_new else self.result.updated).append(str(allocation))


def import_allocations(table: Table, *, acting_user: Any, dry_run: bool, synthetic: bool = False) -> ImportResult:
    """Check and apply every row, all or nothing (see the module docstring)."""
    return AllocationImporter(acting_user, synthetic).run(table, dry_run=dry_run)


def _year(value: Any, error: Any) -> int | None:
    try:
        year = whole_number(value)
    except ValidationError:
        error("year", _("%(value)s is not a year.") % {"value": value})
        return None
    if year is None:
        error("year", _("The year is missing."))
        return None
    last = latest_allowed_year()
    if year < PROGRAM_FIRST_YEAR or year > last:
        hint = ""
        swapped = int(str(year)[:2] + str(year)[3] + str(year)[2]) if len(str(year)) == 4 else 0
        if PROGRAM_FIRST_YEAR <= swapped <= last:
            hint = " " + _("Did you mean %(year)d?") % {"year": swapped}
        error("year", _("%(year)d is outside the program's years %(first)d-%(last)d.") % {
            "year": year, "first": PROGRAM_FIRST_YEAR, "last": last} + hint)  # fmt: skip
        return None
    return year


def _regency(value: Any, error: Any) -> Regency | None:
    code = str(value or "").strip()
    regency = Regency.objects.select_related("province").resolve(code) if code else None
    if regency is None:
        error("regency_code", _("%(code)s is not a kab/kota code, current or former.") % {"code": code or "–"})
        return None
    if not regency.autonomous:
        error("regency_code", _("%(name)s is not autonomous and cannot receive DAK.") % {"name": regency.name})
        return None
    regency.code_then = code if "." in code else regency.code  # type: ignore[attr-defined]
    return regency


def _amount(value: Any, error: Any) -> int | None:
    try:
        amount = whole_number(value)
    except ValidationError:
        error("amount", _("%(value)s is not a whole number of rupiah.") % {"value": value})
        return None
    if amount is None:
        error("amount", _("The amount is missing."))
    elif amount <= 0:
        error("amount", _("The amount must be more than zero."))
    elif amount > ABSURD_AMOUNT:
        error("amount", _("%(amount)s for one kab/kota is not plausible.") % {"amount": rupiah(amount)})
    else:
        return amount
    return None


def _find(raw_id: Any, year: int, regency: Regency, sub_field: ReferenceItem, error: Any) -> Allocation | None:
    existing = Allocation.objects.filter(year=year, regency=regency, sub_field=sub_field).first()
    if raw_id:
        allocation = Allocation.objects.filter(pk=raw_id).first()
        if allocation is None:
            error("id", _("No allocation with this id."))
        return allocation
    if existing is not None:
        error("regency_code", _("%(name)s already has an allocation for %(year)d (id %(id)d).") % {
            "name": regency.name, "year": year, "id": existing.pk})  # fmt: skip
        return None
    return Allocation()

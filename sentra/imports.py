"""Spreadsheet import of the sentra registry (#3), in the columns of `sentra/spreadsheet.py` (the same as the template
and the export, so an exported file can be edited and imported back).

`import_sentra()` checks every row (each cell against the model's own validation and constraints), then applies
all of them in one transaction, or none when any row is bad; with `dry_run` it reports what it would do and
rolls back. A row with an `id` updates that sentra; without one, a sentra with the same name in the same desa is
updated, else a new one is created. A user can only import into the kab/kota they may change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dakportal.accounts.scoping import Scope
from dakportal.regions.models import Village
from dakportal.spreadsheets import CellError, Table, whole_number
from sentra.models import Sentra
from sentra.services import save_sentra
from sentra.spreadsheet import COLUMNS, REQUIRED

_TRUE = {"1", "true", "ya", "yes", "y", "ada"}
_FALSE = {"0", "false", "tidak", "no", "n", "tidak ada", ""}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)  # #12: the model's, the same as the API's

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def import_sentra(table: Table, *, acting_user: Any, dry_run: bool) -> ImportResult:
    """Check and apply every row, all or nothing (see the module docstring)."""
    result = ImportResult()
    missing = [column for column in REQUIRED if column not in table.header]
    if missing:
        result.errors.append(CellError(1, ", ".join(sorted(missing)), _("These columns are missing from the header.")))
        return result
    try:
        with transaction.atomic():
            _apply(table, result, acting_user)
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _apply(table: Table, result: ImportResult, acting_user: Any) -> None:
    scope = Scope.of(acting_user)
    editable = Sentra.objects.for_user(acting_user, "change")
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        errors: list[CellError] = []
        parsed: dict[str, Any] = {}
        for column, name, kind in COLUMNS:
            if column not in values:
                continue
            try:
                parsed[name] = _parse(values[column], kind)
            except ValidationError as error:
                errors.append(CellError(number, column, " ".join(error.messages)))
        if errors:
            result.errors += errors
            continue
        village = parsed.get("village")
        key = (str(parsed.get("name", "")).lower(), village.code if village else "")
        if key in seen:
            result.errors.append(CellError(number, "name", _("Same sentra as row %(row)d.") % {"row": seen[key]}))
            continue
        seen[key] = number
        if village is not None and not scope.allows(village.district.regency):
            result.errors.append(CellError(number, "village_code", _("This desa/kelurahan is outside your region.")))
            continue
        sentra = _find(editable, parsed, number, result)
        if sentra is None:
            continue
        is_new = sentra.pk is None
        for name, value in parsed.items():
            if name != "pk" and (value is not None or Sentra._meta.get_field(name).null):
                setattr(sentra, name, value)  # an empty cell keeps the default or current value
        if village is not None:
            sentra.regency_id = village.district.regency_id
        try:
            with transaction.atomic():
                save_sentra(sentra, acting_user=acting_user, reason=_("Imported from a spreadsheet"))
        except ValidationError as error:
            result.errors += _cell_errors(number, error)
            continue
        columns = {name: column for column, name, _kind in COLUMNS}
        for name, message in sentra.get_warnings():
            result.warnings.append(CellError(number, columns.get(name, name), message))
        (result.created if is_new else result.updated).append(sentra.name)


def _find(editable: Any, parsed: dict[str, Any], number: int, result: ImportResult) -> Sentra | None:
    if parsed.get("pk"):
        sentra = editable.filter(pk=parsed["pk"]).first()
        if sentra is None:
            result.errors.append(CellError(number, "id", _("No sentra with this id in your region.")))
        return sentra
    village = parsed.get("village")
    if village is not None and parsed.get("name"):
        existing = editable.filter(village=village, name__iexact=parsed["name"]).first()
        if existing is not None:
            return existing
    return Sentra()


def _cell_errors(number: int, error: ValidationError) -> list[CellError]:
    columns = {name: column for column, name, _kind in COLUMNS}
    columns["regency"] = "village_code"
    if not hasattr(error, "error_dict"):
        return [CellError(number, "", message) for message in error.messages]
    return [
        CellError(number, columns.get(name, "" if name == "__all__" else name), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _parse(value: Any, kind: Any) -> Any:
    """A cell's value for the model; None for an empty cell (except text, which becomes "")."""
    if value is None or value == "":
        return "" if kind == "text" else None
    if kind == "text":
        return str(value).strip()
    if kind == "int":
        return whole_number(value)
    if kind == "decimal":
        try:
            return Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("%(value)s is not a number.") % {"value": value}) from None
    if kind == "date":
        return _date(value)
    if kind == "bool":
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError(_("Write yes or no (ya/tidak)."))
    if kind == "village":
        village = Village.objects.select_related("district__regency").filter(code=str(value).strip()).first()
        if village is None:
            raise ValidationError(_("%(code)s is not a desa/kelurahan code such as 32.73.01.1001.") % {"code": value})
        return village
    choices = {str(v).lower(): v for v in kind.values}
    for language in ("id", "en"):  # a label in either language is accepted too
        with translation.override(language):
            choices |= {str(label).lower(): v for v, label in kind.choices}
    text = str(value).strip().lower()
    if text not in choices:
        raise ValidationError(
            _("Unknown value %(value)s; use one of %(choices)s.") % {"value": value, "choices": ", ".join(kind.values)}
        )
    return choices[text]


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("%(value)s is not a date; write 2021-08-31 or 31/08/2021.") % {"value": value})

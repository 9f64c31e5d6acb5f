"""Spreadsheet import of the sentra registry (#3), in the columns of `sentra/spreadsheet.py` (the same as the template
and the export, so an exported file can be edited and imported back).

`import_sentra()` checks every row (each cell against the model's own validation and constraints), then applies
all of them in one transaction, or none when any row is bad; with `dry_run` it reports what it would do and
rolls back. A row with an `id` updates that sentra; without one, a sentra with the same name in the same desa is
updated, else a new one is created. A user can only import into the kab/kota they may change."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from dakportal.accounts.scoping import Scope
from dakportal.imports import ImportResult, SpreadsheetImporter
from dakportal.regions.models import Village
from dakportal.spreadsheets import Table, whole_number
from sentra.models import Sentra
from sentra.services import save_sentra
from sentra.spreadsheet import COLUMNS, REQUIRED

_TRUE = {"1", "true", "ya", "yes", "y", "ada"}
_FALSE = {"0", "false", "tidak", "no", "n", "tidak ada", ""}


class SentraImporter(SpreadsheetImporter):
    required = set(REQUIRED)
    column_of = {name: column for column, name, _kind in COLUMNS} | {"regency": "village_code"}

    def prepare(self) -> None:
        self.scope = Scope.of(self.acting_user)
        self.editable = Sentra.objects.for_user(self.acting_user, "change")
        self.seen: dict[tuple[str, str], int] = {}

    def apply_row(self, number: int, values: dict[str, Any]) -> None:
        parsed: dict[str, Any] = {}
        errors = len(self.result.errors)
        for column, name, kind in COLUMNS:
            if column not in values:
                continue
            try:
                parsed[name] = _parse(values[column], kind)
            except ValidationError as error:
                self.error(number, column, " ".join(error.messages))
        if len(self.result.errors) > errors:
            return
        village = parsed.get("village")
        key = (str(parsed.get("name", "")).lower(), village.code if village else "")
        if key in self.seen:
            self.error(number, "name", _("Same sentra as row %(row)d.") % {"row": self.seen[key]})
            return
        self.seen[key] = number
        if village is not None and not self.scope.allows(village.district.regency):
            self.error(number, "village_code", _("This desa/kelurahan is outside your region."))
            return
        sentra = self.find(number, parsed)
        if sentra is None:
            return
        is_new = sentra.pk is None
        for name, value in parsed.items():
            if name != "pk" and (value is not None or Sentra._meta.get_field(name).null):
                setattr(sentra, name, value)  # an empty cell keeps the default or current value
        if village is not None:
            sentra.regency_id = village.district.regency_id
        reason = _("Imported from a spreadsheet")
        if not self.save(number, lambda: save_sentra(sentra, acting_user=self.acting_user, reason=reason)):
            return
        self.warn(number, sentra.get_warnings())
        (self.result.created if is_new else self.result.updated).append(sentra.name)

    def find(self, number: int, parsed: dict[str, Any]) -> Sentra | None:
        """The sentra the row is about: by id, else by name in its desa, else a new one (None: an error)."""
        if parsed.get("pk"):
            sentra: Sentra | None = self.editable.filter(pk=parsed["pk"]).first()
            if sentra is None:
                self.error(number, "id", _("No sentra with this id in your region."))
            return sentra
        village = parsed.get("village")
        if village is not None and parsed.get("name"):
            existing: Sentra | None = self.editable.filter(village=village, name__iexact=parsed["name"]).first()
            if existing is not None:
                return existing
        return Sentra()


def import_sentra(table: Table, *, acting_user: Any, dry_run: bool) -> ImportResult:
    """Check and apply every row, all or nothing (see the module docstring)."""
    return SentraImporter(acting_user).run(table, dry_run=dry_run)


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

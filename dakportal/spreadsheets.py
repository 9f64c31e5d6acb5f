"""Reading and writing spreadsheets (XLSX and CSV) for imports and exports, shared by every app."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.exports import safe_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000


@dataclass
class CellError:
    """A problem of an import, at a spreadsheet row and column (column "" for the whole row)."""

    row: int
    column: str
    message: str


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (spreadsheet row number, {column: value})


def read_table(upload: Any) -> Table:
    """The first sheet of an XLSX, or a CSV (UTF-8, comma or semicolon): a header row, then data rows.
    Blank rows are skipped; row numbers are those a spreadsheet shows.

    #10: no file can hold the server: its size is checked before it is read (`IMPORT_MAX_MB`), and reading stops
    at the first row past `MAX_ROWS`, however small the file claims to be (a zipped sheet of 600,000 rows)."""
    name = (getattr(upload, "name", "") or "").lower()
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    too_large = ValidationError(
        _("The file is larger than %(max)d MB; split it.") % {"max": settings.IMPORT_MAX_MB}, code="too_large"
    )
    if (getattr(upload, "size", None) or 0) > limit:
        raise too_large
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if name.endswith(".xlsx") or data[:2] == b"PK":
        raw_rows = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw_rows = _csv_rows(data)
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."), code="file_type")
    if not raw_rows:
        raise ValidationError(_("The file is empty."), code="empty")
    header = [str(cell or "").strip().lower() for cell in raw_rows[0]]
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        values = {header[i]: _clean(cell) for i, cell in enumerate(raw) if i < len(header) and header[i]}
        if any(value not in (None, "") for value in values.values()):
            rows.append((number, values))
    return Table(header, rows)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date()
    return value


def _xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The file is not a readable .xlsx workbook."), code="damaged") from None
    sheet = workbook.worksheets[0]
    try:
        return _limited(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _limited(rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    """The rows, read one at a time and refused at the first one past the limit (the header and blank rows
    count, so a sheet of empty rows stops as early)."""
    result: list[tuple[Any, ...]] = []
    for row in rows:
        if len(result) > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}, code="too_many"
            )
        result.append(tuple(row))
    return result


def _csv_rows(data: bytes) -> list[tuple[Any, ...]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file is not UTF-8 text: save it as 'CSV UTF-8'."), code="encoding") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return _limited(csv.reader(io.StringIO(text), delimiter=delimiter))


def xlsx_response(
    filename: str,
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    money_columns: Iterable[int] = (),
    sheet_title: str = "Data",
    notes: list[str] | None = None,
) -> HttpResponse:
    """An .xlsx download: a bold header, real numbers (rupiah columns formatted `Rp #.##0`), dates as dates, and
    text that a spreadsheet would run as a formula neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"  # #14: the header stays in view
    money = set(money_columns)
    plain = {index for index, name in enumerate(header) if _is_plain_number(name)}
    sheet.append([_header_cell(sheet, name, Font) for name in header])
    written = 1
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, index in money, index in plain) for index, value in enumerate(row)])
        written += 1
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{written}"  # #14: filters on every column
    if notes:
        info = workbook.create_sheet(_("About")[:31])
        for line in notes:
            info.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def _header_cell(sheet: Any, name: str, font_class: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=name)
    cell.font = font_class(bold=True)
    return cell


_PLAIN = ("year", "tahun", "quarter", "triwulan", "id", "code", "kode", "nib", "nik", "kbli")


def _is_plain_number(name: str) -> bool:
    """A column of years, quarters, ids or codes: numbers without a thousands separator ("2021", not "2.021")."""
    words = name.lower().replace("_", " ").replace("(", " ").split()
    return any(word in _PLAIN for word in words)


def _xlsx_cell(sheet: Any, value: Any, is_money: bool, plain: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or value is None:
        return safe_cell(value)
    if isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        if is_money:
            cell.number_format = '"Rp" #,##0'
        elif plain:
            cell.number_format = "0"
        elif isinstance(value, Decimal) and int(value.as_tuple().exponent) < 0:
            # as many decimals as the value has: a latitude keeps its 6 (-6.914744), a percentage its 2
            cell.number_format = "#,##0." + "0" * -int(value.as_tuple().exponent)
        else:
            cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.00"
        return cell
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: the portal's local time
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, value=str(safe_cell(value)))
    cell.data_type = "s"  # never a formula
    return cell


def whole_number(value: Any) -> int | None:
    """Whole numbers; spreadsheet text such as "1.500.000" (Indonesian grouping) or "Rp 1.500.000" is accepted,
    fractions are not; an empty cell is None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise ValidationError(_("%(value)s is not a whole number.") % {"value": value})
        return int(value)
    text = str(value).strip().replace(".", "").replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:]
    try:
        return int(text)
    except ValueError:
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": value}) from None

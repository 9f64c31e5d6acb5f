"""The one CSV writer of the portal (#2, #10): lists, the API, reports and the region profile all stream through
`csv_rows` / `csv_response`, so every file is safe and alike.

- UTF-8 with a byte-order mark, so that spreadsheets open it correctly.
- Numbers stay numbers, negative ones included (`-6.914744`, most Indonesian latitudes), so that an exported
  file imports back unchanged.
- Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)
  gets a leading apostrophe (OWASP's advice on CSV injection). Every cell goes through `safe_cell`: a caller
  cannot forget it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # also checked in SQL: dakportal/copy_export.py
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet should get it: numbers as numbers, formulas neutralised, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        value = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The lines of a CSV file: the header, then each row with every cell made safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download named `<filename>-<date>.csv`."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate().isoformat()}.csv"'
    return response

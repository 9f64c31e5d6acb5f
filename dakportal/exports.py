"""CSV export shared by pages and the API (#2): streamed, UTF-8 with a BOM for spreadsheets, and safe.

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return would run as a formula in a spreadsheet: it
gets a leading apostrophe (OWASP's advice on CSV injection). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)

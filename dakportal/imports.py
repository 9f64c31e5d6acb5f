"""The one spreadsheet-import driver (#16.2): every importer (sentra/imports.py, allocations/imports.py, those to
come) checks the header, asks whether the user may import at all, applies every row in one transaction, and keeps
nothing when any row is bad or on a dry run; the rows' errors and warnings name their row and column.

An importer declares its `required` columns and `column_of` (model field -> column, for the model's own
messages), and writes `apply_row()`; `dakportal.generic.ImportView` runs it from a page (a large file in the task
worker, dakportal/jobs/imports.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dakportal.spreadsheets import CellError, Table


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)  # #12: the model's, the same as the API's
    total: int = 0  # the money imported, where the rows carry money

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


class SpreadsheetImporter:
    required: ClassVar[set[str]] = set()
    column_of: ClassVar[dict[str, str]] = {}  # model field -> column; a field not named has no column

    def __init__(self, acting_user: Any) -> None:
        self.acting_user = acting_user
        self.result = ImportResult()

    def refusal(self) -> str:
        """Why this user may not import at all ("" when they may)."""
        return ""

    def prepare(self) -> None:
        """Read what every row needs, once (reference lists, the user's scope)."""

    def apply_row(self, number: int, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def run(self, table: Table, *, dry_run: bool) -> ImportResult:
        missing = sorted(self.required - set(table.header))
        if missing:
            self.error(1, ", ".join(missing), _("These columns are missing from the header."))
            return self.result
        if refusal := self.refusal():
            self.error(1, "", refusal)
            return self.result
        try:
            with transaction.atomic():
                self.prepare()
                for number, values in table.rows:
                    self.apply_row(number, values)
                if dry_run or self.result.errors:
                    raise _Rollback
        except _Rollback:
            pass
        return self.result

    # Helpers for apply_row -------------------------------------------------------------------------------------
    def error(self, number: int, column: str, message: str) -> None:
        self.result.errors.append(CellError(number, column, message))

    def save(self, number: int, save: Any) -> bool:
        """Run `save()` (a service) in a savepoint; its ValidationError becomes the row's cell errors."""
        try:
            with transaction.atomic():
                save()
        except ValidationError as error:
            self.result.errors += self.cell_errors(number, error)
            return False
        return True

    def warn(self, number: int, warnings: Iterable[tuple[str, str]]) -> None:
        """The record's own warnings (`get_warnings()`: (field, message)) against their columns."""
        self.result.warnings += [CellError(number, self.column(name), text) for name, text in warnings]

    def column(self, name: str) -> str:
        """The column of a model field ("" for the record as a whole)."""
        return self.column_of.get(name, "" if name == NON_FIELD_ERRORS else name)

    def cell_errors(self, number: int, error: ValidationError) -> list[CellError]:
        if not hasattr(error, "error_dict"):
            return [CellError(number, "", message) for message in error.messages]
        return [
            CellError(number, self.column(name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]

"""What every reference loader shares (#18): reading a row's columns, validating with the models' own rules
(`full_clean()`: fields, `clean()`, constraints), making the table hold exactly the file's rows, and the counts.

Errors name the row (its position in the file, 1 for the first) and the file's column; the load service adds the
file's name and the row's line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    row: int  # 1 for the file's first row; 0 for a record the file no longer lists
    column: str  # the file's column ("" for the whole row)
    message: str


class ReferenceDataError(ValueError):
    """A reference file's rows break the models' rules: every problem, by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"row {e.row}, {e.column or '-'}: {e.message}" for e in errors))
        self.errors = errors


@dataclass
class Counts:
    """Rows of the database a load added, changed, left unchanged and removed (no longer in the file)."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    @classmethod
    def of(cls, result: Any) -> Counts:
        """A loader's result: a Counts, or the (added, changed, unchanged) tuple of the simplest loaders."""
        return result if isinstance(result, Counts) else cls(*result)


def columns_of(
    row: Any, number: int, required: Iterable[str], optional: Iterable[str], errors: list[RowError]
) -> dict[str, Any] | None:
    """The row's values by column, or None (with the errors) when it is not a mapping, lacks a column or has one
    the file does not know."""
    required, optional = tuple(required), tuple(optional)
    if not isinstance(row, Mapping):
        errors.append(RowError(number, "", _("A row is a set of 'column: value' lines.")))
        return None
    found = len(errors)
    for column in row:
        if column not in required + optional:
            errors.append(
                RowError(
                    number,
                    str(column),
                    _("Unknown column; the columns are %(columns)s.") % {"columns": ", ".join(required + optional)},
                )
            )
    for column in required:
        if column not in row:
            errors.append(RowError(number, column, _("This column is missing.")))
    if len(errors) > found:
        return None
    return {column: row.get(column) for column in required + optional}


def sync_table(
    model: type[models.Model],
    wanted: list[tuple[int, dict[str, Any]]],
    *,
    key: tuple[str, ...],
    columns: Mapping[str, str],
) -> Counts:
    """Make `model`'s table hold exactly `wanted`: (row number, {attribute: value}) for each database row, matched
    to the existing rows by the attributes `key`. Every row is validated with `full_clean()`; a row the file does
    not list any more is deleted unless data points to it. `columns` maps a model field to the file's column, so
    each error names what the person wrote. Raises ReferenceDataError with every problem; the caller's
    transaction then discards what was saved."""
    errors: list[RowError] = []
    counts = Counts()
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in model._default_manager.all()}
    seen: dict[tuple[Any, ...], int] = {}
    clashes: set[tuple[int, int]] = set()
    attributes = [name for name in wanted[0][1]] if wanted else []
    text_fields = {
        name
        for name in attributes
        if isinstance(model._meta.get_field(name), models.CharField | models.TextField)
        and not model._meta.get_field(name).null
    }
    for number, values in wanted:
        identity = tuple(values[name] for name in key)
        if identity in seen:
            if (number, seen[identity]) not in clashes:  # a row of many years clashes once with another
                clashes.add((number, seen[identity]))
                errors.append(
                    RowError(
                        number,
                        columns.get(key[-1], key[-1]),
                        _("%(record)s is already in row %(row)d.")
                        % {"record": " · ".join(str(part) for part in identity), "row": seen[identity]},
                    )
                )
            continue
        seen[identity] = number
        obj = existing.pop(identity, None)
        is_new = obj is None
        if obj is None:
            obj = model()
        before = [getattr(obj, name) for name in attributes]
        for name, value in values.items():
            if value is None and name in text_fields:
                value = ""  # an empty cell of a text column
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            errors += _row_errors(number, error, columns)
            continue
        if not is_new and [getattr(obj, name) for name in attributes] == before:
            counts.unchanged += 1
            continue
        obj.save()
        if is_new:
            counts.added += 1
        else:
            counts.changed += 1
    for obj in existing.values():
        try:
            with transaction.atomic():
                obj.delete()
            counts.removed += 1
        except (ProtectedError, RestrictedError) as error:
            errors.append(
                RowError(
                    0,
                    "",
                    _("%(record)s is no longer in the file, but %(count)d records use it: keep it in the file.")
                    % {"record": obj, "count": len(error.protected_objects if isinstance(error, ProtectedError)
                                                  else error.restricted_objects)},
                )
            )  # fmt: skip
    if errors:
        raise ReferenceDataError(list(dict.fromkeys(errors)))  # a row of many years says a problem once
    return counts


def _row_errors(number: int, error: ValidationError, columns: Mapping[str, str]) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(number, "", message) for message in error.messages]
    return [
        RowError(number, "" if name == "__all__" else columns.get(name, name), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]

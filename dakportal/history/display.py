"""How an event reads for a person (#9): field labels instead of column names, money as Rupiah, choices by
their label, yes/no, dates the Indonesian way. No queries: everything comes from the models' declarations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from dakportal.formatting import rupiah
from dakportal.history.registry import tracked_model
from dakportal.models import MoneyField

HIDDEN = frozenset({"version"})


@cache
def columns(label: str) -> dict[str, models.Field[Any, Any]]:
    """The fields of a tracked model by database column (`regency_id` -> the `regency` field)."""
    model = tracked_model(label)
    if model is None:
        return {}
    return {field.column: field for field in model._meta.concrete_fields}  # type: ignore[misc]


def field_changes(label: str, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """The API's `changes`: keyed by field name (`regency`, not `regency_id`), values as stored."""
    fields = columns(label)
    return {(fields[column].name if column in fields else column): value for column, value in changes.items()}


def object_name(label: str, object_id: str, name: str) -> str:
    model = tracked_model(label)
    kind = str(model._meta.verbose_name) if model else label
    kind = kind[:1].upper() + kind[1:]
    return f"{kind}: {name}" if name else f"{kind} #{object_id}"


@dataclass
class Line:
    label: str
    old: str
    new: str


def referenced_names(events: list[Any]) -> dict[tuple[str, str], str]:
    """The names of the records that a page of events points to (a status change's sentra, who voided a
    contract): one query per kind of record pointed to, however many events."""
    wanted: dict[type[models.Model], set[str]] = {}
    for event in events:
        fields = columns(event.model)
        for column, values in event.changes.items():
            field = fields.get(column)
            if field is not None and field.is_relation and field.related_model is not None:
                ids = {str(value) for value in values if value not in (None, "")}
                wanted.setdefault(field.related_model, set()).update(ids)
    names: dict[tuple[str, str], str] = {}
    for model, ids in wanted.items():
        # #16: a name (`__str__`) may name the record's parent: fetched with it, not once per record
        parents = [field.name for field in model._meta.fields if field.is_relation and not field.null]
        rows = model._base_manager.filter(pk__in=ids)
        for obj in rows.select_related(*parents) if parents else rows:
            names[(model._meta.label_lower, str(obj.pk))] = str(obj)
    return names


def readable(label: str, changes: dict[str, Any], names: dict[tuple[str, str], str] | None = None) -> list[Line]:
    """The changed fields of an event as (label, old, new) for a page, in the model's field order; records
    pointed to by their names when `names` (from `referenced_names`) has them."""
    fields = columns(label)
    order = {column: index for index, column in enumerate(fields)}
    lines = []
    for column in sorted(changes, key=lambda c: order.get(c, len(order))):
        if column in HIDDEN:
            continue
        old, new = changes[column]
        field = fields.get(column)
        title = str(field.verbose_name) if field is not None else column
        lines.append(Line(title[:1].upper() + title[1:], show(field, old, names), show(field, new, names)))
    return lines


def show(field: models.Field[Any, Any] | None, value: Any, names: dict[tuple[str, str], str] | None = None) -> str:
    if value is None or value == "":
        return "–"
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        name = (names or {}).get((field.related_model._meta.label_lower, str(value)))
        return f"{name} ({value})" if name and name != str(value) else str(value)
    if isinstance(field, MoneyField) or (
        isinstance(field, models.GeneratedField) and isinstance(field.output_field, models.BigIntegerField)
    ):
        return rupiah(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed: datetime | date | None = parse_datetime(value)
        if isinstance(parsed, datetime) and timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)  # stored in UTC, read in the portal's time zone
        return formats.date_format(parsed, "DATETIME_FORMAT") if parsed else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return formats.date_format(parsed, "DATE_FORMAT") if parsed else value
    if isinstance(value, dict | list):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if isinstance(value, float) and isinstance(field, models.DecimalField):
        return formats.number_format(value, decimal_pos=field.decimal_places, use_l10n=True)
    return str(value)


def event_rows(events: list[Any], user: Any) -> list[tuple[Any, str, list[Line]]]:
    """What a history page shows of each event: the event, the record's name and its readable changes, personal
    data masked for `user`; the records pointed to named in one query per kind."""
    names = referenced_names(events)
    return [
        (
            event,
            object_name(event.model, event.object_id, event.label),
            readable(event.model, event.changes_for(user), names),
        )
        for event in events
    ]

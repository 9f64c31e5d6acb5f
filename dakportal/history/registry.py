"""Which models the history records, and how (#9). One place: `settings.HISTORY_APPS` names the apps whose every
model is tracked (`HISTORY_EXCLUDE` the few that are not records: notifications, reminder bookkeeping),
`settings.HISTORY_MODELS` single models of other apps (#18: the former kab/kota codes), and each model may declare:

- `history_parent`: the foreign key to the record it belongs to (a contract's `allocation`), so the parent's
  history page includes it;
- `history_label`: the fields that name a row in the log (default: `name`, `title`, `number` or
  `business_name`, whichever it has);
- `history_ignore` / `history_secret`: columns not recorded / recorded only as changed (a password hash).

Many-to-many link tables of tracked models are tracked too, as parts of the model that declares the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models

ALWAYS_IGNORED = ("created", "last_updated")
DEFAULT_LABELS = ("name", "title", "number", "business_name", "username")


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    label: str
    region_lookups: tuple[str, ...]
    parent: str | None
    label_fields: tuple[str, ...]
    ignored: tuple[str, ...]
    secret: tuple[str, ...]


def _through_source(model: type[models.Model]) -> tuple[type[models.Model], str] | None:
    """For an auto-created many-to-many table: the model that declares the link and the column pointing to it."""
    for owner in apps.get_models():
        for field in owner._meta.local_many_to_many:
            if field.remote_field.through is model:
                return owner, field.m2m_field_name()
    return None


def _describe(model: type[models.Model]) -> Tracked:
    meta = model._meta
    parent = getattr(model, "history_parent", None)
    own_lookup: str = getattr(model, "region_lookup", "")
    lookups: tuple[str, ...] = getattr(model, "history_region_lookups", ()) or ((own_lookup,) if own_lookup else ())
    if meta.auto_created:
        source = _through_source(model)
        if source is not None:
            owner, parent = source
            owner_lookup = getattr(owner, "region_lookup", None)
            lookups = (f"{parent}__{owner_lookup}",) if owner_lookup else ()
    names = {field.name for field in meta.concrete_fields}
    label_fields = getattr(model, "history_label", None) or tuple(n for n in DEFAULT_LABELS if n in names)[:1]
    return Tracked(
        model=model,
        label=meta.label_lower,
        region_lookups=lookups,
        parent=parent,
        label_fields=tuple(label_fields),
        ignored=(*ALWAYS_IGNORED, *getattr(model, "history_ignore", ())),
        secret=tuple(getattr(model, "history_secret", ())),
    )


@cache
def tracked() -> dict[str, Tracked]:
    """Every tracked model by its label (`allocations.contract`)."""
    excluded = set(settings.HISTORY_EXCLUDE)
    result = {}
    for app_label in settings.HISTORY_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.label_lower in excluded or meta.proxy or not meta.managed:
                continue
            if meta.auto_created and _through_source(model) is None:
                continue
            result[meta.label_lower] = _describe(model)
    for label in settings.HISTORY_MODELS:
        model = apps.get_model(label)
        result[model._meta.label_lower] = _describe(model)
    return result


def tracked_model(label: str) -> type[models.Model] | None:
    entry = tracked().get(label)
    return entry.model if entry else None


def tracked_choices() -> list[tuple[str, str]]:
    """(label, name) of every tracked kind of record, for the history's filter: `allocations.contract`."""

    def name(entry: Tracked) -> str:
        title = str(entry.model._meta.verbose_name)
        return f"{title[:1].upper()}{title[1:]} ({entry.label})"

    return sorted(((label, name(entry)) for label, entry in tracked().items()), key=lambda choice: choice[1])

"""Warnings about one record, shown at the top of its page (#17), filled by the apps (#16 point 3: the foundation
imports no app). An app registers, in its `AppConfig.ready()`, a provider for a model: `provider(user, obj)`
returns the reasons (objects with `rule.label`, `rule.weight`, `details` and `count`) the record's page shows,
each explaining itself. The monev app's risk register provides them for sentra and allocations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

PROVIDERS: dict[str, list[Callable[[Any, Model], list[Any]]]] = {}


def register(model_label: str, provider: Callable[[Any, Model], list[Any]]) -> None:
    """`model_label`: "sentra.sentra", "allocations.allocation"."""
    providers = PROVIDERS.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def warnings_for(user: Any, obj: Model) -> list[Any]:
    found: list[Any] = []
    for provider in PROVIDERS.get(obj._meta.label_lower, []):
        found.extend(provider(user, obj))
    return found

"""One search box for the whole portal (#14): `/search/?q=` looks through every registered kind of record at once.

Each app registers its searchable models in its `AppConfig.ready()` with the FilterSet it already has, so the
global search finds exactly what the list page's own `q` search would find (`BaseFilterSet.search_fields`), and
the rows come from `scoped_choices`, the one rule of what a user may see (#10). Per kind: one query (the first
rows and, through a window function, how many match in all); kinds the user may not view are skipped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Window
from django.urls import reverse
from django.utils.http import urlencode

from dakportal.accounts.scoping import scoped_choices
from dakportal.filtersets import BaseFilterSet

MIN_LENGTH = 2
ROWS_PER_KIND = 8


@dataclass(frozen=True)
class Searchable:
    filterset: type[BaseFilterSet]
    list_url: str  # the list page's URL name; "see all" opens it with the same `q`
    context: str = ""  # a related object shown under each row's name (`regency`, `sentra`), joined in the query
    order: int = 0  # groups are shown by this, then by registration

    @property
    def model(self) -> type[Model]:
        return self.filterset._meta.model  # type: ignore[no-any-return]

    def permitted(self, user: Any) -> bool:
        meta = self.model._meta
        return bool(user.has_perm(f"{meta.app_label}.view_{meta.model_name}"))


REGISTRY: list[Searchable] = []


def register(filterset: type[BaseFilterSet], list_url: str, *, context: str = "", order: int = 0) -> None:
    REGISTRY.append(Searchable(filterset, list_url, context, order))
    REGISTRY.sort(key=lambda source: source.order)


@dataclass
class Hit:
    name: str
    url: str
    context: str


@dataclass
class Group:
    label: str
    hits: list[Hit]
    total: int
    more_url: str


def search(user: Any, text: str) -> list[Group]:
    """The groups of records matching `text` that `user` may see, each with its first rows and its total."""
    text = text.strip()
    if len(text) < MIN_LENGTH:
        return []
    groups = []
    for source in REGISTRY:
        if not source.permitted(user):
            continue
        filterset = source.filterset(data={}, queryset=scoped_choices(source.model, user))
        rows = filterset.search(filterset.queryset, "q", text)
        if source.context:
            rows = rows.select_related(source.context.replace(".", "__"))
        found = list(rows.annotate(search_total=Window(Count("*")))[:ROWS_PER_KIND])
        if found:
            more_url = f"{reverse(source.list_url)}?{urlencode({'q': text})}"
            groups.append(
                Group(
                    label=str(source.model._meta.verbose_name_plural),
                    hits=[_hit(row, source, more_url) for row in found],
                    total=found[0].search_total,
                    more_url=more_url,
                )
            )
    return groups


def _hit(row: Any, source: Searchable, more_url: str) -> Hit:
    related: Any = row
    for name in source.context.split(".") if source.context else ():
        related = getattr(related, name, None)
    url = row.get_absolute_url() if hasattr(row, "get_absolute_url") else more_url
    return Hit(name=str(row), url=url, context=str(related) if source.context and related is not None else "")

"""The dashboard's registry (#14, #16): the foundation draws `/`, the apps fill it.

Each app registers, in its `AppConfig.ready()`, the panels it adds to the dashboard and the items it adds to the
"needs your attention" list, so `dakportal/` never imports `sentra`, `allocations` or `monev` (#16 point 3), as the
search box's providers do (`dakportal/search.py`). A panel says which users it is for (`applies`), builds its
context in a fixed number of queries (aggregates in SQL, STYLE.md convention 8) and names its template; every
number in it links to the filtered list behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    key: str  # the panel's `data-testid`
    template: str
    applies: Callable[[Any], bool]  # whether the user sees it (role, permission)
    build: Callable[[Any], dict[str, Any] | None]  # its context, or None when there is nothing to show
    order: int = 0  # panels are shown by this, then by registration
    width: str = "col-xl-6"  # the Bootstrap column it takes


@dataclass(frozen=True)
class Attention:
    """One line of "needs your attention": a count and the list it comes from. `warning` counts (overdue,
    returned) are shown first and in red when not zero."""

    label: str | Promise
    count: int
    url: str
    warning: bool = False


@dataclass(frozen=True)
class Deadline:
    """Something due, with its date (None: as soon as possible) and the page where it is done (#14: "what is due
    next" on a regional officer's dashboard)."""

    label: str | Promise
    due: date | None
    count: int
    url: str


PANELS: list[Panel] = []
ATTENTION: list[Callable[[Any], list[Attention]]] = []
DEADLINES: list[Callable[[Any], list[Deadline]]] = []


def register_panel(
    key: str,
    *,
    template: str,
    applies: Callable[[Any], bool],
    build: Callable[[Any], dict[str, Any] | None],
    order: int = 0,
    width: str = "col-xl-6",
) -> None:
    if any(panel.key == key for panel in PANELS):  # ready() may run twice in tests
        return
    PANELS.append(Panel(key, template, applies, build, order, width))
    PANELS.sort(key=lambda panel: panel.order)


def register_attention(provider: Callable[[Any], list[Attention]]) -> None:
    """`provider(user)` returns the app's attention items for the user (none when they do not apply)."""
    if provider not in ATTENTION:
        ATTENTION.append(provider)


def register_deadlines(provider: Callable[[Any], list[Deadline]]) -> None:
    """`provider(user)` returns what the user has due in the app (none when it does not apply)."""
    if provider not in DEADLINES:
        DEADLINES.append(provider)


@dataclass
class Shown:
    panel: Panel
    context: dict[str, Any]


def panels_for(user: Any) -> list[Shown]:
    shown = []
    for panel in PANELS:
        if not panel.applies(user):
            continue
        context = panel.build(user)
        if context is not None:
            shown.append(Shown(panel, context))
    return shown


def attention_for(user: Any) -> list[Attention]:
    """Every app's items, warnings that are not zero first (the region's warnings first, #14)."""
    items = [item for provider in ATTENTION for item in provider(user)]
    return sorted(items, key=lambda item: 0 if item.warning and item.count else 1)


def deadlines_for(user: Any) -> list[Deadline]:
    """Every app's deadlines, soonest first (those without a date first: they are due now)."""
    items = [item for provider in DEADLINES for item in provider(user)]
    return sorted(items, key=lambda item: (item.due is not None, item.due or date.min))

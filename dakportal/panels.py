"""The panels of a record's page (#16 point 3), after NetBox's detail layouts.

Every detail page is `templates/generic/object_detail.html`: it owns the frame every record page shares (the
breadcrumb, the title and status badge, the actions bar, the record's warnings, the Details/History tabs) and
renders, below it, the panels its view declares, in order, in one Bootstrap grid. A panel is one small template
(`templates/<app>/panels/<name>.html`); most extend `generic/panel.html`, the card with its title, its actions
and its body, so every card of every record page looks the same. The view declares them:

    class SentraDetailView(ObjectDetailView):
        panels = [
            Panel("sentra/panels/profile.html", _("Profile"), width="col-lg-8"),
            Panel("sentra/panels/completeness.html", _("Completeness"), width="col-lg-4", testid="completeness"),
            Panel("sentra/panels/units.html", _("Member IKM units"), id="units"),
        ]

or overrides `get_panels(context)` when they depend on the user or the record; a `condition(context)` hides one
panel (a review form only a reviewer sees). A `Column` stacks panels in one column of the grid, for pages with a
main column and a side column (the Itjen visit report).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from dakportal import tones

Condition = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Panel:
    """One panel: its template, its title (shown by `generic/panel.html`), the Bootstrap column it takes from the
    large breakpoint up (a phone always gives it the whole width), the card's `id` (an anchor, `#plan`) and
    `data-testid`, extra CSS classes of the card, the condition under which it shows (None: always) and the static
    scripts it needs (loaded once, after the page's own)."""

    template: str
    title: str | Promise = ""
    width: str = "col-12"
    id: str = ""
    testid: str = ""
    css_class: str = ""
    condition: Condition | None = None
    scripts: tuple[str, ...] = ()

    stacked = False  # a panel of the grid; a `Column` holds stacked ones

    def shows(self, context: Mapping[str, Any]) -> bool:
        return self.condition is None or bool(self.condition(context))


@dataclass(frozen=True)
class Column:
    """Panels stacked in one column of the grid (`width`), shown in order."""

    panels: Sequence[Panel]
    width: str = "col-12"

    stacked = True


@dataclass(frozen=True)
class Layout:
    """The panels of one page as shown to one user: the grid (panels and columns, hidden panels left out) and
    the scripts they need."""

    items: list[Panel | Column] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)


def layout(panels: Sequence[Panel | Column], context: Mapping[str, Any]) -> Layout:
    """The panels that show in `context`, in their order, and their scripts (each once)."""
    items: list[Panel | Column] = []
    scripts: list[str] = []
    for item in panels:
        if isinstance(item, Column):
            shown = [panel for panel in item.panels if panel.shows(context)]
            if shown:
                items.append(Column(shown, item.width))
        elif item.shows(context):
            shown = [item]
            items.append(item)
        else:
            continue
        scripts += [src for panel in shown for src in panel.scripts if src not in scripts]
    return Layout(items, scripts)


@dataclass(frozen=True)
class Badge:
    """A coloured label in the page's title: the record's status."""

    label: str | Promise
    color: str = "secondary"
    testid: str = ""


@dataclass(frozen=True)
class StatusBadge:
    """How a view shows its record's status: the field and the badge's `data-testid`; the colour is the value's,
    said once beside its choices class (`dakportal.tones`)."""

    testid: str = "status"
    field: str = "status"

    def of(self, obj: Any) -> Badge:
        value = getattr(obj, self.field)
        label = getattr(obj, f"get_{self.field}_display")()
        return Badge(label, tones.tone(value), self.testid)


@dataclass(frozen=True)
class Button:
    """A button of the actions bar: a link, or (`post=True`) a form posting to `url` with the record's version
    (a workflow action; `confirm` asks first). `style` is Bootstrap's (`outline-primary`, `primary`, ...)."""

    label: str | Promise
    url: str
    style: str = "outline-primary"
    testid: str = ""
    post: bool = False
    version: int | None = None
    confirm: str | Promise = ""

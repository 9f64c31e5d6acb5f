"""What `manage.py setup_portal` runs for each app (#2, #16: the foundation imports no app): each app registers, in its
`AppConfig.ready()`, what must hold before the reference files load (`register_prepare`: allocations' fiscal years)
and its demo data loader (`register_demo`). Registration follows INSTALLED_APPS, which is the dependency order;
`requires` says which apps' data a loader builds on, and refuses a wrong order at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoLoader:
    """An app's demo data, made through its own services: `loader` names a function (imported when the command runs,
    so a start does not import the demo modules) that takes the acting user, returns how many records it made and
    does nothing when it ran before."""

    app: str
    label: str  # what the command says it made: "Demo sentra"
    loader: str  # dotted path: "sentra.demo.load"
    requires: tuple[str, ...] = ()

    def load(self, acting_user: Any) -> int:
        return int(import_string(self.loader)(acting_user))


PREPARE: list[Callable[[], object]] = []
DEMO: list[DemoLoader] = []


def register_prepare(step: Callable[[], object]) -> None:
    if step not in PREPARE:
        PREPARE.append(step)


def register_demo(loader: DemoLoader) -> None:
    known = {registered.app for registered in DEMO}
    missing = [app for app in loader.requires if app not in known]
    if missing:
        raise ImproperlyConfigured(
            f"The demo data of {loader.app} builds on {', '.join(missing)}: "
            "list those apps before it in INSTALLED_APPS."
        )
    DEMO[:] = [registered for registered in DEMO if registered.app != loader.app] + [loader]

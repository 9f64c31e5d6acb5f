"""How a status shows in the pages (#16: status values only through their choices classes).

- The colour of its badge is said once, beside its choices class: `register(ReportStatus, {ReportStatus.ACCEPTED:
  "success", ...})` in the app's `choices.py`; a template writes `{{ report.status|tone }}` (a Bootstrap colour,
  `secondary` when none is said). A value that two classes share (`returned`) has one colour everywhere.
- The choices classes registered are the templates' names for the values (the `choices` context processor):
  `{% if report.status == choices.ReportStatus.RETURNED %}`, never the bare string."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest

TONES: dict[str, str] = {}
CHOICES: dict[str, type[models.Choices]] = {}
DEFAULT_TONE = "secondary"


def register[C: type[models.Choices]](choices: C, tones: Mapping[Any, str] | None = None) -> C:
    """Name `choices` for the templates and say the badge colour of its values."""
    known = CHOICES.setdefault(choices.__name__, choices)
    if known is not choices:
        raise ImproperlyConfigured(f"Two choices classes are named {choices.__name__}: rename one.")
    for value, tone in (tones or {}).items():
        if TONES.setdefault(str(value), tone) != tone:
            raise ImproperlyConfigured(f"{value!r} is {TONES[str(value)]} elsewhere: one colour per status value.")
    return choices


def tone(value: Any) -> str:
    """The badge colour of a status value (Bootstrap's `text-bg-<tone>`)."""
    return TONES.get(str(value), DEFAULT_TONE)


def choices(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the registered choices classes, as `choices.<ClassName>.<MEMBER>`."""
    return {"choices": CHOICES}

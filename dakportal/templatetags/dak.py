"""Template filters: `{% load dak %}` then `{{ amount|rupiah }}`, `{{ amount|rupiah_short }}`,
`{{ share|percent }}`, `{{ count|number }}`."""

from __future__ import annotations

from django import template

from dakportal import formatting

register = template.Library()
register.filter("rupiah", formatting.rupiah)
register.filter("rupiah_short", formatting.rupiah_short)
register.filter("percent", formatting.percent)
register.filter("number", formatting.number)

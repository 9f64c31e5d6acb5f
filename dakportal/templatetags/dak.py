"""Template filters: `{% load dak %}` then `{{ amount|rupiah }}`, `{{ amount|rupiah_short }}`,
`{{ share|percent }}`, `{{ count|number }}`, `{{ report.status|tone }}` (a status badge's colour)."""

from __future__ import annotations

from django import template

from dakportal import formatting, tones

register = template.Library()
register.filter("rupiah", formatting.rupiah)
register.filter("rupiah_short", formatting.rupiah_short)
register.filter("percent", formatting.percent)
register.filter("number", formatting.number)
register.filter("tone", tones.tone)


@register.inclusion_tag("generic/record_warnings.html", takes_context=True)
def record_warnings(context: template.Context, obj: object) -> dict[str, object]:
    """`{% record_warnings object %}`: the warnings the apps give about the record (`dakportal.record_warnings`)."""
    from dakportal.record_warnings import warnings_for

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"warnings": warnings_for(user, obj) if user is not None else []}  # type: ignore[arg-type]

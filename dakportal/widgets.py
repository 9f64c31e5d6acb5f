"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and sends ISO dates (2026-04-03) whatever the page's language, so the
    value is always written that way: a date shown as 03-04-2026 would look empty and be erased on save."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AutocompleteSelect(forms.Select):
    """A select that renders only the chosen option, plus the URL of a scoped search endpoint
    (`[{"id", "text"}]` for `?q=`): `static/dakportal/autocomplete.js` turns it into search-as-you-type, so a
    page never carries a list of every sentra of the country (#10, #11)."""

    def __init__(self, *args: Any, url_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.url_name = url_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "data-autocomplete-url": reverse(self.url_name)}
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        choices = self.choices  # a model choice field's: its records, read lazily
        queryset = choices.queryset if isinstance(choices, ModelChoiceIterator) else None
        if queryset is None or not isinstance(choices, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)
        choices.queryset = queryset.filter(pk__in=[v for v in value if v not in (None, "")])
        try:
            return super().optgroups(name, value, attrs)
        finally:
            choices.queryset = queryset


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """`AutocompleteSelect` choosing several: the chosen options stay, the search adds others to pick (#13)."""

    allow_multiple_selected = True


class RegionSelect(forms.Select):
    """The one kab/kota and province filter of every list and report (#14): a plain select of the regions in the
    user's scope (its choices come from `scoped_choices`, so a regional officer's page never names another
    region), which `static/dakportal/region-select.js` gives a search-as-you-type box. A user whose scope holds a
    single region gets it fixed: the select offers only that one."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-region-select": "", **(attrs or {})})

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        groups = super().optgroups(name, value, attrs)
        real = [group for group in groups if group[1][0]["value"] not in ("", None)]
        if len(real) == 1:  # one region in scope: fixed, no "all" to choose
            real[0][1][0]["selected"] = True
            real[0][1][0]["attrs"]["selected"] = True
            return real
        return groups

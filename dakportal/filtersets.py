"""The base FilterSet (STYLE.md convention 5): one per model, shared by the list page, the API and CSV export."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import scoped_choices
from dakportal.widgets import AutocompleteSelect, RegionSelect


def is_region(model: Any) -> bool:
    from dakportal.regions.models import Region

    return isinstance(model, type) and issubclass(model, Region)


class ScopedModelChoiceField(forms.ModelChoiceField[Any]):
    """A choice among scoped records; for a region, by its code as people write it, former codes included (#12:
    `regency=91.01` finds today's 93.01 Merauke in every list, as the allocation filter did alone)."""

    def to_python(self, value: Any) -> Any:
        queryset = self.queryset  # set by the filter (its `queryset` callable) before any value is read
        if value not in self.empty_values and queryset is not None and is_region(queryset.model):
            from dakportal.regions.querysets import current_code

            value = current_code(queryset.model, value) or value
        return super().to_python(value)


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):  # type: ignore[misc]  # django-filter: no type hints
    """A choice of related records limited to what the user may see, by the same rule as the rows
    (`scoped_choices`, #10): a regional officer is never offered another region's sentra, not even its name.
    `autocomplete` names a scoped search endpoint: the page then offers a search-as-you-type field instead of a
    list of every choice. A region is chosen by its code, current or former (#12), in a `RegionSelect` (#14)."""

    field_class = ScopedModelChoiceField

    def __init__(self, *args: Any, model: type[Model], autocomplete: str = "", **kwargs: Any) -> None:
        self.choice_model = model
        kwargs["queryset"] = lambda request: scoped_choices(model, getattr(request, "user", None))
        if autocomplete:
            kwargs["widget"] = AutocompleteSelect(url_name=autocomplete)
        elif is_region(model):  # #14: one region filter everywhere, in the user's scope
            kwargs.setdefault("widget", RegionSelect)
            kwargs.setdefault("empty_label", _("All"))
        super().__init__(*args, **kwargs)


class RegionCodeField(forms.CharField):
    """A kab/kota or province code as people write it (`32.73`, `3273`, a former code such as `91.01`), checked:
    an unknown one is an error naming it, never an empty result."""

    def __init__(self, *args: Any, region_model: Any = None, **kwargs: Any) -> None:
        self.region_model = region_model
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        from dakportal.regions.querysets import current_code

        text = super().clean(value)
        if not text:
            return text
        found = current_code(self.region_model, text)
        if found is None:
            raise forms.ValidationError(_("%(code)s is not a known region code.") % {"code": text})
        return found


class RegionCodeFilter(django_filters.CharFilter):  # type: ignore[misc]  # django-filter: no type hints
    field_class = RegionCodeField

    def __init__(self, *args: Any, region_model: Any, **kwargs: Any) -> None:
        super().__init__(*args, region_model=region_model, **kwargs)


class BaseFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter: no type hints
    """Adds `q`, a case-insensitive search over `search_fields` (set in the subclass's Meta-free attribute)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    @property
    def form(self) -> Any:
        """The filter form, styled for Bootstrap."""
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, NullBooleanSelect):
                widget.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
            css = "form-select form-select-sm" if widget.input_type == "select" else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
        return form

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

"""The base FilterSet (STYLE.md convention 5): one per model, shared by the list page, the API and CSV export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _


class BaseFilterSet(django_filters.FilterSet):
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

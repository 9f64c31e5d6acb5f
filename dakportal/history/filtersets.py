from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dakportal.filtersets import BaseFilterSet, RegionCodeFilter
from dakportal.history.models import Action, Event
from dakportal.history.registry import tracked_choices
from dakportal.regions.models import Province, Regency
from dakportal.widgets import DateInput


class EventFilterSet(BaseFilterSet):
    """The history feed's filters (#9, CONTRACT.md): `model` (`app_label.model`), `object_id`, `user` (username),
    `action`, `since` and `until` (ISO dates or datetimes), and `regency` or `province` for an auditor's export
    of one kab/kota."""

    search_fields = ("label", "username", "reason")

    model = django_filters.ChoiceFilter(choices=lambda: tracked_choices(), label=_("Kind of record"))
    object_id = django_filters.CharFilter(label=_("Record"))
    user = django_filters.CharFilter(field_name="username", label=_("User"))
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Action"))
    since = django_filters.DateTimeFilter(
        field_name="at", lookup_expr="gte", label=_("From (date)"), widget=DateInput()
    )
    until = django_filters.DateTimeFilter(method="filter_until", label=_("To (date)"), widget=DateInput())
    regency = RegionCodeFilter(field_name="regency", region_model=Regency, label=_("Kab/kota code"))
    province = RegionCodeFilter(field_name="regency__province", region_model=Province, label=_("Province code"))

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_until(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        """A date alone (`until=2026-03-31`) includes that whole day."""
        raw = str(self.data.get("until", ""))
        if len(raw.strip()) == 10:
            return queryset.filter(at__lt=value + timedelta(days=1))
        return queryset.filter(at__lte=value)

from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from dakportal.api.viewsets import CSVListMixin, ScopedViewSetMixin
from dakportal.history.api.serializers import EventSerializer
from dakportal.history.filtersets import EventFilterSet
from dakportal.history.models import Event


class EventViewSet(CSVListMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet[Event]):
    """The change log (#9): every created, changed and deleted record in the user's scope, newest first; filters
    `model`, `object_id`, `user`, `action`, `since`, `until`, `regency`, `province`; `?format=csv` for an
    auditor's export of a period and a kab/kota. Nobody can change or delete it."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["id", "at"]
    ordering = ["-id"]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("-id")

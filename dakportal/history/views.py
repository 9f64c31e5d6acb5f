"""The change log as a page (#9): `/history/`, filtered like the API feed, with CSV and XLSX of every matching
event: an auditor's export of a period and a kab/kota."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dakportal.generic import ObjectListView
from dakportal.history.display import object_name, readable, referenced_names
from dakportal.history.filtersets import EventFilterSet
from dakportal.history.models import Event


class EventListView(ObjectListView):
    queryset = Event.objects.all()
    filterset_class = EventFilterSet
    template_name = "history/event_list.html"
    title = gettext_lazy("Change history")
    columns = [
        ("at", gettext_lazy("When")),
        ("username", gettext_lazy("User")),
        ("source", gettext_lazy("Source")),
        ("action", gettext_lazy("Action")),
        ("model", gettext_lazy("Kind of record")),
        ("object_id", gettext_lazy("Record")),
        ("label", gettext_lazy("Name")),
        ("regency_id", gettext_lazy("Kab/kota")),
        ("reason", gettext_lazy("Reason")),
        ("changes", gettext_lazy("Changes")),
    ]
    export_name = "history"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        events = list(context["object_list"])
        names = referenced_names(events)
        context["events"] = [
            (event, object_name(event.model, event.object_id, event.label), readable(event.model, event.changes, names))
            for event in events
        ]
        return context

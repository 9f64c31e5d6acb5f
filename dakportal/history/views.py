"""The change log as a page (#9): `/history/`, filtered like the API feed, with CSV and XLSX of every matching
event: an auditor's export of a period and a kab/kota."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dakportal.generic import ObjectListView
from dakportal.history.display import event_rows
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

    def get_export_table(self, queryset: QuerySet[Any]) -> tuple[list[str], Any]:
        header = [str(label) for _, label in self.columns]
        user = self.request.user

        def row(event: Event) -> list[Any]:
            values = {path: getattr(event, path) for path, _label in self.columns}
            values["action"], values["changes"] = event.get_action_display(), event.changes_for(user)
            return [values[path] for path, _label in self.columns]

        return header, (row(event) for event in queryset.iterator(2000))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["events"] = event_rows(list(context["object_list"]), self.request.user)
        return context

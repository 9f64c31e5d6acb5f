from __future__ import annotations

from django.urls import path

from dakportal.history.views import EventListView

app_name = "history"
urlpatterns = [path("", EventListView.as_view(), name="event_list")]

"""The shared scoping bases, exercised through a test-only region-bound model (#2)."""

from __future__ import annotations

from dakportal.regions.models import Regency
from dakportal.testing.cases import APIViewTestCases, ViewTestCases
from dakportal.testing.users import REGION_A, REGION_B
from tests.scoping.models import Widget


class WidgetData:
    model = Widget
    create_data = {"name": "New widget", "regency": REGION_A}
    other_region_data = {"name": "Foreign widget", "regency": REGION_B}
    update_data = {"name": "Renamed"}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.own_object = Widget.objects.create(name="Bandung widget", regency=Regency.objects.get(code=REGION_A))
        cls.other_object = Widget.objects.create(name="Sleman widget", regency=Regency.objects.get(code=REGION_B))
        for i in range(30):
            Widget.objects.create(name=f"Filler {i:02}", regency=Regency.objects.get(code=REGION_B))


class WidgetViewTestCase(WidgetData, ViewTestCases.ListView, ViewTestCases.DetailView):
    url_prefix = "scoping:widget"


class WidgetAPITestCase(WidgetData, APIViewTestCases.Full):
    api_basename = "widget-api:widget"

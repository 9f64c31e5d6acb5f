from dakportal.filtersets import BaseFilterSet
from dakportal.generic import ObjectDetailView, ObjectListView
from tests.scoping.models import Widget


class WidgetFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Widget
        fields = ["regency"]


class WidgetListView(ObjectListView):
    queryset = Widget.objects.select_related("regency")
    filterset_class = WidgetFilterSet
    columns = [("name", "Name"), ("regency__name", "Kab/kota")]
    sortable = ("name",)


class WidgetDetailView(ObjectDetailView):
    queryset = Widget.objects.all()

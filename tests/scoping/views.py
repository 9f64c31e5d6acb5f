from typing import Any

from django.db.models import Model
from django.urls import reverse

from dakportal.filtersets import BaseFilterSet
from dakportal.forms import ScopedModelForm
from dakportal.generic import ObjectDetailView, ObjectEditView, ObjectListView
from tests.scoping import services
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


class WidgetForm(ScopedModelForm):
    class Meta:
        model = Widget
        fields = ["name", "regency"]


class WidgetEditView(ObjectEditView):
    """Back to the list after saving: the POST-redirect-GET of the read replica test (#15)."""

    queryset = Widget.objects.all()
    form_class = WidgetForm

    def save_form(self, form: Any) -> Model:
        return services.save_widget(form.instance, acting_user=self.request.user)

    def get_success_url(self, obj: Model) -> str:
        return reverse("scoping:widget_list")

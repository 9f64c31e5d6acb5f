from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dakportal.generic import ObjectDetailView, ObjectListView
from dakportal.regions.filtersets import RegencyFilterSet
from dakportal.regions.models import Regency


class RegencyListView(ObjectListView):
    queryset = Regency.objects.select_related("province").with_former_codes()
    filterset_class = RegencyFilterSet
    title = _("Kab/kota")
    columns = [
        ("name", _("Name")),
        ("code", _("Code")),
        ("kind", _("Kind")),
        ("province__name", _("Province")),
        ("autonomous", _("Autonomous")),
    ]
    sortable = ("code", "name", "province__name")
    export_name = "kabkota"


class RegencyDetailView(ObjectDetailView):
    queryset = Regency.objects.select_related("province").with_former_codes()
    template_name = "regions/regency_detail.html"

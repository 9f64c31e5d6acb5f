from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from dakportal.generic import ObjectDetailView, ObjectListView
from dakportal.panels import Panel
from dakportal.regions.filtersets import RegencyFilterSet
from dakportal.regions.models import Regency, Village


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
    list_url = "regions:regency_list"
    list_title = _("Kab/kota")
    tabs = False  # the official region list has no history of its own
    panels = [Panel("regions/panels/regency.html")]


@login_required
def village_options(request: HttpRequest) -> JsonResponse:
    """The desa/kelurahan of one kab/kota, grouped by kecamatan, for the location field of forms."""
    regency = request.GET.get("regency", "")
    villages = (
        Village.objects.filter(district__regency_id=regency, active=True)
        .select_related("district")
        .order_by("district__name", "name")
    )
    return JsonResponse({"villages": [{"code": v.code, "name": v.name, "district": v.district.name} for v in villages]})

"""The report "Alokasi DAK Fisik Bidang IKM per Tahun" (#4): a table, a bar chart, CSV and XLSX downloads.
The numbers are `Allocation.objects.summary()`, the same method as `allocations/summary/` in the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from allocations.filtersets import AllocationFilterSet
from allocations.models import Allocation
from dakportal.exports import csv_rows
from dakportal.spreadsheets import xlsx_response


def allocations_per_year_rows(request: HttpRequest) -> tuple[AllocationFilterSet, list[dict[str, Any]]]:
    """The filtered, scoped yearly summary with the growth against the year before."""
    filterset = AllocationFilterSet(request.GET, queryset=Allocation.objects.for_user(request.user), request=request)
    rows = list(filterset.qs.summary("year"))
    previous = None
    for row in rows:
        row["growth"] = (
            round((row["amount"] - previous) * 100 / previous, 2) if previous else None
        )  # percent against the year before
        previous = row["amount"]
    return filterset, rows


@login_required
def allocations_per_year(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("allocations.view_allocation"):
        raise PermissionDenied
    filterset, rows = allocations_per_year_rows(request)
    export = request.GET.get("export")
    header = [_("Year"), _("Pagu (Rp)"), _("Kab/kota"), _("Growth (%)")]
    table = [[row["year"], row["amount"], row["regency_count"], row["growth"]] for row in rows]
    if export == "csv":
        response = StreamingHttpResponse(csv_rows(header, table), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="alokasi-dak-ikm-per-tahun-{stamp}.csv"'
        return response
    if export == "xlsx":
        return xlsx_response("alokasi-dak-ikm-per-tahun", header, table, money_columns=[1], sheet_title=_("Per year"))
    context = {
        "filterset": filterset,
        "rows": rows,
        "total": sum(row["amount"] for row in rows),
        "querystring": request.GET.urlencode(),
        "any_synthetic": filterset.qs.filter(synthetic=True).exists(),
        "chart": {
            "labels": [str(row["year"]) for row in rows],
            "amounts": [row["amount"] for row in rows],
            "counts": [row["regency_count"] for row in rows],
            "amount_label": _("Pagu (Rp miliar)"),
            "count_label": _("Kab/kota"),
        },
    }
    return render(request, "allocations/report_per_year.html", context)

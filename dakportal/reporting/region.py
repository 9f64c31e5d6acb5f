"""The region profile (#6): one kab/kota on one page, what a director reads before a visit: its sentra, its money
over the years, its monev reports and open findings. Scoped like everything else (another region answers 404);
as a page, a PDF, an XLSX workbook and the API twin `/api/v1/reports/region/<code>/`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal.accounts.scoping import Scope
from dakportal.regions.models import Regency


def profile(request: HttpRequest, code: str) -> dict[str, Any]:
    from allocations.models import Allocation
    from monev.models import Finding, MonevReport
    from sentra.models import Sentra

    regency = Regency.objects.select_related("province").filter(code=code).first()
    user = request.user
    if regency is None or not Scope.of(user).allows(regency):
        raise Http404
    sentra = Sentra.objects.for_user(user).filter(regency=regency)
    allocations = Allocation.objects.for_user(user).filter(regency=regency)
    money = list(
        allocations.with_totals()
        .order_by("year")
        .values("year")
        .annotate(amount=Sum("amount"), received=Sum("received"), spent=Sum("spent"))
    )
    from monev.choices import ReportStatus
    from sentra.choices import SentraStatus

    by_status = list(sentra.order_by().values("status").annotate(count=Count("pk")).order_by("status"))
    for row in by_status:
        row["label"] = str(SentraStatus(row["status"]).label)
    reports = list(
        MonevReport.objects.for_user(user).filter(sentra__regency=regency)
        .order_by("-year", "-quarter").values("pk", "year", "quarter", "status", "sentra__name")[:20]
    )  # fmt: skip
    for row in reports:
        row["label"] = str(ReportStatus(row["status"]).label)
    return {
        "regency": regency,
        "sentra_by_status": by_status,
        "sentra_total": sentra.count(),
        "idle": list(sentra.idle().order_by("status_since").values("pk", "name", "status", "status_since")),
        "money": money,
        "reports": reports,
        "open_findings": list(
            Finding.objects.for_user(user)
            .filter(regency=regency, status="open")
            .order_by("due_date")
            .values("pk", "title", "category", "follow_up_class", "due_date", "loss_value")
        ),  # fmt: skip
        "findings_summary": Finding.objects.for_user(user)
        .filter(regency=regency)
        .aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status="closed"))),
        "generated": timezone.localtime(),
    }


@login_required
def region_profile(request: HttpRequest, code: str) -> HttpResponse:
    context = profile(request, code)
    export = request.GET.get("export")
    if export == "pdf":
        from dakportal.reporting.pdf import pdf_response

        return pdf_response("reports/region_pdf.html", context, request, f"profil-{code}")
    if export == "xlsx":
        from dakportal.spreadsheets import xlsx_response

        rows = [[m["year"], m["amount"], m["received"], m["spent"]] for m in context["money"]]
        return xlsx_response(f"profil-{code}", ["year", "pagu", "received", "spent"], rows, money_columns=[1, 2, 3],
                             notes=[str(context["regency"])])  # fmt: skip
    return render(request, "reports/region.html", context)


@extend_schema(
    responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Unknown or outside your region.")}
)
@api_view(["GET"])
def region_profile_api(request: Request, code: str) -> Response:
    context = profile(request._request, code)
    regency = context.pop("regency")
    context.pop("generated")
    return Response({"regency": regency.code, "name": regency.name, **context})


@login_required
def region_index(request: HttpRequest) -> HttpResponse:
    regencies = Scope.of(request.user).regencies().select_related("province").order_by("province", "code")
    if not Scope.of(request.user).national:
        regencies = regencies[:50]
    return render(request, "reports/region_index.html", {"regencies": regencies})

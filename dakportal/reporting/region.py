"""The region profile (#6): one kab/kota on one page, what a director reads before a visit: its sentra, its money
over the years, its monev reports and open findings. Scoped like everything else (another region answers 404);
as a page, a PDF, an XLSX workbook and the API twin `/api/v1/reports/region/<code>/`. Its sections are the apps'
(#16): each registers its cards with `register_section()` (`sentra/region.py`, `allocations/region.py`,
`monev/region.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
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


# ---------------------------------------------------------------------------------------------------------------------
# The sections: each app registers its cards in its AppConfig.ready() (#16: the foundation knows no app)
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """One card of the region profile: `data(user, regency)` gives the names its template (a card body) reads, scoped
    to the user; those names are also the API's keys. `sheet(data)` (one section's), the XLSX export: a header, the
    rows and the rupiah columns."""

    name: str  # the card's test id: `region-<name>`
    template: str
    data: Callable[[Any, Regency], dict[str, Any]]
    order: int = 0
    sheet: Callable[[dict[str, Any]], tuple[list[str], list[list[Any]], list[int]]] | None = None


SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    SECTIONS[:] = sorted([s for s in SECTIONS if s.name != section.name] + [section], key=lambda s: s.order)


def profile(request: HttpRequest, code: str) -> dict[str, Any]:
    regency = Regency.objects.select_related("province").filter(code=code).first()
    user = request.user
    if regency is None or not Scope.of(user).allows(regency):
        raise Http404
    context: dict[str, Any] = {"regency": regency, "sections": SECTIONS}
    for section in SECTIONS:
        context |= section.data(user, regency)
    context["generated"] = timezone.localtime()
    return context


@login_required
def region_profile(request: HttpRequest, code: str) -> HttpResponse:
    context = profile(request, code)
    export = request.GET.get("export")
    if export == "pdf":
        from dakportal.reporting.pdf import pdf_response

        return pdf_response("reports/region_pdf.html", context, request, f"profil-{code}")
    if export == "xlsx":
        from dakportal.spreadsheets import xlsx_response

        sheet = next((section.sheet for section in SECTIONS if section.sheet), None)
        header, rows, money = sheet(context) if sheet else ([], [], [])
        return xlsx_response(f"profil-{code}", header, rows, money_columns=money, notes=[str(context["regency"])])
    return render(request, "reports/region.html", context)


@extend_schema(
    responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Unknown or outside your region.")}
)
@api_view(["GET"])
def region_profile_api(request: Request, code: str) -> Response:
    context = profile(request._request, code)
    regency = context.pop("regency")
    context.pop("generated")
    context.pop("sections")
    return Response({"regency": regency.code, "name": regency.name, **context})


@login_required
def region_index(request: HttpRequest) -> HttpResponse:
    regencies = Scope.of(request.user).regencies().select_related("province").order_by("province", "code")
    if not Scope.of(request.user).national:
        regencies = regencies[:50]
    return render(request, "reports/region_index.html", {"regencies": regencies})

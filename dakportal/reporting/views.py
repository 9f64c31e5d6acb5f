"""Rendering a report (#6): the page, CSV, XLSX, PDF, and the API twin `/api/v1/reports/<slug>/`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal import formatting
from dakportal.exports import csv_response
from dakportal.jobs.exports import in_background, start_export
from dakportal.reporting.base import REGISTRY, Built, Report
from dakportal.reporting.pdf import pdf_response
from dakportal.reporting.svg import chart_svg
from dakportal.spreadsheets import xlsx_response


def _report(request: HttpRequest, slug: str) -> Report:
    report_class = REGISTRY.get(slug)
    if report_class is None:
        raise Http404
    if not request.user.has_perm(report_class.permission):
        raise PermissionDenied
    return report_class(request)


def _filename(built: Built) -> str:
    return f"{built.report.slug}-{timezone.localdate().isoformat()}"


def _formatted(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "money":
        return formatting.rupiah(int(value))
    if kind == "percent":
        return formatting.percent(value)
    if kind == "int":
        return formatting.number(value)
    return str(value)


@login_required
def report_page(request: HttpRequest, slug: str) -> HttpResponseBase:
    report = _report(request, slug)
    built = report.build()
    export = request.GET.get("export")
    columns, rows = built.table()
    if export in ("csv", "xlsx") and in_background(request, len(rows)):
        return start_export(request, f"{report.title} ({export.upper()})", rows=len(rows))
    header = [str(c.label) for c in columns]
    if export == "csv":
        return csv_response(built.report.slug, header, rows)
    if export == "xlsx":
        money = [i for i, c in enumerate(columns) if c.kind == "money"]
        notes = [str(report.title), *(f"{label}: {value}" for label, value in built.filters)]
        return xlsx_response(_filename(built), header, rows, money_columns=money, notes=notes)
    # #11: a page shows the first REPORT_PAGE_ROWS rows and a PDF the first PDF_MAX_ROWS (WeasyPrint holds about
    # 140 KB per row while laying out); both say so and point to the CSV and XLSX, which have every row.
    shown = settings.PDF_MAX_ROWS if export == "pdf" else settings.REPORT_PAGE_ROWS
    display = [[_formatted(value, c.kind) for value, c in zip(row, columns, strict=True)] for row in rows[:shown]]
    totals = built.totals()
    links = [[row.get(c.link, "") if c.link else "" for c in columns] for row in built.rows[:shown]]
    context = {
        "cells": [list(zip(values, urls, strict=True)) for values, urls in zip(display, links, strict=True)],
        "report": report, "built": built, "columns": columns, "rows": display, "total_rows": len(rows),
        "form": report.form, "querystring": request.GET.urlencode(), "chart": built.chart_data(),
        "totals": [_formatted(v, c.kind) if v is not None else "" for v, c in zip(totals, columns, strict=True)]
        if totals else None,
        "extra_charts": [] if export == "pdf" else report.extra_charts(built),
        "chart_rows": len(report.chart_rows(built.rows)),
    }  # fmt: skip
    if export == "pdf":
        context["chart_svg"] = chart_svg(context["chart"])
        return pdf_response("reports/report_pdf.html", context, request, _filename(built))
    return render(request, "reports/report.html", context)


@extend_schema(
    parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, enum=sorted(REGISTRY))],
    responses={200: OpenApiTypes.OBJECT, 403: OpenApiResponse(description="The role may not read this report.")},
)
@api_view(["GET"])
def report_api(request: Request, slug: str) -> Response:
    """The API twin of a report: the same rows as the page, with the filters applied and the column kinds."""
    report = _report(request._request, slug)
    built = report.build()
    columns = report.get_columns(built)
    return Response(
        {
            "report": report.slug,
            "title": str(report.title),
            "filters": dict(built.filters),
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in columns],
            "rows": [{c.key: row.get(c.key) for c in columns} for row in built.rows],
        }
    )


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    # plain dicts: a template would call a class (it is callable) instead of reading its attributes
    reports = [
        {"slug": r.slug, "title": r.title, "description": r.description}
        for r in REGISTRY.values()
        if request.user.has_perm(r.permission)
    ]
    return render(request, "reports/index.html", {"reports": reports})

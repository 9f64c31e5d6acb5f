"""PDF documents (#6, #13): one way to turn a template into a PDF download (WeasyPrint), for the reports and for
the documents the portal issues, such as Itjen's Laporan Hasil Monev with the ministry's letterhead
(`reports/letterhead.html`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """The PDF of `template` rendered with `context` (images and styles resolved against the portal's address)."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())


def pdf_response(template: str, context: dict[str, Any], request: HttpRequest, filename: str) -> HttpResponse:
    """A PDF download named `filename` (without `.pdf`)."""
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response

"""Spreadsheet import pages of the registry (#3): the template, the upload with its dry run, the confirmation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from dakportal.generic import LoginRequiredMixin
from dakportal.spreadsheets import read_table, xlsx_response
from sentra.imports import COLUMNS, MONEY_COLUMNS, REQUIRED, import_sentra

SESSION_KEY = "sentra_import_file"


def import_template(request: HttpRequest) -> HttpResponse:
    """An empty workbook with the import columns and an explanation sheet."""
    if not request.user.is_authenticated:
        return redirect("login")
    header = [column for column, _name, _kind in COLUMNS]
    example = [
        "",
        "Sentra Contoh",
        "32.73.01.1001",
        "Jl. Contoh 1",
        -6.9,
        107.6,
        "pangan",
        "10710",
        "Roti",
        12,
        40,
        1000,
        "kg/bulan",
        500000000,
        750000000,
        "",
        "",
        "",
        "pemda",
        "",
        "",
        "",
        "none",
        "ya",
        "koperasi",
        "Koperasi Contoh",
        "",
        "Dinas",
        "operating",
    ]
    notes = [
        _("One row per sentra. Required columns: %(columns)s.") % {"columns": ", ".join(sorted(REQUIRED))},
        _("Leave id empty for a new sentra; an existing sentra (same name in the same desa) is updated."),
        _("village_code is the Kemendagri code of the desa/kelurahan, e.g. 32.73.01.1001."),
        _("Money in whole rupiah, without decimals."),
        _("Delete the example row before importing."),
    ]
    return xlsx_response(
        "sentra-template", header, [example], money_columns=[header.index(c) for c in MONEY_COLUMNS], notes=notes
    )


class SentraImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST with a file: the dry run. POST `confirm`: apply the file checked before."""

    template_name = "sentra/sentra_import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("sentra.add_sentra"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self.confirm(request)
        upload = request.FILES.get("file")
        if upload is None:
            return render(request, self.template_name, {"error": _("Choose a file to upload.")})
        try:
            table = read_table(upload)
        except ValidationError as error:
            return render(request, self.template_name, {"error": " ".join(error.messages)})
        result = import_sentra(table, acting_user=request.user, dry_run=True)
        if result.ok:
            upload.seek(0)
            name = default_storage.save(f"imports/{uuid.uuid4().hex}-{upload.name[-5:]}", ContentFile(upload.read()))
            request.session[SESSION_KEY] = name
        return render(request, self.template_name, {"result": result, "dry_run": True, "filename": upload.name})

    def confirm(self, request: HttpRequest) -> HttpResponse:
        name = request.session.pop(SESSION_KEY, None)
        if not name or not default_storage.exists(name):
            messages.error(request, _("The checked file is no longer available: upload it again."))
            return redirect("sentra:sentra_import")
        with default_storage.open(name, "rb") as handle:
            table = read_table(_Named(handle, name))
        default_storage.delete(name)
        result = import_sentra(table, acting_user=request.user, dry_run=False)
        if not result.ok:
            return render(request, self.template_name, {"result": result, "dry_run": False})
        messages.success(
            request,
            _("Import done: %(created)d sentra created, %(updated)d updated.")
            % {"created": len(result.created), "updated": len(result.updated)},
        )
        return redirect("sentra:sentra_list")


class _Named:
    """A stored file read back with the name that tells its format."""

    def __init__(self, handle: Any, name: str) -> None:
        self.handle, self.name = handle, name

    def read(self) -> bytes:
        return self.handle.read()  # type: ignore[no-any-return]

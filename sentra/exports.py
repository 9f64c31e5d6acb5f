"""Spreadsheet import of the registry (#3): the template and the import page (dry run, then all or nothing)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dakportal.generic import ImportView
from dakportal.spreadsheets import xlsx_response
from sentra.imports import COLUMNS, MONEY_COLUMNS, REQUIRED, import_sentra


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """A workbook with the import columns, an example row and an explanation sheet."""
    header = [column for column, _name, _kind in COLUMNS]
    example = ["", "Sentra Contoh", "32.73.01.1001", "Jl. Contoh 1", -6.9, 107.6, "pangan", "10710", "Roti", 12, 40,
               1000, "kg/bulan", 500000000, 750000000, "", "", "", "pemda", "", "", "", "none", "ya", "koperasi",
               "Koperasi Contoh", "", "Dinas", "operating"]  # fmt: skip
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


class SentraImportView(ImportView):
    permission = "sentra.add_sentra"
    title = gettext_lazy("Import sentra from a spreadsheet")
    template_url = reverse_lazy("sentra:sentra_import_template")
    success_url = reverse_lazy("sentra:sentra_list")
    samples = [
        ("sentra.csv", gettext_lazy("three sentra in Kota Bandung: imports cleanly")),
        ("sentra-with-mistakes.csv", gettext_lazy("the same with typical mistakes: the check lists each one")),
    ]
    sample_url_name = "sentra:sentra_import_sample"

    def run_import(self, table: Any, user: Any, dry_run: bool) -> Any:
        return import_sentra(table, acting_user=user, dry_run=dry_run)

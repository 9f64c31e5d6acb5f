"""Sentra registry pages (#3): declarations on the generic views; writes through `sentra.services`."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Prefetch, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dakportal.accounts.requests import signed_in
from dakportal.accounts.scoping import sees_personal_data
from dakportal.generic import (
    ImportView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectPermissionMixin,
    permission_required,
)
from dakportal.panels import Button, Panel, StatusBadge
from dakportal.spreadsheets import xlsx_response
from dakportal.uploads import file_response
from sentra import services
from sentra.choices import SentraStatus
from sentra.filtersets import IKMUnitFilterSet, SentraFilterSet
from sentra.forms import DocumentForm, FacilityForm, IKMUnitForm, SentraForm, StatusChangeForm
from sentra.imports import import_sentra
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument
from sentra.querysets import ASPECTS, CHECKLIST, missing_items
from sentra.spreadsheet import COLUMNS, MONEY_COLUMNS, REQUIRED, export_row


class SentraListView(ObjectListView):
    queryset = Sentra.objects.select_related("regency__province", "village").with_profile().with_unit_counts()
    filterset_class = SentraFilterSet
    template_name = "sentra/sentra_list.html"
    title = gettext_lazy("Sentra IKM")
    columns = [
        ("name", gettext_lazy("Name")),
        ("regency__name", gettext_lazy("Kab/kota")),
        ("regency__province__name", gettext_lazy("Province")),
        ("commodity_group", gettext_lazy("Commodity")),
        ("status", gettext_lazy("Status")),
        ("unit_count", gettext_lazy("Members")),
        ("completeness", gettext_lazy("Completeness (%)")),
        ("is_idle", gettext_lazy("Built but idle")),
    ]
    sortable = ("name", "regency__name", "regency__province__name", "status", "unit_count", "completeness")
    export_name = "sentra"

    def get_export_table(self, queryset: Any) -> tuple[list[str], Any]:
        """The import columns (so an export can be edited and imported back), then the computed profile."""
        header = [column for column, _name, _kind in COLUMNS] + ["kab_kota", "completeness", "built_but_idle"]
        rows = (export_row(s) + [s.regency_id, s.completeness, s.is_idle] for s in queryset.iterator(2000))
        return header, rows

    def money_columns(self, header: list[str]) -> list[int]:
        return [header.index(column) for column in MONEY_COLUMNS]


class SentraDetailView(ObjectDetailView):
    queryset = (
        Sentra.objects.select_related("regency__province", "village__district")
        .with_profile()
        .prefetch_related(
            Prefetch("units", queryset=IKMUnit.objects.order_by("business_name")),
            "facilities",
            Prefetch("documents", queryset=SentraDocument.objects.select_related("uploaded_by")),
            "status_changes__changed_by",
        )
    )
    template_name = "sentra/sentra_detail.html"  # the generic page, with the flags beside the status
    list_url = "sentra:sentra_list"
    list_title = gettext_lazy("Sentra IKM")
    status = StatusBadge()
    record_warnings = True
    panels = [
        Panel("sentra/panels/profile.html", gettext_lazy("Profile"), width="col-lg-8"),
        Panel("sentra/panels/completeness.html", gettext_lazy("Completeness"), width="col-lg-4", testid="completeness"),
        Panel("sentra/panels/units.html", gettext_lazy("Member IKM units"), id="units"),
        Panel("sentra/panels/facilities.html", gettext_lazy("Facilities"), id="facilities"),
        Panel("sentra/panels/funding.html", gettext_lazy("Funding history (DAK)"), id="funding"),
        Panel("sentra/panels/monev.html", gettext_lazy("Monev history"), id="monev"),
        Panel("sentra/panels/documents.html", gettext_lazy("Documents and photos"), id="documents"),
        Panel("sentra/panels/status.html", gettext_lazy("Status history"), id="status"),
    ]

    def get_breadcrumbs(self) -> list[tuple[str | Promise, str]]:
        regency = self.object.regency
        return [*super().get_breadcrumbs(), (regency.name, f"{reverse('sentra:sentra_list')}?regency={regency.pk}")]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        pk = self.object.pk
        buttons = []
        if context["can_change"]:
            buttons.append(Button(_("Edit"), reverse("sentra:sentra_edit", args=[pk])))
        if context["can_delete"]:
            buttons.append(Button(_("Delete"), reverse("sentra:sentra_delete", args=[pk]), style="outline-danger"))
        return buttons

    def get_extra_context(self) -> dict[str, Any]:
        sentra = self.object
        user = self.request.user
        can_change = Sentra.objects.for_user(user, "change").filter(pk=sentra.pk).exists()
        missing = missing_items(sentra)
        return {
            "can_change": can_change,
            "can_delete": can_change and user.has_perm("sentra.delete_sentra"),
            "aspects": [
                {"key": key, "label": label, "score": getattr(sentra, f"score_{key}"), "missing": missing[key]}
                for key, label in ASPECTS.items()
            ],
            "checklist_size": len(CHECKLIST),
            "show_nik": sees_personal_data(user, sentra.regency),
            "status_form": StatusChangeForm(initial={"status": sentra.status}),
            "funding": funding_history(sentra, user),
            "monev_reports": sentra.monev_reports.for_user(user).order_by("-year", "-quarter")[:12],
            "findings": sentra.findings.for_user(user).order_by("-created")[:12],
            "document_form": DocumentForm(),
        }


def funding_history(sentra: Sentra, user: Any) -> list[dict[str, Any]]:
    """What DAK planned at this sentra, per year and allocation (one query, summed in SQL)."""
    from allocations.choices import PlanStatus
    from allocations.models import ActivityItem

    items = ActivityItem.objects.for_user(user).filter(sentra=sentra)
    rows = list(
        items.values("allocation_id", "allocation__year", "allocation__plan_status")
        .annotate(value=Sum("value"), lines=Count("pk"))
        .order_by("-allocation__year")
    )
    for row in rows:
        row["plan_status"] = PlanStatus(row["allocation__plan_status"]).label
    return rows


class SentraEditView(ObjectEditView):
    queryset = Sentra.objects.all()
    form_class = SentraForm
    template_name = "sentra/sentra_form.html"

    def render_form(self, form: Any, obj: Model | None, **extra: Any) -> HttpResponse:
        return super().render_form(form, obj, tiles=settings.MAP_TILES, **extra)  # #14: the point picker's map

    def save_form(self, form: Any) -> Model:
        return services.save_sentra(
            form.instance, acting_user=self.request.user, reason=form.cleaned_data.get("reason", "")
        )


class SentraDeleteView(ObjectDeleteView):
    queryset = Sentra.objects.all()
    success_url = "/sentra/"

    def delete_object(self, obj: Model) -> None:
        sentra = cast(Sentra, obj)  # from this view's queryset
        services.delete_sentra(sentra, acting_user=signed_in(self.request))


class SentraStatusView(ObjectPermissionMixin, View):
    """POST: record a status change with its reason (from the detail page)."""

    queryset = Sentra.objects.all()
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sentra = get_object_or_404(self.get_queryset(), pk=pk)
        form = StatusChangeForm(request.POST)
        if form.is_valid():
            try:
                services.change_status(sentra, acting_user=request.user, **form.cleaned_data)
                messages.success(request, _("The status was changed."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(sentra.get_absolute_url() + "#status")


class DocumentUploadView(ObjectPermissionMixin, View):
    queryset = Sentra.objects.all()
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sentra = get_object_or_404(self.get_queryset(), pk=pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_document(
                    sentra,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    acting_user=request.user,
                )
                messages.success(request, _("The file was uploaded."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(sentra.get_absolute_url() + "#documents")


class DocumentDownloadView(ObjectPermissionMixin, View):
    """Serves a stored file only to users who may see its sentra (404 for anyone else)."""

    queryset = SentraDocument.objects.all()

    def get(self, request: HttpRequest, sentra_pk: int, pk: int) -> FileResponse:
        document = get_object_or_404(self.get_queryset(), pk=pk, sentra_id=sentra_pk)
        return file_response(document.file, content_type=document.content_type, name=f"document-{document.pk}")


class DocumentDeleteView(ObjectDeleteView):
    queryset = SentraDocument.objects.all()

    def get_object(self) -> Model:
        document: Model = get_object_or_404(
            self.get_queryset(), pk=self.kwargs["pk"], sentra_id=self.kwargs["sentra_pk"]
        )
        return document

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.success_url = f"/sentra/{kwargs['sentra_pk']}/#documents"
        return super().post(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------------------------------------
# Member units and facilities
# ---------------------------------------------------------------------------------------------------------------------
class IKMUnitListView(ObjectListView):
    queryset = IKMUnit.objects.select_related("sentra__regency")
    filterset_class = IKMUnitFilterSet
    title = gettext_lazy("IKM units")
    columns = [
        ("business_name", gettext_lazy("Business")),
        ("nib", gettext_lazy("NIB")),
        ("owner_name", gettext_lazy("Owner")),
        ("sentra__name", gettext_lazy("Sentra")),
        ("sentra__regency__name", gettext_lazy("Kab/kota")),
        ("size_class", gettext_lazy("Size class")),
    ]
    sortable = ("business_name", "nib", "sentra__name", "size_class")
    export_name = "ikm-units"


class ChildEditView(ObjectEditView):
    """Edit a unit or facility; a new one starts from `?sentra=<id>` and returns to the sentra's page."""

    def get_form(self, obj: Model | None) -> Any:
        form = super().get_form(obj)
        if obj is None and "sentra" in self.request.GET:
            form.initial["sentra"] = self.request.GET["sentra"]
        return form


class IKMUnitEditView(ChildEditView):
    queryset = IKMUnit.objects.all()
    form_class = IKMUnitForm

    def save_form(self, form: Any) -> Model:
        return services.save_unit(form.instance, acting_user=self.request.user)


class IKMUnitDeleteView(ObjectDeleteView):
    queryset = IKMUnit.objects.all()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.success_url = self.get_object().sentra.get_absolute_url()  # type: ignore[attr-defined]
        return super().post(request, *args, **kwargs)


class FacilityEditView(ChildEditView):
    queryset = Facility.objects.all()
    form_class = FacilityForm

    def save_form(self, form: Any) -> Model:
        return services.save_facility(form.instance, acting_user=self.request.user)


class FacilityDeleteView(IKMUnitDeleteView):
    queryset = Facility.objects.all()


@permission_required("sentra.view_sentra")
def sentra_map(request: HttpRequest) -> HttpResponse:
    """#14: the sentra of the user's scope on a map, filtered like the list (the points come from the API's
    `?format=geojson` with the same filters); the sentra without coordinates are counted and linked."""
    queryset = Sentra.objects.for_user(request.user)
    filterset = SentraFilterSet(request.GET, queryset=queryset, request=request)
    located = filterset.qs.filter(latitude__isnull=False) if filterset.is_valid() else queryset.none()
    missing = filterset.qs.filter(latitude__isnull=True).count() if filterset.is_valid() else 0
    query = request.GET.urlencode()
    return render(request, "sentra/sentra_map.html", {
        "filterset": filterset, "located": located.count(), "missing": missing, "querystring": query,
        "source": reverse("api:sentra-list") + "?format=geojson" + (f"&{query}" if query else ""),
        "tiles": settings.MAP_TILES, "statuses": SentraStatus.choices,
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------------
# Spreadsheet import (#3): the template and the import page (dry run, then all or nothing)
# ---------------------------------------------------------------------------------------------------------------------
@login_required
def sentra_import_template(request: HttpRequest) -> HttpResponse:
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
    permission_required = "sentra.add_sentra"
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

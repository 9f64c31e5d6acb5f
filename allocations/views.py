"""Allocation pages (#4): declarations on the generic views; writes through `allocations.services`."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from allocations import services
from allocations.filtersets import AllocationFilterSet
from allocations.forms import (
    ActivityItemForm,
    AllocationForm,
    ContractForm,
    DisbursementForm,
    PlanDecisionForm,
    QuarterlyPlanForm,
    RealisationForm,
    StageDocumentDecisionForm,
    StageDocumentForm,
    UnitCostCheckForm,
)
from allocations.imports import COLUMNS, import_allocations
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    QuarterlyPlan,
    Realisation,
    StageDocument,
)
from allocations.progress import plan_against_actual, scurve_chart
from allocations.querysets import UNIT_COST_MIN_PEERS
from allocations.stages import stage_statuses
from allocations.workflows import PLAN_STEPS
from dakportal.accounts.requests import signed_in
from dakportal.formatting import rupiah
from dakportal.generic import (
    ImportView,
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectPermissionMixin,
    scoped,
)
from dakportal.panels import Button, Panel
from dakportal.services import Conflict
from dakportal.spreadsheets import xlsx_response

MONEY = ("amount", "planned", "contracted", "received", "spent")


class AllocationListView(ObjectListView):
    queryset = Allocation.objects.select_related("regency__province", "sub_field").with_totals()
    filterset_class = AllocationFilterSet
    template_name = "allocations/allocation_list.html"
    title = gettext_lazy("DAK allocations")
    columns = [
        ("year", gettext_lazy("Year")),
        ("regency__name", gettext_lazy("Kab/kota")),
        ("regency__province__name", gettext_lazy("Province")),
        ("sub_field__name", gettext_lazy("Sub-field")),
        ("amount", gettext_lazy("Pagu (Rp)")),
        ("planned", gettext_lazy("Planned (Rp)")),
        ("received", gettext_lazy("Received (Rp)")),
        ("spent", gettext_lazy("Spent (Rp)")),
        ("absorption_received", gettext_lazy("Absorption of received (%)")),
        ("progress", gettext_lazy("Physical progress (%)")),
    ]
    sortable = ("year", "regency__name", "regency__province__name", "amount", "spent", "progress")
    export_name = "dak-allocations"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["totals"] = self.filterset.qs.totals()  # one query for the whole filtered set
        context["any_synthetic"] = self.filterset.qs.filter(synthetic=True).exists()
        return context

    money_paths = frozenset(MONEY)

    def money_columns(self, header: list[str]) -> list[int]:
        return [i for i, (path, _label) in enumerate(self.columns) if path in MONEY]


class AllocationDetailView(ObjectDetailView):
    queryset = (
        Allocation.objects.select_related("regency__province", "sub_field", "plan_decided_by")
        .with_totals()
        .prefetch_related(
            Prefetch(
                "activity_items", queryset=ActivityItem.objects.select_related("menu", "detail", "unit", "sentra")
            ),
            "realisations",
            # #9: voided money records stay visible, marked as voided; the totals above leave them out.
            Prefetch("contracts", queryset=Contract.all_objects.select_related("voided_by"), to_attr="all_contracts"),
            Prefetch(
                "disbursements",
                queryset=Disbursement.all_objects.select_related("voided_by", "rule"),
                to_attr="all_disbursements",
            ),
            Prefetch(
                "realisations", queryset=Realisation.all_objects.select_related("voided_by"), to_attr="all_realisations"
            ),
        )
    )
    template_name = "allocations/allocation_detail.html"  # the generic page, with the allocation's subtitle
    list_url = "allocations:allocation_list"
    list_title = gettext_lazy("DAK allocations")
    record_warnings = True
    # #16: pagu, plan, contracts, stages and the quarterly chart on one screen, each a panel.
    panels = [
        Panel("allocations/panels/figures.html"),
        Panel("allocations/panels/plan.html", gettext_lazy("Activity plan (RK)"), id="plan"),
        Panel("allocations/panels/contracts.html", gettext_lazy("Contracts"), id="contracts"),
        Panel("allocations/panels/stages.html", gettext_lazy("Disbursement stages"), id="stages"),
        Panel(
            "allocations/panels/realisation.html",
            gettext_lazy("Quarterly realisation"),
            id="realisation",
            scripts=("vendor/chart.js-4.6.1/chart.umd.min.js", "dakportal/charts.js"),
        ),
    ]

    def get_breadcrumbs(self) -> list[tuple[str | Promise, str]]:
        year = self.object.year
        return [*super().get_breadcrumbs(), (f"TA {year}", f"{reverse('allocations:allocation_list')}?year={year}")]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        if not context["can_edit_allocation"]:
            return []
        pk = self.object.pk
        return [
            Button(_("Edit"), reverse("allocations:allocation_edit", args=[pk])),
            Button(_("Delete"), reverse("allocations:allocation_delete", args=[pk]), style="outline-danger"),
        ]

    def get_extra_context(self) -> dict[str, Any]:
        allocation, user = self.object, self.request.user
        plan = QuarterlyPlan.objects.filter(allocation=allocation).first()
        progress = plan_against_actual(allocation, plan)
        return {
            "stages": stage_statuses(allocation),
            "quarterly_plan": plan,
            "progress": progress,
            "chart": scurve_chart(progress),
            "can_upload": user.has_perm("allocations.add_stagedocument"),
            "can_verify": user.has_perm("allocations.change_stagedocument"),
            "can_edit_allocation": user.has_perm("allocations.change_allocation"),
            "can_plan": user.has_perm("allocations.add_activityitem")
            and scoped(Allocation.objects.filter(pk=allocation.pk), user, "view").exists(),
            "can_disburse": user.has_perm("allocations.add_disbursement"),
            "can_decide": user.has_perm("allocations.change_allocation"),
            "plan_editable": allocation.plan_is_editable,
            "decision_form": PlanDecisionForm(),
        }


class AllocationEditView(ObjectEditView):
    queryset = Allocation.objects.all()
    form_class = AllocationForm

    def save_form(self, form: Any) -> Model:
        return services.save_allocation(form.instance, acting_user=self.request.user)


class AllocationDeleteView(ObjectDeleteView):
    queryset = Allocation.objects.all()
    success_url = reverse_lazy("allocations:allocation_list")


class AllocationChildEditView(ObjectEditView):
    """Add (under `/allocations/<allocation_pk>/...`) or edit a plan line, contract, disbursement or realisation.
    The allocation must be visible to the user; the record's own permission and region are checked as usual."""

    service: Any

    def get_allocation(self, obj: Model | None) -> Allocation:
        if obj is not None:
            return obj.allocation  # type: ignore[attr-defined,no-any-return]
        visible = Allocation.objects.for_user(self.request.user, "view")
        allocation: Allocation = get_object_or_404(visible, pk=self.kwargs["allocation_pk"])
        return allocation

    def get_form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {"allocation": self.get_allocation(obj)}

    def save_form(self, form: Any) -> Model:
        return type(self).service(form.instance, acting_user=self.request.user)  # type: ignore[no-any-return]


class ActivityItemEditView(AllocationChildEditView):
    queryset = ActivityItem.objects.select_related("allocation")
    form_class = ActivityItemForm
    template_name = "allocations/activityitem_form.html"
    service = services.save_item


class UnitCostCheckView(ObjectPermissionMixin, View):
    """`GET /allocations/<allocation_pk>/unit-cost-check/?detail=&unit=&unit_cost=[&item=]` (#17.4): the unit cost
    against the national median of the other lines of its detail, unit and year, as JSON for the plan form
    (static/allocations/unit-cost.js): `peers`, `median`, `low`, `high` (the usual range, whole rupiah), `ratio`,
    `outlier`, `summary` and `warning` (the model's message). The allocation must be in the user's scope (else 404);
    the median itself is a national figure. Bad input: 400 with the field's message."""

    queryset = Allocation.objects.all()

    def get(self, request: HttpRequest, allocation_pk: int) -> JsonResponse:
        allocation = get_object_or_404(self.get_queryset(), pk=allocation_pk)
        form = UnitCostCheckForm(request.GET, allocation=allocation)
        if not form.is_valid():
            return JsonResponse({name: [str(e) for e in errors] for name, errors in form.errors.items()}, status=400)
        data = form.cleaned_data
        line = data["item"]
        item = ActivityItem(
            pk=line.pk if line else None, allocation=allocation, detail=data["detail"], unit=data["unit"],
            unit_cost=data["unit_cost"],
        )  # fmt: skip
        check = item.unit_cost_check()
        assert check is not None
        if check.median is None:
            summary = _("Fewer than %(count)d other lines in the country: no national median to compare with yet.") % {
                "count": UNIT_COST_MIN_PEERS
            }
        else:
            summary = _("National median of %(peers)d other lines: %(median)s (usual range %(low)s–%(high)s).") % {
                "peers": check.peers, "median": rupiah(check.median_rupiah), "low": rupiah(check.low),
                "high": rupiah(check.high),
            }  # fmt: skip
        warnings = item.get_warnings()
        return JsonResponse(
            {
                "peers": check.peers,
                "median": check.median_rupiah,
                "low": check.low,
                "high": check.high,
                "ratio": str(check.ratio) if check.ratio is not None else None,
                "outlier": check.outlier,
                "summary": summary,
                "warning": str(warnings[0][1]) if warnings else "",
            }  # fmt: skip
        )


class ContractEditView(AllocationChildEditView):
    queryset = Contract.objects.select_related("allocation")
    form_class = ContractForm
    service = services.save_contract


class DisbursementEditView(AllocationChildEditView):
    queryset = Disbursement.objects.select_related("allocation")
    form_class = DisbursementForm
    service = services.record_disbursement

    def get_success_url(self, obj: Model) -> str:
        return obj.allocation.get_absolute_url() + "#stages"  # type: ignore[attr-defined,no-any-return]


class RealisationEditView(AllocationChildEditView):
    queryset = Realisation.objects.select_related("allocation")
    form_class = RealisationForm

    def save_form(self, form: Any) -> Model:
        photo = form.cleaned_data.get("upload")
        return services.record_realisation(form.instance, acting_user=self.request.user, photo=photo)

    def get_success_url(self, obj: Model) -> str:
        return obj.allocation.get_absolute_url() + "#realisation"  # type: ignore[attr-defined,no-any-return]


@login_required
def realisation_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A realisation's photo, only for users who may see its allocation (404 for anyone else)."""
    realisation = get_object_or_404(Realisation.all_objects.for_user(request.user), pk=pk)
    if not realisation.photo:
        raise Http404
    response = FileResponse(realisation.photo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


class QuarterlyPlanEditView(AllocationChildEditView):
    """`/allocations/<allocation_pk>/quarterly-plan/`: the allocation's quarterly plan, created the first time and
    changed afterwards, while the activity plan may change (#13.5)."""

    queryset = QuarterlyPlan.objects.select_related("allocation")
    form_class = QuarterlyPlanForm
    service = services.save_quarterly_plan

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            visible = Allocation.objects.for_user(request.user, "view")
            plan = QuarterlyPlan.objects.filter(allocation__in=visible, allocation_id=kwargs["allocation_pk"]).first()
            if plan is not None:  # an existing plan is edited: its own `change` permission and scope apply
                kwargs = {"pk": plan.pk}
                self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, obj: Model) -> str:
        return obj.allocation.get_absolute_url() + "#realisation"  # type: ignore[attr-defined,no-any-return]


class StageDocumentUploadView(AllocationChildEditView):
    """`/allocations/<allocation_pk>/documents/add/`: the region uploads a document a stage requires (#13)."""

    queryset = StageDocument.objects.select_related("allocation")
    form_class = StageDocumentForm

    def get_form(self, obj: Model | None) -> Any:
        form = super().get_form(obj)
        requirement = self.request.GET.get("requirement", "")
        if self.request.method == "GET" and requirement.isdigit():
            form.initial["requirement"] = int(requirement)
        return form

    def save_form(self, form: Any) -> Model:
        return services.upload_stage_document(
            form.instance, upload=form.cleaned_data.get("upload"), acting_user=self.request.user
        )

    def get_success_url(self, obj: Model) -> str:
        return obj.allocation.get_absolute_url() + "#stages"  # type: ignore[attr-defined,no-any-return]


class StageDocumentDecisionView(ObjectPermissionMixin, View):
    """`/allocations/documents/<pk>/verify/`: the ministry verifies a stage document or rejects it with a reason;
    the page shows the document (#13)."""

    action = "change"
    queryset = StageDocument.objects.select_related("allocation__regency", "requirement__rule", "uploaded_by")
    template_name = "allocations/stagedocument_decision.html"

    def get_object(self) -> StageDocument:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])  # type: ignore[no-any-return]

    def render_page(self, document: StageDocument, form: StageDocumentDecisionForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"object": document, "form": form}, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        form = StageDocumentDecisionForm(initial={"version": document.version, "decided_on": timezone.localdate()})
        return self.render_page(document, form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        form = StageDocumentDecisionForm(request.POST)
        if form.is_valid():
            verify = request.POST.get("decision") == "verify"
            try:
                services.decide_stage_document(
                    document, verify=verify, reason=form.cleaned_data["reason"] or "",
                    decided_on=form.cleaned_data["decided_on"], version=form.cleaned_data["version"],
                    acting_user=request.user,
                )  # fmt: skip
            except Conflict as conflict:
                form.add_error(None, str(conflict))
                return self.render_page(document, form, status=409)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("The document was verified.") if verify else _("The document was rejected.")
                )
                return redirect(document.get_absolute_url())
        return self.render_page(document, form, status=400)


@login_required
def stage_document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A stage document's file, only for users who may see its allocation (404 for anyone else)."""
    document = get_object_or_404(StageDocument.objects.for_user(request.user), pk=pk)
    response = FileResponse(document.file.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ActivityItemDeleteView(ObjectDeleteView):
    queryset = ActivityItem.objects.select_related("allocation")

    def delete_object(self, obj: Model) -> None:
        item = cast(ActivityItem, obj)  # from this view's queryset
        self.success_url = item.allocation.get_absolute_url()
        services.delete_item(item, acting_user=signed_in(self.request))


class PlanActionView(ObjectActionView):
    """POST submit (regional officer or ministry), approve or return (ministry, reason required to return)."""

    queryset = Allocation.objects.all()
    form_class = PlanDecisionForm
    anchor = "#plan"
    actions = PLAN_STEPS


class AllocationImportView(ImportView):
    permission_required = "allocations.add_allocation"
    title = gettext_lazy("Import allocations (ministry annex)")
    template_url = reverse_lazy("allocations:allocation_import_template")
    success_url = reverse_lazy("allocations:allocation_list")
    help_lines = [
        gettext_lazy("Columns: year, regency_code (Kemendagri code, former codes such as 91.01 accepted), amount in "
                     "whole rupiah; optional sub_field (revitalisasi or pembangunan), kind, legal_basis."),
        gettext_lazy("Amounts under Rp 10 juta are flagged: an annex in thousands or millions is a known slip."),
    ]  # fmt: skip
    samples = [
        ("allocations-annex.csv", gettext_lazy("an annex for 2022 (a former Papua code included): imports cleanly")),
        ("allocations-annex-with-mistakes.csv",
         gettext_lazy("the article's 2012, a DKI administrative city, a duplicate row, an amount in thousands")),
    ]  # fmt: skip
    sample_url_name = "allocations:allocation_import_sample"

    def run_import(self, table: Any, user: Any, dry_run: bool) -> Any:
        return import_allocations(table, acting_user=user, dry_run=dry_run)


def allocation_import_template(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    example = [2021, "32.73", 5_000_000_000, "revitalisasi", "reguler", "Perpres 123/2020", ""]
    return xlsx_response("allocations-template", COLUMNS, [example], money_columns=[2])

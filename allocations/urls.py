from __future__ import annotations

from typing import Any

from django.urls import path

from allocations import views
from allocations.models import Allocation, Contract, Disbursement, Realisation
from dakportal.generic import ImportSampleView, ObjectHistoryView, ObjectVoidView


def void(model: type[Contract | Disbursement | Realisation]) -> Any:
    return ObjectVoidView.as_view(queryset=model.objects.select_related("allocation"))


app_name = "allocations"
urlpatterns = [
    path("", views.AllocationListView.as_view(), name="allocation_list"),
    path("add/", views.AllocationEditView.as_view(), name="allocation_add"),
    path("import/", views.AllocationImportView.as_view(), name="allocation_import"),
    path("import/template.xlsx", views.allocation_import_template, name="allocation_import_template"),
    path(
        "import/samples/<str:name>",
        ImportSampleView.as_view(import_view=views.AllocationImportView),
        name="allocation_import_sample",
    ),
    path("<int:pk>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("<int:pk>/history/", ObjectHistoryView.as_view(queryset=Allocation.objects.all()), name="allocation_history"),
    path("<int:pk>/edit/", views.AllocationEditView.as_view(), name="allocation_edit"),
    path("<int:pk>/delete/", views.AllocationDeleteView.as_view(), name="allocation_delete"),
    path("<int:pk>/plan/<str:action>/", views.PlanActionView.as_view(), name="plan_action"),
    path("<int:allocation_pk>/items/add/", views.ActivityItemEditView.as_view(), name="activityitem_add"),
    path("<int:allocation_pk>/unit-cost-check/", views.UnitCostCheckView.as_view(), name="unit_cost_check"),
    path("items/<int:pk>/edit/", views.ActivityItemEditView.as_view(), name="activityitem_edit"),
    path("items/<int:pk>/delete/", views.ActivityItemDeleteView.as_view(), name="activityitem_delete"),
    path("<int:allocation_pk>/contracts/add/", views.ContractEditView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("contracts/<int:pk>/void/", void(Contract), name="contract_void"),
    path("<int:allocation_pk>/disbursements/add/", views.DisbursementEditView.as_view(), name="disbursement_add"),
    path("disbursements/<int:pk>/edit/", views.DisbursementEditView.as_view(), name="disbursement_edit"),
    path("disbursements/<int:pk>/void/", void(Disbursement), name="disbursement_void"),
    path("<int:allocation_pk>/realisations/add/", views.RealisationEditView.as_view(), name="realisation_add"),
    path("realisations/<int:pk>/edit/", views.RealisationEditView.as_view(), name="realisation_edit"),
    path("realisations/<int:pk>/void/", void(Realisation), name="realisation_void"),
    path("realisations/<int:pk>/photo/", views.realisation_photo, name="realisation_photo"),
    path("<int:allocation_pk>/quarterly-plan/", views.QuarterlyPlanEditView.as_view(), name="quarterlyplan_edit"),
    path("<int:allocation_pk>/documents/add/", views.StageDocumentUploadView.as_view(), name="stagedocument_add"),
    path("documents/<int:pk>/verify/", views.StageDocumentDecisionView.as_view(), name="stagedocument_verify"),
    path("documents/<int:pk>/file/", views.stage_document_file, name="stagedocument_file"),
]

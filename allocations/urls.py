from __future__ import annotations

from django.urls import path

from allocations import views

app_name = "allocations"
urlpatterns = [
    path("", views.AllocationListView.as_view(), name="allocation_list"),
    path("add/", views.AllocationEditView.as_view(), name="allocation_add"),
    path("import/", views.AllocationImportView.as_view(), name="allocation_import"),
    path("import/template.xlsx", views.allocation_import_template, name="allocation_import_template"),
    path("<int:pk>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("<int:pk>/edit/", views.AllocationEditView.as_view(), name="allocation_edit"),
    path("<int:pk>/delete/", views.AllocationDeleteView.as_view(), name="allocation_delete"),
    path("<int:pk>/plan/<str:action>/", views.PlanActionView.as_view(), name="plan_action"),
    path("<int:allocation_pk>/items/add/", views.ActivityItemEditView.as_view(), name="activityitem_add"),
    path("items/<int:pk>/edit/", views.ActivityItemEditView.as_view(), name="activityitem_edit"),
    path("items/<int:pk>/delete/", views.ActivityItemDeleteView.as_view(), name="activityitem_delete"),
    path("<int:allocation_pk>/contracts/add/", views.ContractEditView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("<int:allocation_pk>/disbursements/add/", views.DisbursementEditView.as_view(), name="disbursement_add"),
    path("<int:allocation_pk>/realisations/add/", views.RealisationEditView.as_view(), name="realisation_add"),
    path("realisations/<int:pk>/edit/", views.RealisationEditView.as_view(), name="realisation_edit"),
    path("realisations/<int:pk>/photo/", views.realisation_photo, name="realisation_photo"),
]

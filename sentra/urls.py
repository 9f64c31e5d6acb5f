from __future__ import annotations

from django.urls import path

from dakportal.generic import ChoicesView, ImportSampleView, ObjectHistoryView
from sentra import views
from sentra.models import Sentra

sentra_choices = ChoicesView.as_view(queryset=Sentra.objects.all(), search_fields=("name",))

app_name = "sentra"
urlpatterns = [
    path("", views.SentraListView.as_view(), name="sentra_list"),
    path("map/", views.sentra_map, name="sentra_map"),
    path("add/", views.SentraEditView.as_view(), name="sentra_add"),
    path("import/", views.SentraImportView.as_view(), name="sentra_import"),
    path("import/template.xlsx", views.sentra_import_template, name="sentra_import_template"),
    path(
        "import/samples/<str:name>",
        ImportSampleView.as_view(import_view=views.SentraImportView),
        name="sentra_import_sample",
    ),
    path("choices/", sentra_choices, name="sentra_choices"),
    path("<int:pk>/", views.SentraDetailView.as_view(), name="sentra_detail"),
    path("<int:pk>/history/", ObjectHistoryView.as_view(queryset=Sentra.objects.all()), name="sentra_history"),
    path("<int:pk>/edit/", views.SentraEditView.as_view(), name="sentra_edit"),
    path("<int:pk>/delete/", views.SentraDeleteView.as_view(), name="sentra_delete"),
    path("<int:pk>/status/", views.SentraStatusView.as_view(), name="sentra_status"),
    path("<int:pk>/documents/", views.DocumentUploadView.as_view(), name="document_add"),
    path("<int:sentra_pk>/documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<int:sentra_pk>/documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("units/", views.IKMUnitListView.as_view(), name="ikmunit_list"),
    path("units/add/", views.IKMUnitEditView.as_view(), name="ikmunit_add"),
    path("units/<int:pk>/edit/", views.IKMUnitEditView.as_view(), name="ikmunit_edit"),
    path("units/<int:pk>/delete/", views.IKMUnitDeleteView.as_view(), name="ikmunit_delete"),
    path("facilities/add/", views.FacilityEditView.as_view(), name="facility_add"),
    path("facilities/<int:pk>/edit/", views.FacilityEditView.as_view(), name="facility_edit"),
    path("facilities/<int:pk>/delete/", views.FacilityDeleteView.as_view(), name="facility_delete"),
]

from __future__ import annotations

from django.urls import path

from dakportal.generic import ChoicesView
from dakportal.regions import views
from dakportal.regions.models import Regency

# #13: the kab/kota to pick in a form, searched as one types (active, autonomous: those that receive DAK)
regency_choices = ChoicesView.as_view(
    queryset=Regency.objects.filter(active=True, autonomous=True), search_fields=("name", "code")
)

app_name = "regions"
urlpatterns = [
    path("", views.RegencyListView.as_view(), name="regency_list"),
    path("villages/", views.village_options, name="village_options"),
    path("choices/", regency_choices, name="regency_choices"),
    path("<str:pk>/", views.RegencyDetailView.as_view(), name="regency_detail"),
]

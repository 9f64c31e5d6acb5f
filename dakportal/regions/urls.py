from __future__ import annotations

from django.urls import path

from dakportal.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegencyListView.as_view(), name="regency_list"),
    path("villages/", views.village_options, name="village_options"),
    path("<str:pk>/", views.RegencyDetailView.as_view(), name="regency_detail"),
]

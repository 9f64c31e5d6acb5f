from __future__ import annotations

from django.urls import path

from dakportal.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegencyListView.as_view(), name="regency_list"),
    path("<str:pk>/", views.RegencyDetailView.as_view(), name="regency_detail"),
]

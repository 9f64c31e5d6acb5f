from django.urls import path

from tests.scoping import views

app_name = "scoping"
urlpatterns = [
    path("", views.WidgetListView.as_view(), name="widget_list"),
    path("add/", views.WidgetEditView.as_view(), name="widget_add"),
    path("<int:pk>/", views.WidgetDetailView.as_view(), name="widget_detail"),
]

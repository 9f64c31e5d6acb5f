from django.urls import include, path

from dakportal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    path("widgets/", include("tests.scoping.urls")),
    path("api/v1/", include(("tests.scoping.api_urls", "widget-api"))),
]

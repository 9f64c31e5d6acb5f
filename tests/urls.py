from django.urls import include, path

from dakportal.urls import handler400, handler500  # noqa: F401 - the error pages of the portal
from dakportal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    path("widgets/", include("tests.scoping.urls")),
    path("api/v1/", include(("tests.scoping.api_urls", "widget-api"))),
]

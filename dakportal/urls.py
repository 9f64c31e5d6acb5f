from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dakportal import views
from dakportal.accounts.forms import LoginForm
from dakportal.api.root import ApiRootView
from dakportal.api.views import ObtainTokenView
from dakportal.observability import health, metrics
from dakportal.reporting import region as region_reports
from dakportal.reporting import views as report_views

# Swagger UI sets inline styles: allow them on this one page, nothing else (scripts stay 'self' only).
api_docs = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

admin.site.site_header = "DAK Portal"
admin.site.site_title = "DAK Portal"

api_v1: list[URLPattern | URLResolver] = [
    path("", ApiRootView.as_view(), name="root"),  # #12: before the apps' routers, whose roots list only their own
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("", include("dakportal.regions.api.urls")),
    path("", include("sentra.api.urls")),
    path("", include("allocations.api.urls")),
    path("", include("monev.api.urls")),
    path("", include("dakportal.history.api.urls")),
    path("", include("dakportal.jobs.api.urls")),
    path("reports/region/<str:code>/", region_reports.region_profile_api, name="region-profile"),
    path("reports/<slug:slug>/", report_views.report_api, name="report"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),  # #15: database, storage, task worker
    path("metrics", metrics.metrics, name="metrics"),  # #15: Prometheus, allowed callers only
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("favicon.ico", views.favicon),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", include("dakportal.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("regions/", include("dakportal.regions.urls")),
    path("sentra/", include("sentra.urls")),
    path("allocations/", include("allocations.urls")),
    path("monev/", include("monev.urls")),
    path("history/", include("dakportal.history.urls")),
    path("jobs/", include("dakportal.jobs.urls")),
    path("reports/", report_views.report_index, name="reports"),
    # #16: the per-year page became the framework's allocations report (grouped by year by default); old links follow
    path("reports/allocations-per-year/", RedirectView.as_view(url="/reports/allocations/", query_string=True)),
    path("reports/region/", region_reports.region_index, name="region_index"),
    path("reports/region/<str:code>/", region_reports.region_profile, name="region_profile"),
    path("reports/<slug:slug>/", report_views.report_page, name="report"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
]
# No URL serves MEDIA_ROOT: uploads are served only by the views that check the user's scope (#10).

handler400 = "dakportal.views.bad_request"
handler500 = "dakportal.views.server_error"

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from monev.api.views import FindingViewSet, MonevReportViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("monev/reports", MonevReportViewSet, basename="monevreport")
router.register("monev/findings", FindingViewSet, basename="finding")
urlpatterns = router.urls

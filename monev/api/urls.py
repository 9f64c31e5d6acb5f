from __future__ import annotations

from rest_framework.routers import DefaultRouter

from monev.api.views import AssignmentViewSet, FindingViewSet, MonevReportViewSet, VisitViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("monev/reports", MonevReportViewSet, basename="monevreport")
router.register("monev/findings", FindingViewSet, basename="finding")
router.register("monev/assignments", AssignmentViewSet, basename="assignment")  # #13
router.register("monev/visits", VisitViewSet, basename="visit")  # #13
urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from monev.api.views import (
    AllocationRiskView,
    AssignmentViewSet,
    EvidenceViewSet,
    FindingViewSet,
    FollowUpViewSet,
    MonevReportViewSet,
    NotificationViewSet,
    RecommendationViewSet,
    RegencyRiskView,
    ReportTransitionViewSet,
    RiskRuleViewSet,
    SentraRiskView,
    VisitViewSet,
)

router = DefaultRouter()
router.include_format_suffixes = False
router.register("monev/reports", MonevReportViewSet, basename="monevreport")
router.register("monev/findings", FindingViewSet, basename="finding")
router.register("monev/recommendations", RecommendationViewSet, basename="recommendation")  # #13
router.register(
    r"monev/recommendations/(?P<recommendation_pk>[0-9]+)/follow-ups",
    FollowUpViewSet,
    basename="recommendation-follow-ups",
)
router.register("monev/assignments", AssignmentViewSet, basename="assignment")  # #13
router.register("monev/visits", VisitViewSet, basename="visit")  # #13
router.register("monev/evidence", EvidenceViewSet, basename="evidence")
router.register(r"monev/reports/(?P<report_pk>[0-9]+)/transitions", ReportTransitionViewSet)
router.register("risk/rules", RiskRuleViewSet, basename="riskrule")  # #17
router.register("risk/regencies", RegencyRiskView, basename="risk-regencies")
router.register("risk/sentra", SentraRiskView, basename="risk-sentra")
router.register("risk/allocations", AllocationRiskView, basename="risk-allocations")
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls

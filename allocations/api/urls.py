from __future__ import annotations

from rest_framework.routers import DefaultRouter

from allocations.api.views import AllocationViewSet, QuarterlyPlanViewSet, RealisationViewSet, StageDocumentViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("allocations", AllocationViewSet)
router.register("realisations", RealisationViewSet)
router.register("quarterly-plans", QuarterlyPlanViewSet)
router.register("stage-documents", StageDocumentViewSet)
urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from allocations.api.views import AllocationViewSet, RealisationViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("allocations", AllocationViewSet)
router.register("realisations", RealisationViewSet)
urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from sentra.api.views import IKMUnitViewSet, SentraViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("sentra", SentraViewSet)
router.register("ikm-units", IKMUnitViewSet)
urlpatterns = router.urls

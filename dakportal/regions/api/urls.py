from __future__ import annotations

from rest_framework.routers import DefaultRouter

from dakportal.regions.api.views import ProvinceViewSet, RegencyViewSet

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("provinces", ProvinceViewSet)
router.register("regencies", RegencyViewSet)
urlpatterns = router.urls

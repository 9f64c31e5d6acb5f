from __future__ import annotations

from rest_framework.routers import DefaultRouter

from dakportal.regions.api.views import DistrictViewSet, ProvinceViewSet, RegencyViewSet, VillageViewSet

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("provinces", ProvinceViewSet)
router.register("regencies", RegencyViewSet)
router.register("districts", DistrictViewSet)
router.register("villages", VillageViewSet)
urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from sentra.api.views import (
    FacilityViewSet,
    IKMUnitViewSet,
    SentraDocumentViewSet,
    SentraStatusChangeViewSet,
    SentraViewSet,
)

router = DefaultRouter()
router.include_format_suffixes = False
router.register("sentra", SentraViewSet)
router.register("ikm-units", IKMUnitViewSet)
router.register("facilities", FacilityViewSet)
router.register("documents", SentraDocumentViewSet)
router.register(r"sentra/(?P<sentra_pk>[0-9]+)/status-changes", SentraStatusChangeViewSet)
urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from dakportal.history.api.views import EventViewSet

router = SimpleRouter()
router.register("history", EventViewSet, basename="event")
urlpatterns = router.urls

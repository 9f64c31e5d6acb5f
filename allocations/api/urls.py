from __future__ import annotations

from rest_framework.routers import DefaultRouter

from allocations.api.views import (
    ActivityItemViewSet,
    AllocationViewSet,
    ContractViewSet,
    DisbursementViewSet,
    FiscalYearViewSet,
    QuarterlyPlanViewSet,
    RealisationViewSet,
    ReferenceItemViewSet,
    StageDocumentViewSet,
)

router = DefaultRouter()
router.include_format_suffixes = False
router.register("allocations", AllocationViewSet)
router.register("realisations", RealisationViewSet)
router.register("activity-items", ActivityItemViewSet)
router.register("contracts", ContractViewSet)
router.register("disbursements", DisbursementViewSet)
router.register("reference-items", ReferenceItemViewSet)
router.register("fiscal-years", FiscalYearViewSet)
router.register("quarterly-plans", QuarterlyPlanViewSet)
router.register("stage-documents", StageDocumentViewSet)
urlpatterns = router.urls

"""The workflow steps of an allocation's activity plan (RK, #16.2): the permission each needs and the service that
takes it; the one table that the allocation's page (`PlanActionView.actions`) and its API
(`AllocationViewSet.workflow`, under `plan/`) both read."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from allocations import services
from dakportal.generic import Action

# The planner (the kab/kota, or the ministry for it) submits the plan; the ministry approves it or returns it,
# saying why.
PLAN_STEPS = {
    "submit": Action("allocations.add_activityitem", services.submit_plan,
                     done=_("The plan was submitted to the ministry.")),
    "approve": Action("allocations.change_allocation", partial(services.decide_plan, approve=True),
                      needs_reason=True, done=_("The plan was approved.")),
    "return": Action("allocations.change_allocation", partial(services.decide_plan, approve=False),
                     needs_reason=True, done=_("The plan was returned.")),
}  # fmt: skip

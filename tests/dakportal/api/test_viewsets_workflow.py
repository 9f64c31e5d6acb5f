"""#16.2: the workflow steps of a record have one table, read by its page and its API (`WorkflowMixin`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from allocations.api.views import AllocationViewSet
from allocations.testing import make_allocation, make_item
from allocations.views import PlanActionView
from dakportal.api.viewsets import WorkflowMixin
from monev.api.views import MonevReportViewSet, VisitViewSet
from monev.views import ReportActionView, VisitActionView
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def api_names(resolver: URLResolver | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names |= api_names(pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


@pytest.mark.parametrize(
    ("viewset", "page"),
    [(MonevReportViewSet, ReportActionView), (VisitViewSet, VisitActionView), (AllocationViewSet, PlanActionView)],
)
def test_the_page_and_the_api_read_one_table(viewset: type[WorkflowMixin], page: Any) -> None:
    assert viewset.workflow is page.actions
    names = api_names()
    for name, step in viewset.workflow.items():
        route = (viewset.workflow_prefix + name).replace("/", "-")
        assert any(found.endswith(f"-{route}") for found in names), route
        attribute = next(key for key in viewset.action_permissions if key.rstrip("_").endswith(name.replace("-", "_")))
        assert viewset.action_permissions[attribute] == (step.permission, step.scope)


@pytest.fixture
def submitted_plan(cast: Any) -> Any:
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a))
    allocation.refresh_from_db()
    return allocation


def test_a_plan_step_takes_the_version_it_was_based_on(cast: Any, submitted_plan: Any) -> None:
    """The plan's steps carry the version like every other workflow (#9): a stale one is 409, the current one
    moves the plan and raises the version."""
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    url = f"/api/v1/allocations/{submitted_plan.pk}/plan/submit/"
    stale = api.post(url, {"version": submitted_plan.version - 1 or 99}, format="json")
    assert stale.status_code == 409 and stale.json()["version"] == submitted_plan.version
    done = api.post(url, {"version": submitted_plan.version}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["plan_status"] == "submitted" and done.json()["version"] == submitted_plan.version + 1


def test_a_plan_step_needs_its_permission_and_its_reason(cast: Any, submitted_plan: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    assert api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/submit/", {}, format="json").status_code == 200
    refused = api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/approve/", {}, format="json")
    assert refused.status_code == 403  # deciding is the ministry's
    api.force_authenticate(cast.ministry_staff)
    no_reason = api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/return/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/typo/", {}, format="json").status_code == 404
    returned = api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/return/", {"reason": "Volume"}, format="json")
    assert returned.status_code == 200 and returned.json()["plan_status"] == "returned"


def test_another_regions_record_takes_no_step(cast: Any, submitted_plan: Any) -> None:
    api = APIClient()
    api.force_authenticate(cast.officer_b)
    assert api.post(f"/api/v1/allocations/{submitted_plan.pk}/plan/submit/", {}, format="json").status_code == 404

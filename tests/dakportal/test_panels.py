"""#16 point 3: every record's page is the one generic detail page, with panels declared by its view.

The detail views are enumerated from the URLconf (every view that is a Django `DetailView`), so a new detail page
that draws its own frame (extends `base.html`, or renders another template) fails here; and every `*_detail.html`
template left in the project is a thin extension of `generic/object_detail.html`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import DetailView

from allocations.testing import make_allocation
from dakportal.generic import DetailPage
from dakportal.jobs.models import Job
from dakportal.panels import Column, Panel
from dakportal.regions.models import Regency
from monev.testing import complete_visit, make_assignment, make_finding, make_report, make_team, make_visit
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db

GENERIC = "generic/object_detail.html"


def detail_views(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, type[DetailView[Any]]]:
    """{namespaced URL name: view class} of every DetailView of the portal's URLconf (the admin's, and the test
    app's of tests/scoping, aside)."""
    found: dict[str, type[DetailView[Any]]] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            found.update(detail_views(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", None)
            name = f"{namespace}:{pattern.name}".strip(":")
            portal = not name.startswith("admin:") and not view.__module__.startswith("tests.") if view else False
            if portal and isinstance(view, type) and issubclass(view, DetailView):
                found[name] = view
    return found


def test_every_detail_view_is_a_detail_page_with_declared_panels() -> None:
    views = detail_views()
    assert len(views) >= 8, sorted(views)  # the record pages of the apps and of the foundation
    for name, view in views.items():
        assert issubclass(view, DetailPage), f"{name}: {view.__name__} does not extend dakportal.generic.DetailPage"
        assert view.panels, f"{name}: {view.__name__} declares no panels"
        for item in view.panels:
            for panel in item.panels if isinstance(item, Column) else [item]:
                assert isinstance(panel, Panel) and "/panels/" in panel.template, (name, panel)


def test_every_detail_template_extends_the_generic_one() -> None:
    root = Path(settings.BASE_DIR) / "templates"
    for template in root.rglob("*_detail.html"):
        if template.relative_to(root).as_posix() == GENERIC:
            continue
        first = template.read_text().lstrip().splitlines()[0]
        assert first.startswith('{% extends "generic/object_detail.html" %}'), template


@pytest.fixture
def records(cast: Any) -> dict[str, Any]:
    """One record for each detail page, made through the services, visible to the superuser."""
    officer, ministry = cast.officer_a, cast.ministry_staff
    sentra = make_sentra(officer)
    team = make_team()
    assignment = make_assignment(team, [sentra])
    return {
        "sentra:sentra_detail": sentra,
        "allocations:allocation_detail": make_allocation(ministry, regency="32.73"),
        "monev:report_detail": make_report(officer, sentra),
        "monev:finding_detail": make_finding(cast.auditor, sentra),
        "monev:assignment_detail": assignment,
        "monev:visit_detail": complete_visit(team.lead, make_visit(team.lead, assignment, sentra)),
        "jobs:job_detail": Job.objects.create(user=cast.superuser, title="Ekspor sentra", path="/sentra/"),
        "regions:regency_detail": Regency.objects.get(code="32.73"),
    }


def test_every_detail_page_renders_the_generic_detail_template(cast: Any, records: dict[str, Any]) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(cast.superuser)
    views = set(detail_views())
    assert views <= set(records), f"give the new detail page a record here: {sorted(views - set(records))}"
    for name in sorted(views):
        response = client.get(records[name].get_absolute_url())
        assert response.status_code == 200, (name, response.status_code)
        used = [template.name for template in response.templates]
        assert GENERIC in used, (name, used)
        assert 'data-testid="object-header"' in response.content.decode(), name

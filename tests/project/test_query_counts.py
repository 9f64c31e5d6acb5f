"""#12, #16.4 (STYLE.md convention 12): every list endpoint of the API and every list page, both found in the URL
configuration (`dakportal.routes`), runs the number of queries stored here, at two page sizes: a new query, or one
per row, shows as a diff of this file. A list found that has no number here fails until it is stored.

A list page is a page of the portal without a record in its URL (the admin and the API aside) that shows rows of
records: its context holds a QuerySet or a page of one (ListViews, paged function views, the inbox, the tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Page
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
from dakportal.api.root import ListEndpoint, list_endpoints
from dakportal.routes import routes
from dakportal.testing.files import pdf_bytes
from dakportal.testing.users import make_cast
from monev.models import Notification
from monev.services import add_evidence, submit_follow_up, submit_report
from monev.testing import make_assignment, make_finding, make_report, make_team, make_visit
from sentra.services import add_document, change_status
from sentra.testing import make_facility, make_sentra, make_unit

pytestmark = pytest.mark.django_db
ENDPOINTS = list_endpoints()

# The queries of each list as a superuser (authenticated by session in the test client): the count and the rows,
# plus what a list needs once (a parent looked up, a region code checked, rules prefetched, ...).
QUERY_COUNTS = {
    "provinces": 2,
    "regencies": 3,
    "districts": 2,
    "villages": 2,
    "sentra": 2,
    "ikm-units": 2,
    "facilities": 2,
    "documents": 2,
    "sentra/{sentra_pk}/status-changes": 3,
    "allocations": 2,
    "realisations": 2,
    "activity-items": 2,
    "contracts": 2,
    "disbursements": 2,
    "reference-items": 2,
    "fiscal-years": 3,
    "monev/reports": 4,
    "monev/findings": 3,
    "monev/evidence": 2,
    "monev/assignments": 6,
    "quarterly-plans": 1,
    "stage-documents": 2,
    "monev/visits": 5,
    "monev/recommendations": 2,  # #13
    "monev/recommendations/{recommendation_pk}/follow-ups": 4,
    "monev/reports/{report_pk}/transitions": 3,
    "notifications": 2,
    "history": 2,
    "jobs": 1,  # none here: the count alone
    "risk/rules": 2,  # #17
    "risk/regencies": 16,  # #17: the latest year, the rules, one query per rule
    "risk/sentra": 16,
    "risk/allocations": 16,
}


class World(NamedTuple):
    cast: Any
    parents: dict[str, Any]


@pytest.fixture(scope="module")
def three_of_each(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Built once for the module's tests (each reads the same rows) in a transaction rolled back at its end; each test
    runs in a savepoint of its own inside it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            yield _three_of_each()
            transaction.set_rollback(True)


def _three_of_each() -> World:
    cast = make_cast()
    officer, ministry, root = cast.officer_a, cast.ministry_staff, cast.superuser
    parents: dict[str, Any] = {}
    team = make_team()
    for number, regency in enumerate(("32.73", "32.73", "32.73")):
        sentra = make_sentra(officer, name=f"Sentra {number}")
        make_unit(officer, sentra, nib=f"912000000010{number}")
        make_facility(officer, sentra)
        change_status(sentra, status="operating", reason="Mulai", acting_user=officer)
        document = SimpleUploadedFile("sk.pdf", pdf_bytes())
        add_document(sentra, upload=document, kind="sk", title="SK", acting_user=officer)
        allocation = make_allocation(ministry, regency=regency, year=2019 + number)
        make_item(officer, allocation, sentra)
        make_contract(officer, allocation, 100_000_000)
        disburse(ministry, allocation, "Tahap I", 1_000_000_000)
        realise(officer, allocation, 1, 10_000_000, "5")
        report = make_report(officer, sentra)
        add_evidence(upload=SimpleUploadedFile("ba.pdf", pdf_bytes()), title="BA", acting_user=officer, report=report)
        submit_report(report, acting_user=officer)
        finding = make_finding(cast.auditor, sentra)
        recommendation = finding.recommendations.get()
        for reply in ("Sudah", "Lagi"):  # #13: follow-ups with an attachment each
            upload = SimpleUploadedFile("bukti.pdf", pdf_bytes())
            submit_follow_up(recommendation, reply=reply, acting_user=officer, attachments=[upload])
        make_visit(team.lead, make_assignment(team, [sentra], number=f"ST-{number}"), sentra)  # #13
        Notification.objects.create(user=root, text=f"Pemberitahuan {number}")
        parents = {"sentra_pk": sentra.pk, "report_pk": report.pk, "recommendation_pk": recommendation.pk}
    return World(cast, parents)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_every_list_runs_its_stored_number_of_queries(endpoint: ListEndpoint, three_of_each: World) -> None:
    api = APIClient()
    api.force_authenticate(three_of_each.cast.superuser)
    url = endpoint.path.format(**{name: three_of_each.parents[name] for name in endpoint.arguments})
    counts = []
    for size in (1, 1000):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url, {"page_size": size})
        assert response.status_code == 200, response.content
        counts.append(len(queries))
    assert counts == [QUERY_COUNTS.get(endpoint.name)] * 2, f"QUERY_COUNTS[{endpoint.name!r}]: {counts}"


# ---------------------------------------------------------------------------------------------------------------------
# The list pages (#16.4): their queries as the superuser, at page sizes 25 and 500, session and user included
# ---------------------------------------------------------------------------------------------------------------------
PAGE_QUERY_COUNTS: dict[str, int | tuple[int, int]] = {
    "allocations:allocation_list": 9,
    # one query per kind of record the events point to (named in one query each): a longer page meets more kinds
    "history:event_list": (15, 23),
    "jobs:job_list": 4,
    "monev:assignment_calendar": 6,
    "monev:assignment_list": 6,
    "monev:dashboard": 11,  # #16: the completeness in the timeliness query (PerGroup), no second query
    "monev:finding_list": 7,
    "monev:inbox": 11,
    "monev:notification_list": 4,
    "monev:report_list": 7,
    "monev:review_queue": 5,
    "monev:risk": 22,  # #17: the latest year, the rules, one query per rule
    "monev:risk_rules": 4,
    "monev:visit_list": 6,
    "region_index": 4,
    "regions:regency_list": 7,
    "scoping:widget_list": 5,  # the test app of the scoping machinery (tests/scoping)
    "sentra:ikmunit_list": 6,
    "sentra:sentra_list": 7,
    "token_list": 4,
}
PAGE_SIZES = (25, 500)
SKIPPED_NAMESPACES = ("admin", "api")


def shows_rows(context: Any) -> bool:
    """Whether a page's context holds rows of records: a QuerySet, a page of rows, or a list of records."""
    for layer in context or []:
        for value in layer.flatten().values() if hasattr(layer, "flatten") else layer.values():
            if isinstance(value, QuerySet | Page):
                return True
            if isinstance(value, list) and value and isinstance(value[0], Model):
                return True
    return False


def candidate_pages() -> list[str]:
    """Every page without a record in its URL, the admin and the API aside."""
    return sorted(
        {r.name for r in routes() if r.name and not r.arguments and r.namespace.split(":")[0] not in SKIPPED_NAMESPACES}
    )


def page_queries(client: Client, url: str) -> list[int]:
    counts = []
    for size in PAGE_SIZES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": size})
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    return counts


def test_every_list_page_is_stored(three_of_each: World) -> None:
    """Completeness: every page that shows rows has its number in PAGE_QUERY_COUNTS, and every number stored is
    of such a page."""
    client = Client()
    client.force_login(three_of_each.cast.superuser)
    lists = []
    for name in candidate_pages():
        response = client.get(reverse(name))
        if response.status_code == 200 and not response.streaming and shows_rows(response.context):
            lists.append(name)
    assert sorted(PAGE_QUERY_COUNTS) == lists, (
        f"store these in PAGE_QUERY_COUNTS: {sorted(set(lists) - set(PAGE_QUERY_COUNTS))}"
    )


@pytest.mark.parametrize("name", sorted(PAGE_QUERY_COUNTS))
def test_every_list_page_runs_its_stored_number_of_queries(name: str, three_of_each: World) -> None:
    client = Client()
    client.force_login(three_of_each.cast.superuser)
    url = reverse(name)
    client.get(url)  # the session and the caches warmed, as for a user going from page to page
    counts = page_queries(client, url)
    stored = PAGE_QUERY_COUNTS[name]
    assert counts == (list(stored) if isinstance(stored, tuple) else [stored] * 2), (
        f"PAGE_QUERY_COUNTS[{name!r}]: {counts}"
    )

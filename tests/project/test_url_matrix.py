"""#10: the authorisation matrix, enumerated from the URLconf, so a new URL cannot be forgotten.

Every URL of the portal (the admin aside, tested on its own) is requested by the regional officer of region A
with the records of region B in its arguments, and every URL without arguments by every role and anonymously:
nothing answers a server error, nothing of region B is ever shown to region A (404, 403 or 405 for its records,
and not a name of it anywhere), and no URL serves a file outside its scoped view."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from allocations import services
from allocations.models import QuarterlyPlan
from allocations.testing import disburse, make_allocation, make_contract, make_item, realise
from dakportal.accounts.services import create_token
from dakportal.reporting.base import REGISTRY
from dakportal.routes import routes
from dakportal.testing.files import image_bytes, pdf_bytes
from monev.services import add_evidence, submit_follow_up
from monev.testing import (
    complete_visit,
    issue_visit,
    make_assignment,
    make_finding,
    make_report,
    make_team,
    make_visit,
)
from sentra.services import add_document
from sentra.testing import VILLAGE_B, make_facility, make_sentra, make_unit

pytestmark = pytest.mark.django_db

SECRET = "Rahasia Sleman"  # every name of region B's records carries it: it must never reach region A's pages
SKIPPED_NAMESPACES = {"admin"}  # the admin's scoping is tested in tests/dakportal/accounts/test_roles.py


def model_of(url: str) -> Any:
    """The model a URL's `pk` designates, read from its view (generic views, viewsets, as_view(queryset=...))."""
    func = resolve(url).func
    view = getattr(func, "view_class", None) or getattr(func, "cls", None)
    queryset = (getattr(func, "view_initkwargs", {}) or {}).get("queryset") or getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


@pytest.fixture
def region_b(cast: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """One record of every kind in region B, named with SECRET, made through the services."""
    officer, ministry = cast.officer_b, cast.ministry_staff
    settings.MEDIA_ROOT = tmp_path  # the uploads of region B
    sentra = make_sentra(officer, name=f"Sentra {SECRET}", village=VILLAGE_B)
    allocation = make_allocation(ministry, regency="34.04")
    item = make_item(officer, allocation, sentra)
    disburse(ministry, allocation, "Tahap I", 1_000_000_000)
    report = make_report(officer, sentra)
    finding = make_finding(cast.auditor, sentra, title=f"Temuan {SECRET}")
    # #13: an Itjen surat tugas naming only region B, and its issued visit report
    settings.MEDIA_ROOT = tmp_path
    team = make_team()
    assignment = make_assignment(team, [sentra], number=f"ST {SECRET}")
    visit = issue_visit(team, complete_visit(team.lead, make_visit(team.lead, assignment, sentra)))
    pdf = SimpleUploadedFile("b.pdf", pdf_bytes(), content_type="application/pdf")
    document = add_document(sentra, upload=pdf, kind="sk", title=f"SK {SECRET}", acting_user=officer)
    photo = SimpleUploadedFile("b.jpg", image_bytes(), content_type="image/jpeg")
    evidence = add_evidence(upload=photo, title=f"Foto {SECRET}", acting_user=officer, report=report)
    # #13: a follow-up of region B's recommendation, with its attachment
    recommendation = finding.recommendations.get()
    attachment = SimpleUploadedFile("tl.pdf", pdf_bytes(), content_type="application/pdf")
    follow_up = submit_follow_up(recommendation, reply=f"Tindak lanjut {SECRET}", acting_user=officer,
                                 attachments=[attachment])  # fmt: skip
    return {
        "sentra.sentra": sentra,
        "sentra.ikmunit": make_unit(officer, sentra, business_name=f"Usaha {SECRET}"),
        "sentra.facility": make_facility(officer, sentra, description=f"Gedung {SECRET}"),
        "allocations.allocation": allocation,
        "allocations.activityitem": item,
        "allocations.contract": make_contract(officer, allocation, 100_000_000),
        "allocations.disbursement": allocation.disbursements.get(),
        "allocations.stagedocument": allocation.stage_documents.first(),  # #13: verified with its disbursement
        "allocations.quarterlyplan": services.save_quarterly_plan(
            QuarterlyPlan(allocation=allocation, funds_q1=1, funds_q2=2, funds_q3=3, funds_q4=4), acting_user=officer
        ),
        "allocations.realisation": realise(officer, allocation, 1, 10_000_000, "5"),
        "monev.monevreport": report,
        "monev.finding": finding,
        "accounts.apitoken": create_token(officer, name="b", acting_user=officer)[0],
        "monev.assignment": assignment,
        "monev.visit": visit,
        "monev.registrycheck": visit.checks.first(),
        "sentra.sentradocument": document,  # #12: documents and evidence through the API too
        "monev.evidence": evidence,
        "monev.recommendation": recommendation,
        "monev.followup": follow_up,
    }


def arguments(name: str, names: tuple[str, ...], records: dict[str, Any]) -> dict[str, Any] | None:
    """Region B's values for the URL's arguments (None: a URL variant not requested, such as `.json`)."""
    if "format" in names:
        return None
    values: dict[str, Any] = {}
    for arg in names:
        if arg == "slug":
            values[arg] = next(iter(REGISTRY))
        elif arg in ("code",) or name == "regions:regency_detail":
            values[arg] = "34.04"
        elif arg == "action":
            values[arg] = "submit"
        elif arg == "decision":
            values[arg] = "confirm"
        elif arg == "sentra_pk":
            values[arg] = records["sentra.sentra"].pk
        elif arg == "allocation_pk":
            values[arg] = records["allocations.allocation"].pk
        elif arg == "report_pk":  # #12: a report's steps
            values[arg] = records["monev.monevreport"].pk
        elif arg == "recommendation_pk":  # #13: a recommendation's follow-ups
            values[arg] = records["monev.recommendation"].pk
        else:
            values[arg] = 0  # replaced below by the designated record of region B, when there is one
    if "pk" in values and values["pk"] == 0:
        for candidate in (0, "34.04", "34", "2021"):  # ids, region codes for the regions' own endpoints, a fiscal year
            try:
                url = reverse(name, kwargs={**values, "pk": candidate})
            except NoReverseMatch:
                continue
            values["pk"] = candidate
            break
        if values["pk"] != 0:
            return values  # a region by its code: reference data, the same for every role
        model = model_of(url)
        label = model._meta.label_lower if model is not None else {
            "allocations:realisation_photo": "allocations.realisation", "token_revoke": "accounts.apitoken",
            "allocations:stagedocument_file": "allocations.stagedocument",
            "allocations:plan_action": "allocations.allocation", "monev:report_action": "monev.monevreport",
            "monev:evidence_add": "monev.monevreport", "monev:finding_action": "monev.finding",
            "monev:visit_action": "monev.visit", "monev:visit_checks": "monev.visit", "monev:visit_pdf": "monev.visit",
            "monev:visit_evidence": "monev.visit", "monev:visit_finding_add": "monev.visit",
            "monev:visit_finding_edit": "monev.visit", "monev:correction_decision": "monev.registrycheck",
        }.get(name, "")  # fmt: skip
        record = records.get(label)
        values["pk"] = record.pk if record is not None else 999_999
    return values


def test_region_a_never_reaches_region_b_through_any_url(client: Client, cast: Any, region_b: dict[str, Any]) -> None:
    client.force_login(cast.officer_a)
    problems, requested = [], 0
    for route in routes():
        name = route.name
        if not name or name.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        values = arguments(name, route.arguments, region_b)
        if values is None or not values:
            continue
        url = reverse(name, kwargs=values)
        response = client.get(url)
        requested += 1
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if response.status_code >= 500 or SECRET in body:
            problems.append(f"{url}: {response.status_code}")
        elif isinstance(values.get("pk"), int) and values["pk"] != 999_999 and name != "report":
            if response.status_code not in (403, 404, 405):
                problems.append(f"{url}: {response.status_code}, expected 404 (or 403/405)")
    assert requested > 60, requested
    assert problems == []


# #15: a readiness probe answers 503 by design when something is not ready (here: no task worker runs).
PROBES = {"/readyz"}


@pytest.mark.parametrize("role", ["anonymous", "ministry_staff", "auditor", "analyst", "officer_a", "provincial"])
def test_every_url_without_arguments_answers_every_role(
    client: Client, cast: Any, region_b: dict[str, Any], role: str
) -> None:
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    problems = []
    for route in routes():
        if not route.name or route.name.split(":")[0] in SKIPPED_NAMESPACES or route.arguments:
            continue
        url = reverse(route.name)
        response = client.get(url)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if response.status_code >= 500 and not (url in PROBES and response.status_code == 503):
            problems.append(f"{url}: {response.status_code}")
        if role in ("officer_a", "anonymous") and SECRET in body:
            problems.append(f"{url} shows region B to {role}")
    assert problems == []


def test_no_url_serves_the_upload_folder(client: Client, cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "sentra").mkdir()
    (tmp_path / "sentra" / "b.pdf").write_bytes(b"%PDF-1.4 rahasia")
    client.force_login(cast.superuser)
    for url in ("/media/sentra/b.pdf", "/sentra/b.pdf", "/static/../media/sentra/b.pdf", "/uploads/sentra/b.pdf"):
        assert client.get(url).status_code == 404, url

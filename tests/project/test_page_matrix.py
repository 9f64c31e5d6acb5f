"""The region matrix for every page that names a record (#16.4): each detail, edit, delete, void, upload, download
and action page of the apps, and each child model, for every role, in the user's own region and in another.

The pages come from the URL configuration, not from a list kept by hand: a new page with a record in its URL
fails `test_every_page_with_a_record_is_in_the_matrix` until `KWARGS` says which record it takes. The rules:
- to a user limited to a region, another region's record is the same as no record at all (the same answer as for
  an id that does not exist, for GET and for POST), and nothing changes;
- ministry staff open every record page of either region;
- no role gets a server error from any page, with or without a record, by GET or by an empty POST.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from allocations import services as allocation_services
from allocations.models import Realisation
from allocations.testing import disburse, make_allocation, make_contract, make_item
from dakportal.history.models import Event
from dakportal.testing.files import image_bytes, pdf_bytes
from dakportal.testing.users import make_cast
from monev import services as monev_services
from monev.models import Finding, Recommendation
from monev.testing import complete_visit, make_assignment, make_finding, make_report, make_team, make_visit
from sentra import services as sentra_services
from sentra.testing import VILLAGE_A, VILLAGE_B, make_facility, make_sentra, make_unit

APPS = ("sentra", "allocations", "monev")
MISSING = 987_654_321  # an id no record has

# Which record each page takes, from the records of one region (`World`). A page with a record in its URL and
# no entry here fails the completeness test.
KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "sentra:sentra_detail": lambda w: {"pk": w.sentra.pk},
    "sentra:sentra_history": lambda w: {"pk": w.sentra.pk},
    "sentra:sentra_edit": lambda w: {"pk": w.sentra.pk},
    "sentra:sentra_delete": lambda w: {"pk": w.sentra.pk},
    "sentra:sentra_status": lambda w: {"pk": w.sentra.pk},
    "sentra:document_add": lambda w: {"pk": w.sentra.pk},
    "sentra:document_download": lambda w: {"sentra_pk": w.sentra.pk, "pk": w.document.pk},
    "sentra:document_delete": lambda w: {"sentra_pk": w.sentra.pk, "pk": w.document.pk},
    "sentra:ikmunit_edit": lambda w: {"pk": w.unit.pk},
    "sentra:ikmunit_delete": lambda w: {"pk": w.unit.pk},
    "sentra:facility_edit": lambda w: {"pk": w.facility.pk},
    "sentra:facility_delete": lambda w: {"pk": w.facility.pk},
    "allocations:allocation_detail": lambda w: {"pk": w.allocation.pk},
    "allocations:allocation_history": lambda w: {"pk": w.allocation.pk},
    "allocations:allocation_edit": lambda w: {"pk": w.allocation.pk},
    "allocations:allocation_delete": lambda w: {"pk": w.allocation.pk},
    "allocations:plan_action": lambda w: {"pk": w.allocation.pk, "action": "submit"},
    "allocations:activityitem_add": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:unit_cost_check": lambda w: {"allocation_pk": w.allocation.pk},  # #17.4
    "allocations:activityitem_edit": lambda w: {"pk": w.item.pk},
    "allocations:activityitem_delete": lambda w: {"pk": w.item.pk},
    "allocations:contract_add": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:contract_edit": lambda w: {"pk": w.contract.pk},
    "allocations:contract_void": lambda w: {"pk": w.contract.pk},
    "allocations:disbursement_add": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:disbursement_edit": lambda w: {"pk": w.disbursement.pk},
    "allocations:disbursement_void": lambda w: {"pk": w.disbursement.pk},
    "allocations:realisation_add": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:realisation_edit": lambda w: {"pk": w.realisation.pk},
    "allocations:realisation_void": lambda w: {"pk": w.realisation.pk},
    "allocations:realisation_photo": lambda w: {"pk": w.realisation.pk},
    "allocations:quarterlyplan_edit": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:stagedocument_add": lambda w: {"allocation_pk": w.allocation.pk},
    "allocations:stagedocument_verify": lambda w: {"pk": w.stage_document.pk},
    "allocations:stagedocument_file": lambda w: {"pk": w.stage_document.pk},
    "monev:report_detail": lambda w: {"pk": w.report.pk},
    "monev:report_history": lambda w: {"pk": w.report.pk},
    "monev:report_edit": lambda w: {"pk": w.report.pk},
    "monev:evidence_add": lambda w: {"pk": w.report.pk},
    "monev:report_action": lambda w: {"pk": w.report.pk, "action": "submit"},
    "monev:evidence": lambda w: {"pk": w.evidence.pk},
    "monev:finding_detail": lambda w: {"pk": w.finding.pk},
    "monev:finding_history": lambda w: {"pk": w.finding.pk},
    "monev:finding_action": lambda w: {"pk": w.finding.pk, "action": "follow-up"},
    "monev:assignment_detail": lambda w: {"pk": w.assignment.pk},
    "monev:assignment_edit": lambda w: {"pk": w.assignment.pk},
    "monev:assignment_history": lambda w: {"pk": w.assignment.pk},
    "monev:visit_detail": lambda w: {"pk": w.visit.pk},
    "monev:visit_edit": lambda w: {"pk": w.visit.pk},
    "monev:visit_history": lambda w: {"pk": w.visit.pk},
    "monev:visit_pdf": lambda w: {"pk": w.visit.pk},
    "monev:visit_checks": lambda w: {"pk": w.visit.pk},
    "monev:visit_evidence": lambda w: {"pk": w.visit.pk},
    "monev:visit_finding_add": lambda w: {"pk": w.visit.pk},
    "monev:visit_finding_edit": lambda w: {"pk": w.visit.pk, "finding_pk": w.visit_finding.pk},
    "monev:visit_action": lambda w: {"pk": w.visit.pk, "action": "submit"},
    "monev:correction_decision": lambda w: {"pk": w.correction.pk, "decision": "confirm"},
}
NO_RECORD = {"sentra:sentra_import_sample", "allocations:allocation_import_sample"}  # a file by name
# #17: a record the same for the whole country (no other region to compare with): tests/monev/test_views_risk.py
NATIONAL = {"monev:risk_rule_edit"}
TEAM_DRAFTS = {"monev:visit_detail", "monev:visit_history", "monev:visit_pdf"}  # the team's own until issued


def record_pages() -> Iterator[tuple[str, list[str]]]:
    """(namespace:name, the URL's keyword names) of every page of the apps with a keyword in its URL."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in APPS and pattern.pattern.converters:
                yield f"{namespace}:{pattern.name}", list(pattern.pattern.converters)

    yield from walk(get_resolver().url_patterns, None)


def plain_pages() -> list[str]:
    """Every page of the apps without a keyword in its URL (lists, create pages, reports)."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in APPS and not pattern.pattern.converters:
                yield f"{namespace}:{pattern.name}"

    return sorted(set(walk(get_resolver().url_patterns, None)))


class World:
    """One record of every kind in a kab/kota, made through the services as the people who make them would."""

    def __init__(self, cast: Any, village: str, prefix: str) -> None:
        staff = cast.ministry_staff
        self.sentra = make_sentra(staff, name=f"Sentra Matriks {prefix}", village=village)
        self.unit = make_unit(staff, self.sentra, nib=f"91200000000{ord(prefix):02d}")
        self.facility = make_facility(staff, self.sentra)
        upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
        self.document = sentra_services.add_document(
            self.sentra, upload=upload, kind="sk", title="SK", acting_user=staff
        )
        self.allocation = make_allocation(staff, regency=self.sentra.regency_id, year=2021, amount=2_000_000_000)
        self.item = make_item(staff, self.allocation, self.sentra)
        self.contract = make_contract(staff, self.allocation, 900_000_000)
        self.disbursement = disburse(staff, self.allocation, "tahap-1", 500_000_000)
        self.stage_document = self.allocation.stage_documents.first()
        photo = SimpleUploadedFile("progres.jpg", image_bytes(), content_type="image/jpeg")
        self.realisation = allocation_services.record_realisation(
            Realisation(allocation=self.allocation, quarter=1, spent=100_000_000, physical_progress=Decimal(10)),
            photo=photo, acting_user=staff,
        )  # fmt: skip
        self.report = make_report(staff, self.sentra)
        photo = SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")
        self.evidence = monev_services.add_evidence(upload=photo, title="Foto", acting_user=staff, report=self.report)
        self.finding = make_finding(cast.auditor, self.sentra)
        team = make_team(prefix=f"tim{prefix}")
        self.assignment = make_assignment(team, [self.sentra], number=f"ST-{prefix}/IJ/2021")
        self.visit = complete_visit(team.lead, make_visit(team.lead, self.assignment, self.sentra))
        self.visit_finding = monev_services.record_visit_finding(
            self.visit,
            Finding(title="Temuan", category="asset_unused", condition="Mesin terbungkus"),
            recommendations=[Recommendation(text="Operasikan", responsible_official="Kadis", due_date=date(2022, 1, 3))],  # noqa: E501
            acting_user=team.lead,
        )  # fmt: skip
        self.correction = self.visit.checks.first()


class PageMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.own = World(cls.cast, VILLAGE_A, "a")
        cls.other = World(cls.cast, VILLAGE_B, "b")

    def url(self, name: str, world: World | None) -> str:
        if world is None:
            kwargs = {key: MISSING if key.endswith("pk") else value for key, value in KWARGS[name](self.own).items()}
        else:
            kwargs = KWARGS[name](world)
        return reverse(name, kwargs=kwargs)

    def answer(self, method: str, url: str) -> int:
        response = self.client.post(url, {}) if method == "post" else self.client.get(url)
        return response.status_code

    def test_every_page_with_a_record_is_in_the_matrix(self) -> None:
        declared = set(KWARGS) | NO_RECORD | NATIONAL
        missing = [name for name, _keywords in record_pages() if name not in declared]
        assert missing == [], f"add these pages to KWARGS in {__name__}: {missing}"

    def test_another_regions_record_is_no_record_at_all(self) -> None:
        for user in (self.cast.officer_a, self.cast.provincial):
            self.client.force_login(user)
            for name in KWARGS:
                for method in ("get", "post"):
                    with self.subTest(user=user.username, page=name, method=method):
                        before = Event.objects.count()
                        other = self.answer(method, self.url(name, self.other))
                        absent = self.answer(method, self.url(name, None))
                        assert other == absent, f"{other} for another region's record, {absent} for none"
                        assert other != 500
                        assert Event.objects.count() == before, "another region's record changed"

    def test_the_ministry_opens_every_record_page_of_either_region(self) -> None:
        """Every page it may open, that is: a draft visit report is the Itjen team's until it is issued."""
        self.client.force_login(self.cast.ministry_staff)
        for name in KWARGS.keys() - TEAM_DRAFTS:
            for world in (self.own, self.other):
                with self.subTest(page=name, region=world.sentra.regency_id):
                    assert self.answer("get", self.url(name, world)) not in (404, 500)

    def test_no_role_gets_a_server_error_from_any_page(self) -> None:
        roles = ("ministry_staff", "auditor", "analyst", "officer_a", "provincial")
        for role in roles:
            self.client.force_login(getattr(self.cast, role))
            for name in plain_pages():
                with self.subTest(role=role, page=name):
                    assert self.answer("get", reverse(name)) < 500
            for name in KWARGS:
                for method in ("get", "post"):
                    with self.subTest(role=role, page=name, method=method):
                        assert self.answer(method, self.url(name, self.own)) < 500

"""The page matrices (#16.4): the region matrix for every page that names a record (each detail, edit, delete,
void, upload, download and action page of the apps, and each child model, in the user's own region and in
another), and the role matrix for every page of the apps, with or without a record, for every role of the cast.

The pages come from the URL configuration, not from a list kept by hand: a new page with a record in its URL
fails `test_every_page_with_a_record_is_in_the_matrix` until `KWARGS` says which record it takes. The rules:
- to a user limited to a region, another region's record is the same as no record at all (the same answer as for
  an id that does not exist, for GET and for POST), and nothing changes;
- ministry staff open every record page of either region;
- every role gets what the role table grants it for the permission each page declares (`RoleMatrixTests`);
- no role gets a server error from any page, with or without a record, by GET or by an empty POST.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from allocations import services as allocation_services
from allocations.models import Realisation
from allocations.testing import disburse, make_allocation, make_contract, make_item
from dakportal.accounts.roles import role_grants
from dakportal.accounts.scoping import Scope
from dakportal.generic import ImportSampleView, ImportView, ObjectActionView, ObjectPermissionMixin, scoped
from dakportal.history.models import Event
from dakportal.routes import Route, routes
from dakportal.testing.files import image_bytes, pdf_bytes
from dakportal.testing.users import make_cast
from monev import services as monev_services
from monev.models import Finding, Recommendation, Visit
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
# The permission each page of the apps needs, as its view declares it (None: signed in is enough); an action page
# once per action of its table. A page or action not here fails `test_every_page_declares_its_stored_permission`;
# a change of a page's permission shows as a diff of this dict, and the role matrix derives each role's answer from
# it and the role table.
PERMISSIONS: dict[str, str | None] = {
    "sentra:sentra_list": "sentra.view_sentra",
    "sentra:sentra_map": "sentra.view_sentra",
    "sentra:sentra_add": "sentra.add_sentra",
    "sentra:sentra_import": "sentra.add_sentra",
    "sentra:sentra_import_template": None,
    "sentra:sentra_choices": "sentra.view_sentra",
    "sentra:sentra_detail": "sentra.view_sentra",
    "sentra:sentra_history": "sentra.view_sentra",
    "sentra:sentra_edit": "sentra.change_sentra",
    "sentra:sentra_delete": "sentra.delete_sentra",
    "sentra:sentra_status": "sentra.change_sentra",
    "sentra:document_add": "sentra.change_sentra",
    "sentra:document_download": "sentra.view_sentradocument",
    "sentra:document_delete": "sentra.delete_sentradocument",
    "sentra:ikmunit_list": "sentra.view_ikmunit",
    "sentra:ikmunit_add": "sentra.add_ikmunit",
    "sentra:ikmunit_edit": "sentra.change_ikmunit",
    "sentra:ikmunit_delete": "sentra.delete_ikmunit",
    "sentra:facility_add": "sentra.add_facility",
    "sentra:facility_edit": "sentra.change_facility",
    "sentra:facility_delete": "sentra.delete_facility",
    "allocations:allocation_list": "allocations.view_allocation",
    "allocations:allocation_add": "allocations.add_allocation",
    "allocations:allocation_import": "allocations.add_allocation",
    "allocations:allocation_import_template": None,
    "allocations:allocation_detail": "allocations.view_allocation",
    "allocations:allocation_history": "allocations.view_allocation",
    "allocations:allocation_edit": "allocations.change_allocation",
    "allocations:allocation_delete": "allocations.delete_allocation",
    "allocations:plan_action submit": "allocations.add_activityitem",
    "allocations:plan_action approve": "allocations.change_allocation",
    "allocations:plan_action return": "allocations.change_allocation",
    "allocations:activityitem_add": "allocations.add_activityitem",
    "allocations:unit_cost_check": "allocations.view_allocation",
    "allocations:activityitem_edit": "allocations.change_activityitem",
    "allocations:activityitem_delete": "allocations.delete_activityitem",
    "allocations:contract_add": "allocations.add_contract",
    "allocations:contract_edit": "allocations.change_contract",
    "allocations:contract_void": "allocations.change_contract",
    "allocations:disbursement_add": "allocations.add_disbursement",
    "allocations:disbursement_edit": "allocations.change_disbursement",
    "allocations:disbursement_void": "allocations.change_disbursement",
    "allocations:realisation_add": "allocations.add_realisation",
    "allocations:realisation_edit": "allocations.change_realisation",
    "allocations:realisation_void": "allocations.change_realisation",
    "allocations:realisation_photo": None,
    "allocations:quarterlyplan_edit": "allocations.add_quarterlyplan",
    "allocations:stagedocument_add": "allocations.add_stagedocument",
    "allocations:stagedocument_verify": "allocations.change_stagedocument",
    "allocations:stagedocument_file": None,
    "monev:notification_list": None,
    "monev:inbox": None,
    "monev:dashboard": "monev.view_monevreport",
    "monev:report_list": "monev.view_monevreport",
    "monev:report_add": "monev.add_monevreport",
    "monev:report_detail": "monev.view_monevreport",
    "monev:report_history": "monev.view_monevreport",
    "monev:report_edit": "monev.change_monevreport",
    "monev:evidence_add": "monev.add_evidence",
    "monev:report_action submit": "monev.change_monevreport",
    "monev:report_action return": "monev.review_monevreport",
    "monev:report_action accept": "monev.review_monevreport",
    "monev:review_queue": "monev.review_monevreport",
    "monev:evidence": None,
    "monev:finding_list": "monev.view_finding",
    "monev:finding_add": "monev.add_finding",
    "monev:finding_detail": "monev.view_finding",
    "monev:finding_history": "monev.view_finding",
    "monev:finding_action follow-up": "monev.add_followup",
    "monev:finding_action verify": "monev.verify_followup",
    "monev:risk": "monev.view_riskrule",
    "monev:risk_rules": "monev.view_riskrule",
    "monev:assignment_list": "monev.view_assignment",
    "monev:assignment_calendar": "monev.view_assignment",
    "monev:assignment_add": "monev.add_assignment",
    "monev:assignment_detail": "monev.view_assignment",
    "monev:assignment_edit": "monev.change_assignment",
    "monev:assignment_history": "monev.view_assignment",
    "monev:visit_list": "monev.view_visit",
    "monev:visit_add": "monev.add_visit",
    "monev:visit_detail": "monev.view_visit",
    "monev:visit_edit": "monev.change_visit",
    "monev:visit_history": "monev.view_visit",
    "monev:visit_pdf": "monev.view_visit",
    "monev:visit_checks": "monev.change_visit",
    "monev:visit_evidence": "monev.change_visit",
    "monev:visit_finding_add": "monev.change_visit",
    "monev:visit_finding_edit": "monev.change_visit",
    "monev:visit_action submit": "monev.change_visit",
    "monev:visit_action return": "monev.change_visit",
    "monev:visit_action approve": "monev.change_visit",
    "monev:visit_action issue": "monev.change_visit",
    "monev:correction_decision confirm": "monev.decide_registrycheck",
    "monev:correction_decision reject": "monev.decide_registrycheck",
}
# The query string a page needs to answer 200 (a JSON check of the plan form).
QUERY: dict[str, Callable[[Any], dict[str, Any]]] = {
    "allocations:unit_cost_check": lambda w: {"detail": w.item.detail_id, "unit": w.item.unit_id, "unit_cost": 1000},
}
NO_RECORD = {"sentra:sentra_import_sample", "allocations:allocation_import_sample"}  # a file by name
# #17: a record the same for the whole country (no other region to compare with): tests/monev/test_views_risk.py
NATIONAL = {"monev:risk_rule_edit"}
TEAM_DRAFTS = {"monev:visit_detail", "monev:visit_history", "monev:visit_pdf"}  # the team's own until issued


def app_routes() -> list[Route]:
    """Every page of the apps, from the URL configuration."""
    return [route for route in routes() if route.namespace in APPS and route.name]


def record_pages() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(namespace:name, the URL's keyword names) of every page of the apps with a keyword in its URL."""
    return ((route.name, route.arguments) for route in app_routes() if route.arguments)


def plain_pages() -> list[str]:
    """Every page of the apps without a keyword in its URL (lists, create pages, reports)."""
    return sorted({route.name for route in app_routes() if not route.arguments})


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


# ---------------------------------------------------------------------------------------------------------------------
# #16.4: the role matrix of every page of the apps (create pages, record pages, action pages), for every role of the
# cast: the answer derived from the permission the page declares and the role table (dakportal/accounts/roles.py)
# ---------------------------------------------------------------------------------------------------------------------
ROLES = ("anonymous", "ministry_staff", "auditor", "analyst", "officer_a", "officer_b", "provincial", "superuser")


def matrix_pages(world: World) -> Iterator[tuple[str, Route, dict[str, Any]]]:
    """(key, route, URL keywords) of every page of the roles' matrix: each page of the apps, with the world's record
    when it takes one, and an action page once per action of its table (key `"<name> <action>"`)."""
    for route in app_routes():
        if route.name in NO_RECORD | NATIONAL:
            continue
        kwargs = KWARGS[route.name](world) if route.arguments else {}
        view_class = route.view_class
        if view_class is not None and issubclass(view_class, ObjectActionView):
            for action in view_class.actions:
                yield f"{route.name} {action}", route, {**kwargs, view_class.action_kwarg: action}
        else:
            yield route.name, route, kwargs


def declared_permission(route: Route, kwargs: dict[str, Any]) -> str | None:
    """The permission a page declares (None: being signed in is enough), read from the view as its base reads it:
    an action's in its table, an import page's, a page's `permission_required`, or the model's for its action."""
    view_class, callback = route.view_class, route.pattern.callback
    if view_class is None:
        return getattr(callback, "permission_required", None)
    if issubclass(view_class, ObjectActionView):
        return view_class.actions[kwargs[view_class.action_kwarg]].permission
    if issubclass(view_class, ImportSampleView):
        return route.view_initkwargs["import_view"].permission_required  # type: ignore[no-any-return]
    if issubclass(view_class, ImportView):
        return view_class.permission_required
    if issubclass(view_class, ObjectPermissionMixin):
        view = view_class(**route.view_initkwargs)
        view.action = view.get_action(kwargs)
        return view.get_permission_required()
    return None


def grants(user: Any, permission: str | None) -> bool:
    """What the role table grants (not what `has_perm` answers: that is under test)."""
    if user is None:
        return False
    return permission is None or user.is_superuser or role_grants(user.role, permission)


def answers_get(route: Route) -> bool:
    view_class = route.view_class
    return view_class is None or hasattr(view_class, "get")


class RoleMatrixTests(TestCase):
    """Every page of the apps (without a record: lists, create and import pages; with one: detail, edit, delete,
    void, upload, download and action pages) for every role of the cast and anonymously:
    - anonymous: the login page;
    - a role the role table does not grant the page's permission: 403;
    - a role it grants: GET 200, or 404 for a record outside the role's scope (another region; a draft visit
      report outside its team); a page that only takes POST (an action, an upload): anything but 403;
    - nobody gets a server error, by GET or by an empty POST (each POST rolled back, so every role meets the same
      records)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.own = World(cls.cast, VILLAGE_A, "a")

    def expected(self, user: Any, route: Route, permission: str | None, method: str) -> tuple[str, set[int]]:
        if user is None:
            return "the login page", {302}
        if not grants(user, permission):
            return "403", {403}
        if method == "post":
            return "anything but 403", set(range(200, 500)) - {403}
        if route.arguments and not self.in_scope(user, route.name):
            return "404 (outside the scope)", {404}
        return "200", {200}

    def in_scope(self, user: Any, name: str) -> bool:
        """Whether the world's records are in the user's scope: its region, and for a draft visit report its team."""
        if not Scope.of(user).allows_code(self.own.sentra.regency_id):
            return False
        return name not in TEAM_DRAFTS or scoped(Visit.objects.filter(pk=self.own.visit.pk), user, "view").exists()

    def test_every_page_declares_its_stored_permission(self) -> None:
        declared = {key: declared_permission(route, kwargs) for key, route, kwargs in matrix_pages(self.own)}
        assert declared == PERMISSIONS, "a page's permission changed, or a page is new: update PERMISSIONS"

    def test_every_role_gets_what_its_permissions_say(self) -> None:
        problems = []
        for role in ROLES:
            user = None if role == "anonymous" else getattr(self.cast, role)
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for key, route, kwargs in matrix_pages(self.own):
                url = reverse(route.name, kwargs=kwargs)
                query = QUERY.get(route.name, lambda w: {})(self.own)
                with transaction.atomic():
                    got = self.client.get(url, query)
                    posted = self.client.post(url, {})
                    transaction.set_rollback(True)
                method, response = ("get", got) if answers_get(route) else ("post", posted)
                expected, statuses = self.expected(user, route, PERMISSIONS.get(key), method)
                if user is None and response.status_code == 302 and "/accounts/login/" not in response["Location"]:
                    statuses = set()
                if response.status_code not in statuses:
                    answer = response.status_code
                    problems.append(f"{role} {method.upper()} {key}: {answer}, expected {expected}")
                if posted.status_code >= 500:
                    problems.append(f"{role} POST {key}: {posted.status_code}")
        assert problems == [], "\n".join(problems)

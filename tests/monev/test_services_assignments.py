"""Itjen assignments (surat tugas), #13: the team, the places, the period and the fiscal years, checked together;
scoping by the kab/kota named; the existing rows migrated."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dakportal.regions.models import Regency
from monev import services
from monev.choices import TeamRole
from monev.models import Assignment
from monev.testing import Team, make_assignment, make_team, make_visit
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db: Any) -> Team:
    return make_team()


def new_assignment(**fields: Any) -> Assignment:
    values: dict[str, Any] = {
        "number": "ST-100/IJ/2021", "date": date(2021, 8, 1), "period_start": date(2021, 8, 2),
        "period_end": date(2021, 8, 13), "fiscal_years": [2021],
    } | fields  # fmt: skip
    return Assignment(**values)


def save(team: Team, assignment: Assignment, members: Any = None, regencies: Any = None, sentra: Any = None) -> Any:
    return services.save_assignment(
        assignment,
        acting_user=team.lead,
        members=team.members() if members is None else members,
        regencies=list(Regency.objects.filter(code="32.73")) if regencies is None else regencies,
        sentra=[] if sentra is None else sentra,
    )


def errors_of(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_an_assignment_names_its_team_places_and_years(cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a, name="Sentra Rajut")
    assignment = make_assignment(team, [bandung], fiscal_years=(2020, 2021))
    assert assignment.role_of(team.lead) == TeamRole.LEAD
    assert assignment.role_of(team.quality) == TeamRole.QUALITY_CONTROLLER
    assert assignment.role_of(cast.auditor) is None
    assert list(assignment.regencies.values_list("code", flat=True)) == ["32.73"]
    assert list(assignment.sentra.all()) == [bandung] and assignment.fiscal_years == [2020, 2021]


# #13: bad input, each a clear message on its field, nothing saved
def test_an_assignment_without_a_team_is_refused(team: Team) -> None:
    errors = errors_of(lambda: save(team, new_assignment(), members=[]))
    assert "members" in errors and Assignment.objects.count() == 0


def test_a_team_needs_one_lead_and_a_controller(team: Team) -> None:
    no_lead = [(team.member, TeamRole.MEMBER), (team.technical, TeamRole.TECHNICAL_CONTROLLER)]
    assert "exactly one team lead" in " ".join(errors_of(lambda: save(team, new_assignment(), no_lead))["members"])
    no_controller = [(team.lead, TeamRole.LEAD), (team.member, TeamRole.MEMBER)]
    assert "controller" in " ".join(errors_of(lambda: save(team, new_assignment(), no_controller))["members"])
    two_leads = [*team.members(), (make_team("dua").lead, TeamRole.LEAD)]
    assert "exactly one team lead" in " ".join(errors_of(lambda: save(team, new_assignment(), two_leads))["members"])
    assert Assignment.objects.count() == 0


def test_every_member_is_an_itjen_auditor(cast: Any, team: Team) -> None:
    members = [*team.members(), (cast.ministry_staff, TeamRole.MEMBER)]
    message = " ".join(errors_of(lambda: save(team, new_assignment(), members))["members"])
    assert "Itjen" in message and str(cast.ministry_staff) in message
    twice = [*team.members(), (team.member, TeamRole.QUALITY_CONTROLLER)]
    assert "only one role" in " ".join(errors_of(lambda: save(team, new_assignment(), twice))["members"])
    assert Assignment.objects.count() == 0


def test_a_sentra_outside_the_named_kab_kota_is_refused(cast: Any, team: Team) -> None:
    sleman = make_sentra(cast.officer_b, name="Sentra Salak", village=VILLAGE_B)
    errors = errors_of(lambda: save(team, new_assignment(), sentra=[sleman]))
    assert "Sentra Salak" in errors["sentra"][0]
    assert "regencies" in errors_of(lambda: save(team, new_assignment(), regencies=[]))
    assert Assignment.objects.count() == 0


def test_a_period_ending_before_it_starts_is_refused(team: Team) -> None:
    errors = errors_of(lambda: save(team, new_assignment(period_end=date(2021, 7, 1))))
    assert "period_end" in errors and Assignment.objects.count() == 0


def test_every_problem_is_reported_at_once(team: Team) -> None:
    errors = errors_of(lambda: save(team, new_assignment(period_end=date(2021, 7, 1), fiscal_years=[]), members=[]))
    assert {"period_end", "fiscal_years", "members"} <= set(errors)


def test_the_fiscal_years_are_years_of_the_dak(team: Team) -> None:
    assert "fiscal_years" in errors_of(lambda: save(team, new_assignment(fiscal_years=[1999])))
    assert "fiscal_years" in errors_of(lambda: save(team, new_assignment(fiscal_years=[2024])))


def test_the_team_changes_and_a_visited_sentra_stays(cast: Any, team: Team) -> None:
    bandung = make_sentra(cast.officer_a)
    assignment = make_assignment(team, [bandung])
    make_visit(team.lead, assignment, bandung)
    newcomer = make_team("baru").member
    members = [(team.lead, TeamRole.LEAD), (team.technical, TeamRole.QUALITY_CONTROLLER), (newcomer, "member")]
    assignment = services.save_assignment(assignment, acting_user=team.lead, members=members)
    assert assignment.role_of(team.member) is None and assignment.role_of(newcomer) == TeamRole.MEMBER
    assert assignment.role_of(team.technical) == TeamRole.QUALITY_CONTROLLER
    errors = errors_of(lambda: services.save_assignment(assignment, acting_user=team.lead, sentra=[]))
    assert "visit report" in errors["sentra"][0]


def test_a_region_sees_only_the_assignments_naming_it(cast: Any, team: Team) -> None:
    bandung, sleman = make_sentra(cast.officer_a), make_sentra(cast.officer_b, village=VILLAGE_B)
    both = make_assignment(team, [bandung, sleman], number="ST-1")
    only_sleman = make_assignment(team, [sleman], number="ST-2")
    assert list(Assignment.objects.for_user(cast.officer_a)) == [both]
    assert set(Assignment.objects.for_user(cast.officer_b)) == {both, only_sleman}
    assert list(Assignment.objects.for_user(cast.provincial)) == [both]
    assert set(Assignment.objects.for_user(cast.ministry_staff)) == {both, only_sleman}
    # on a shared assignment, nothing of the other region
    assert [r.code for r in both.regencies_for(cast.officer_a)] == ["32.73"]
    assert list(both.sentra_for(cast.officer_a)) == [bandung]
    summary = Assignment.objects.for_user(cast.officer_a).with_summary(cast.officer_a).get()
    assert summary.regency_names == "Kota Bandung" and summary.sentra_count == 1
    assert Assignment.objects.with_summary(cast.ministry_staff).get(pk=both.pk).sentra_count == 2


def test_only_itjen_writes_assignments(cast: Any) -> None:
    assert cast.auditor.has_perm("monev.add_assignment")
    for user in (cast.ministry_staff, cast.officer_a, cast.analyst, cast.provincial):
        assert not user.has_perm("monev.add_assignment") and user.has_perm("monev.view_assignment")

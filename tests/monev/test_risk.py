"""#17: the risk register. Each rule against a small worked example that makes it fire and one that does not; the
scores and their reasons; the ranking's order; scoping; the rules as data (bad input refused, changes kept)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from allocations import services as allocation_services
from allocations.models import Realisation
from allocations.testing import make_allocation, make_contract, make_item
from dakportal.history.models import Event
from dakportal.services import Conflict
from monev import services
from monev.models import MonevReport, RiskRule
from monev.risk import Assessment
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra

TODAY = date(2022, 3, 1)  # TA 2021 is over: its last due quarter is TW 4


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def fired(user: Any, year: int = 2021, today: date = TODAY, **filters: Any) -> dict[str, list[str]]:
    """Rule code -> the details of its hits, over the user's scope."""
    found: dict[str, list[str]] = {}
    for hit in Assessment(user, year, today=today, **filters).hits():
        found.setdefault(hit.rule.code, []).append(hit.detail)
    return found


def planned(cast: Any, sentra: Any, amount: int = 1_000_000_000, volume: str = "90") -> Any:
    """An allocation whose plan (volume x Rp 10 juta) the ministry approved on 10 February."""
    allocation = make_allocation(cast.ministry_staff, amount=amount)
    make_item(cast.officer_a, allocation, sentra, volume=volume, unit_cost=10_000_000)
    allocation_services.submit_plan(allocation, acting_user=cast.officer_a)
    at = timezone.make_aware(datetime(allocation.year, 2, 10, 9, 0))
    allocation_services.decide_plan(allocation, approve=True, acting_user=cast.ministry_staff, at=at)
    allocation.refresh_from_db()
    return allocation


def reported(allocation: Any, spent: int, progress: str) -> None:
    """The TW 4 realisation as stored (the services' rules on its way there, stages and funds received, are
    tested with them; the rule reads only what was reported)."""
    Realisation.objects.create(allocation=allocation, quarter=4, spent=spent, physical_progress=Decimal(progress))


@pytest.fixture
def complete_sentra(cast: Any) -> Any:
    """A sentra with nothing to warn about: located, 6 members, its legal documents, operating."""
    return make_sentra(
        cast.officer_a, name="Sentra Lengkap", latitude=Decimal("-6.9"), longitude=Decimal("107.6"),
        sk_number="SK/1", sk_date=date(2020, 1, 2), land_certificate="SHM 1", building_permit="PBG 1",
        status="operating",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------------
# The registry's rules (about today)
# ---------------------------------------------------------------------------------------------------------------------
def test_a_complete_operating_sentra_fires_nothing(cast: Any, complete_sentra: Any) -> None:
    assert fired(cast.ministry_staff) == {}


def test_registry_rules_fire_on_what_is_missing(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Kosong", unit_count=3)
    found = fired(cast.ministry_staff)
    assert found["few_members"] == ["Sentra Kosong: 3 member units (at least 5)"]
    assert found["no_coordinates"] == ["Sentra Kosong: no coordinates"]
    assert found["no_legal_documents"] == [
        "Sentra Kosong: missing SK penetapan (number and date), Land certificate, Building permit (PBG/IMB)"
    ]


def test_idle_fires_on_a_sentra_built_long_ago_and_not_operating(cast: Any, complete_sentra: Any) -> None:
    idle = make_sentra(cast.officer_a, name="Sentra Diam", status="built", status_since=date(2020, 1, 1))
    make_sentra(cast.officer_a, name="Sentra Baru", status="built")  # built today: not idle yet
    found = fired(cast.ministry_staff)
    assert found["sentra_idle"] == ["Sentra Diam: not operating since 1 Jan 2020"]
    assert idle.pk in {row.key for row in Assessment(cast.ministry_staff, 2021, today=TODAY).sentra()}


def test_a_threshold_changed_changes_what_fires(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Enam", unit_count=6)
    assert "few_members" not in fired(cast.ministry_staff)
    rule = RiskRule.objects.get(code="few_members")
    rule.threshold = Decimal(7)
    services.save_risk_rule(rule, acting_user=cast.auditor)
    assert fired(cast.ministry_staff)["few_members"] == ["Sentra Enam: 6 member units (at least 7)"]


# ---------------------------------------------------------------------------------------------------------------------
# Money: realisation behind the plan, stages, contracts
# ---------------------------------------------------------------------------------------------------------------------
def test_behind_plan_against_the_elapsed_year_without_a_quarterly_plan(cast: Any, complete_sentra: Any) -> None:
    allocation = planned(cast, complete_sentra)
    make_contract(cast.officer_a, allocation, 850_000_000)
    reported(allocation, 310_000_000, "40")
    assert fired(cast.ministry_staff)["behind_plan"] == ["TW 4: absorbed 31% of a planned 100%, works at 40% of 100%"]


def test_not_behind_plan_within_the_threshold(cast: Any, complete_sentra: Any) -> None:
    allocation = planned(cast, complete_sentra)
    make_contract(cast.officer_a, allocation, 850_000_000)
    reported(allocation, 920_000_000, "95")  # 8 and 5 points behind: under 10
    assert "behind_plan" not in fired(cast.ministry_staff)


def test_no_quarter_due_in_a_year_not_yet_under_way(cast: Any, complete_sentra: Any) -> None:
    make_allocation(cast.ministry_staff, amount=1_000_000_000)
    assert "behind_plan" not in fired(cast.ministry_staff, today=date(2021, 2, 1))


def test_stage_window_closed_with_conditions_unmet(cast: Any, complete_sentra: Any) -> None:
    make_allocation(cast.ministry_staff, amount=4_000_000_000)  # nothing done: Tahap I's window closed in July
    found = fired(cast.ministry_staff, today=date(2021, 8, 15))
    assert found["stage_window"] == ["Tahap I: window closed on 31 Jul 2021, conditions unmet"]
    assert "stage_window" not in fired(cast.ministry_staff, today=date(2021, 5, 1))  # closes in more than 30 days


def test_contracts_equal_to_the_plan_and_signed_late(cast: Any, complete_sentra: Any) -> None:
    allocation = planned(cast, complete_sentra)
    make_contract(cast.officer_a, allocation, 800_000_000)
    assert "contract_equals_plan" not in fired(cast.ministry_staff)
    late = allocation_services.save_contract(
        allocation.contracts.model(allocation=allocation, number="027/ADD", date=date(2021, 11, 2),
                                   supplier="CV Uji", value=100_000_000),
        acting_user=cast.officer_a,
    )  # fmt: skip
    found = fired(cast.ministry_staff)
    assert found["contract_equals_plan"] == ["contracts and plan both Rp 900.000.000"]
    assert found["contract_late"] == [f"contract {late.number} signed on 2 Nov 2021"]


# ---------------------------------------------------------------------------------------------------------------------
# Monev: late or missing reports, indicators, flagged photos; Itjen's recommendations
# ---------------------------------------------------------------------------------------------------------------------
def test_monev_missing_or_late_for_the_last_due_quarter(cast: Any, complete_sentra: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, amount=1_000_000_000)
    make_item(cast.officer_a, allocation, complete_sentra, volume="10", unit_cost=10_000_000)
    assert fired(cast.ministry_staff)["monev_late"] == ["Sentra Lengkap: no report for TW 4"]
    report = make_report(cast.officer_a, complete_sentra, quarter=4)  # a draft past its deadline: late
    assert report.deadline < TODAY
    assert fired(cast.ministry_staff)["monev_late"] == ["Sentra Lengkap: report for TW 4 late"]
    MonevReport.objects.filter(pk=report.pk).update(submitted_at=timezone.make_aware(datetime(2022, 1, 5)))
    assert "monev_late" not in fired(cast.ministry_staff)


def test_an_indicator_scored_tidak(cast: Any, complete_sentra: Any) -> None:
    make_report(cast.officer_a, complete_sentra, quarter=2)
    assert "indicator_tidak" not in fired(cast.ministry_staff)
    make_report(cast.officer_a, complete_sentra, quarter=3, operating_score="tidak")
    assert fired(cast.ministry_staff)["indicator_tidak"] == [
        "Sentra Lengkap, TW 3: tidak sesuai on the sentra operates"
    ]


def test_flagged_photos(cast: Any, complete_sentra: Any) -> None:
    report = make_report(cast.officer_a, complete_sentra, quarter=2)
    evidence = services.add_evidence(upload=photo(), title="Foto", acting_user=cast.officer_a, report=report)
    assert "evidence_flagged" not in fired(cast.ministry_staff)
    type(evidence).objects.filter(pk=evidence.pk).update(flags=["outside_period"])
    assert fired(cast.ministry_staff)["evidence_flagged"] == ["Sentra Lengkap: 1 photos flagged"]


def photo() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dakportal.testing.files import image_bytes

    return SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")


def test_overdue_recommendations_by_class(cast: Any, complete_sentra: Any) -> None:
    finding = make_finding(cast.auditor, complete_sentra)  # due 31 Jan 2022, not followed up
    found = fired(cast.ministry_staff)
    assert found["rec_not_followed"] == ["Mesin belum dimanfaatkan: due 31 Jan 2022, 29 days overdue"]
    assert "rec_partly_followed" not in found
    assert "rec_not_followed" not in fired(cast.ministry_staff, today=date(2022, 1, 31))  # due today: not overdue
    finding.recommendations.update(status="belum_sesuai")
    assert list(fired(cast.ministry_staff)) == ["rec_partly_followed"]


# ---------------------------------------------------------------------------------------------------------------------
# Scores, reasons, order, scope
# ---------------------------------------------------------------------------------------------------------------------
def test_scores_add_the_weights_and_the_ranking_puts_the_highest_first(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra A", unit_count=3)  # few members 1, coordinates 1, legal 1
    make_sentra(cast.officer_b, name="Sentra B", village=VILLAGE_B, status="built", status_since=date(2019, 5, 1))
    ranking = Assessment(cast.ministry_staff, 2021, today=TODAY).regencies()
    assert [(row.name, row.score) for row in ranking] == [("Kabupaten Sleman", 5), ("Kota Bandung", 3)]
    sleman = ranking[0]
    assert [reason.rule.code for reason in sleman.ordered_reasons] == [
        "sentra_idle", "no_coordinates", "no_legal_documents",
    ]  # fmt: skip
    assert sleman.as_dict()["reasons"][0] == {
        "rule": "sentra_idle", "label": RiskRule.objects.get(code="sentra_idle").label, "weight": 3, "count": 1,
        "details": ["Sentra B: not operating since 1 May 2019"],
    }  # fmt: skip
    only_idle = Assessment(cast.ministry_staff, 2021, today=TODAY, rule="sentra_idle").regencies()
    assert [row.name for row in only_idle] == ["Kabupaten Sleman"]


def test_a_regional_officer_sees_only_their_own_region(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra A", unit_count=3)
    make_sentra(cast.officer_b, name="Sentra B", village=VILLAGE_B, unit_count=2)
    assert [row.regency for row in Assessment(cast.officer_a, 2021, today=TODAY).regencies()] == ["32.73"]
    assert [row.name for row in Assessment(cast.officer_b, 2021, today=TODAY).sentra()] == ["Sentra B"]
    assert Assessment(cast.officer_a, 2021, today=TODAY, regency="34.04").regencies() == []


def test_a_weight_of_zero_shows_the_rule_without_scoring_it(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra A", latitude=Decimal("-6.9"), longitude=Decimal("107.6"),
                sk_number="SK/1", sk_date=date(2020, 1, 2), land_certificate="SHM 1", building_permit="PBG 1",
                unit_count=3)  # fmt: skip
    RiskRule.objects.filter(code="few_members").update(weight=0)
    (row,) = Assessment(cast.ministry_staff, 2021, today=TODAY).regencies()
    assert row.score == 0 and list(row.reasons) == ["few_members"]


def test_the_assessment_runs_a_fixed_number_of_queries(cast: Any, django_assert_num_queries: Any) -> None:
    """One query for the rules and one per active rule (each names its kab/kota and province itself), whatever
    the number of rows."""
    for number in range(3):
        make_sentra(cast.officer_a, name=f"Sentra {number}", unit_count=2)
    rules = RiskRule.objects.filter(active=True).count()
    with django_assert_num_queries(1 + rules):
        Assessment(cast.ministry_staff, 2021, today=TODAY).regencies()


# ---------------------------------------------------------------------------------------------------------------------
# The rules as data
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "changes", "field", "message"),
    [
        ("few_members", {"weight": -1}, "weight", "Ensure this value is greater than or equal to 0."),
        ("few_members", {"threshold": Decimal("4.5")}, "threshold", "Enter a whole number of member units."),
        ("few_members", {"threshold": None}, "threshold", "This rule needs a threshold (member units)."),
        ("no_coordinates", {"threshold": Decimal(3)}, "threshold", "This rule takes no threshold: leave it empty."),
        ("unit_cost_outlier", {"threshold": Decimal("0.8")}, "threshold", "The ratio must be more than 1"),
        ("contract_late", {"threshold": Decimal(13)}, "threshold", "The threshold must be between 1 and 12."),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_saved(cast: Any, code: str, changes: dict[str, Any], field: str,
                                                 message: str) -> None:  # fmt: skip
    rule = RiskRule.objects.get(code=code)
    before = (rule.weight, rule.threshold)
    for name, value in changes.items():
        setattr(rule, name, value)
    with pytest.raises(ValidationError) as refused:
        services.save_risk_rule(rule, acting_user=cast.auditor)
    assert any(text.startswith(message) for text in refused.value.message_dict[field])
    rule.refresh_from_db()
    assert (rule.weight, rule.threshold) == before


def test_an_unknown_code_is_refused(cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_risk_rule(RiskRule(code="nope", label="X", subject="sentra"), acting_user=cast.auditor)
    assert "code" in refused.value.message_dict


def test_a_change_is_kept_in_the_history_and_a_stale_one_refused(cast: Any) -> None:
    rule = RiskRule.objects.get(code="few_members")
    stale_copy = RiskRule.objects.get(pk=rule.pk)
    rule.weight = 5
    services.save_risk_rule(rule, acting_user=cast.ministry_staff)
    event = Event.objects.filter(model="monev.riskrule", object_id=str(rule.pk)).latest("id")
    assert event.user == cast.ministry_staff and event.changes["weight"] == [1, 5]
    stale_copy.weight = 9
    with pytest.raises(Conflict):
        services.save_risk_rule(stale_copy, acting_user=cast.auditor)


def test_only_ministry_staff_and_itjen_change_the_rules(cast: Any) -> None:
    from django.core.exceptions import PermissionDenied

    rule = RiskRule.objects.get(code="few_members")
    rule.weight = 2
    for user in (cast.officer_a, cast.analyst, cast.provincial):
        with pytest.raises(PermissionDenied):
            services.save_risk_rule(rule, acting_user=user)


def test_every_known_rule_is_seeded_and_computed(db: Any) -> None:
    from monev.choices import RiskCode
    from monev.risk import DEFINITIONS

    assert set(RiskRule.objects.values_list("code", flat=True)) == set(RiskCode.values) == set(DEFINITIONS)

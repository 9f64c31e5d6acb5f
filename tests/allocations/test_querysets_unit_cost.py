"""#17.4: a plan line's unit cost against the national median of the other lines (same detail, unit and year, every
kab/kota): more than 1.5 times or less than half of it is an outlier, saved only with a justification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from allocations.models import ActivityItem
from allocations.querysets import UNIT_COST_HIGH, UNIT_COST_LOW, UNIT_COST_MIN_PEERS
from allocations.testing import make_allocation, make_item, ref
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db

JUTA = 1_000_000
# The worked example: six lines of Bangunan produksi per m² in TA 2021, in two kab/kota. In order: 3,5 4 4 4 4,5 5
# juta, so the median of the six is 4 juta, and of any five of them 4 juta as well.
PEERS = [4 * JUTA, 4 * JUTA, 4_500_000, 5 * JUTA, 3_500_000, 4 * JUTA]


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def plans(cast: Any) -> Any:
    """An allocation in Kota Bandung and one in Kab. Sleman, TA 2021, each with a sentra."""
    bandung = make_allocation(cast.ministry_staff, amount=50_000 * JUTA)
    sleman = make_allocation(cast.ministry_staff, regency="34.04", amount=50_000 * JUTA)
    return (
        (bandung, make_sentra(cast.officer_a)),
        (sleman, make_sentra(cast.officer_b, village=VILLAGE_B)),
    )


def peers(cast: Any, plans: Any, costs: list[int] = PEERS) -> list[ActivityItem]:
    return [
        make_item(cast.ministry_staff, *plans[number % 2], volume="10", unit_cost=cost)
        for number, cost in enumerate(costs)
    ]


def check(cost: int, year: int = 2021, detail: str = "bangunan_produksi", unit: str = "m2") -> Any:
    return ActivityItem.objects.unit_cost_check(
        year=year, detail=ref(year, "detail", detail), unit=ref(year, "unit", unit), unit_cost=cost
    )


def test_the_thresholds_are_one_and_a_half_and_half_with_five_other_lines() -> None:
    assert (UNIT_COST_HIGH, UNIT_COST_LOW, UNIT_COST_MIN_PEERS) == (Decimal("1.5"), Decimal("0.5"), 5)


def test_the_check_of_a_line_being_entered(cast: Any, plans: Any) -> None:
    peers(cast, plans)
    assert check(9 * JUTA).median == 4 * JUTA
    assert (check(9 * JUTA).too_high, check(9 * JUTA).ratio) == (True, Decimal("2.25"))
    assert check(1_999_999).too_low
    assert not check(6 * JUTA).outlier and not check(2 * JUTA).outlier  # the range's ends are inside it
    assert (check(6 * JUTA).low, check(6 * JUTA).high) == (2 * JUTA, 6 * JUTA)
    assert not check(6_000_001, year=2020).outlier  # another year: no lines there
    assert check(6_000_001, unit="paket").median is None  # another unit
    assert check(6_000_001, detail="gudang").median is None  # another detail


def test_the_queryset_flags_lines_above_and_below_the_range_against_the_others(cast: Any, plans: Any) -> None:
    lines = peers(cast, plans)
    high = make_item(cast.ministry_staff, *plans[0], volume="1", unit_cost=9 * JUTA, justification="Tanah rawa")
    low = make_item(cast.ministry_staff, *plans[1], volume="1", unit_cost=1_900_000, justification="Hibah bahan")
    edge = make_item(cast.ministry_staff, *plans[1], volume="1", unit_cost=6 * JUTA)
    # Lines that do not count: another year, another unit, another detail (wildly dearer, many of them).
    other_year = make_allocation(cast.ministry_staff, year=2020, amount=50_000 * JUTA)
    for _ in range(6):
        make_item(cast.ministry_staff, other_year, plans[0][1], volume="1", unit_cost=90 * JUTA)
        make_item(cast.ministry_staff, *plans[0], volume="1", unit_cost=90 * JUTA, unit="paket")
        make_item(cast.ministry_staff, *plans[0], volume="1", unit_cost=90 * JUTA, detail="gudang")

    outliers = ActivityItem.objects.unit_cost_outliers()
    assert set(outliers.values_list("pk", flat=True)) == {high.pk, low.pk}
    # The risk register's rule may ask with its own thresholds: 9 juta is 2,25 times its others' median.
    assert list(ActivityItem.objects.unit_cost_outliers(high=Decimal("2.5"), low=Decimal("0.4"))) == []
    assert list(ActivityItem.objects.unit_cost_outliers(high=Decimal("2.2"), low=Decimal("0.4"))) == [high]
    rows = {row.pk: row for row in ActivityItem.objects.with_unit_cost_median()}
    # The others of the dear line: 1,9 3,5 4 4 4 4,5 5 6 juta; of the cheap one: 3,5 4 4 4 4,5 5 6 9 juta.
    assert (rows[high.pk].unit_cost_median, rows[high.pk].unit_cost_ratio) == (4 * JUTA, Decimal("2.25"))
    assert (rows[low.pk].unit_cost_median, rows[low.pk].unit_cost_ratio) == (4_250_000, Decimal("0.45"))
    assert rows[edge.pk].unit_cost_outlier is False
    assert_the_queryset_agrees_with_the_check([*lines, high, low, edge])  # an odd count: 9 lines


def assert_the_queryset_agrees_with_the_check(lines: list[ActivityItem]) -> None:
    """For every line, the queryset's median is the check's with the line left out: one rule, two ways to ask it."""
    rows = {row.pk: row for row in ActivityItem.objects.with_unit_cost_median()}
    for line in lines:
        expected = ActivityItem.objects.unit_cost_check(
            year=2021, detail=line.detail_id, unit=line.unit_id, unit_cost=line.unit_cost, exclude=line.pk
        )
        assert rows[line.pk].unit_cost_median == expected.median, line.unit_cost
        assert rows[line.pk].unit_cost_outlier == (None if expected.median is None else expected.outlier)


def test_nothing_is_flagged_with_fewer_than_five_other_lines(cast: Any, plans: Any) -> None:
    peers(cast, plans, PEERS[:4])
    assert (check(90 * JUTA).median, check(90 * JUTA).peers) == (None, 4)
    first = make_item(cast.ministry_staff, *plans[0], volume="1", unit_cost=90 * JUTA)  # 4 others: no median
    assert not ActivityItem.objects.unit_cost_outliers().exists()
    assert ActivityItem.objects.with_unit_cost_median().get(pk=first.pk).unit_cost_median is None
    sixth = make_item(cast.ministry_staff, *plans[1], volume="1", unit_cost=4 * JUTA)  # now every line has 5 others
    assert list(ActivityItem.objects.unit_cost_outliers()) == [first]
    assert_the_queryset_agrees_with_the_check([*ActivityItem.objects.exclude(pk=sixth.pk), sixth])  # an even count


def test_an_outlier_needs_a_justification_kept_with_the_line(cast: Any, plans: Any) -> None:
    peers(cast, plans)
    with pytest.raises(ValidationError) as error:
        make_item(cast.officer_a, *plans[0], volume="1", unit_cost=9 * JUTA, justification="  ")
    assert error.value.message_dict["unit_cost_justification"] == [
        "Unit cost Rp 9.000.000 is more than 1.5 times the national median of Rp 4.000.000 (usual range "
        "Rp 2.000.000–Rp 6.000.000) for Bangunan produksi per m², TA 2021. Say why in the justification of the "
        "unit cost."
    ]
    assert ActivityItem.objects.count() == len(PEERS)
    item = make_item(cast.officer_a, *plans[0], volume="1", unit_cost=9 * JUTA, justification="Lahan rawa")
    assert item.unit_cost_justification == "Lahan rawa"
    assert item.get_warnings() == [("unit_cost", error.value.message_dict["unit_cost_justification"][0].removesuffix(
        " Say why in the justification of the unit cost."))]  # fmt: skip


def test_the_warning_speaks_indonesian_by_default(cast: Any, plans: Any) -> None:
    peers(cast, plans)
    item = make_item(cast.officer_a, *plans[0], volume="1", unit_cost=1_500_000, justification="Bahan hibah")
    with translation.override("id"):
        message = item.get_warnings()[0][1]
    assert "Rp 1.500.000" in message and "Rp 4.000.000" in message and "Rp 2.000.000–Rp 6.000.000" in message

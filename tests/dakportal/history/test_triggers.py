"""#9: the history is kept by PostgreSQL triggers, so nothing that writes to the database slips past it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from allocations.models import Allocation
from allocations.testing import make_allocation, make_contract, make_item
from dakportal.history.context import history_context
from dakportal.history.models import Event
from dakportal.history.registry import tracked
from sentra import services as sentra_services
from sentra.models import Sentra
from sentra.testing import make_sentra, make_unit

pytestmark = pytest.mark.django_db


def events(obj: Any) -> list[Event]:
    return list(Event.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id"))


def test_every_tracked_table_has_its_trigger() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'dak_history'")
        tables = {row[0].strip('"') for row in cursor.fetchall()}
    expected = {entry.model._meta.db_table for entry in tracked().values()}
    assert expected <= tables
    # Every model of the domain apps is tracked, except the declared bookkeeping.
    for label in ("sentra.sentra", "sentra.ikmunit", "sentra.facility", "sentra.sentradocument",
                  "allocations.allocation", "allocations.activityitem", "allocations.contract",
                  "allocations.disbursement", "allocations.realisation", "allocations.disbursementrule",
                  "monev.monevreport", "monev.evidence", "monev.assignment", "monev.finding", "monev.recommendation",
                  "monev.followup", "accounts.user", "accounts.userregency"):  # fmt: skip
        assert label in tracked(), label
    assert "monev.notification" not in tracked()


def test_a_create_an_update_and_a_delete_are_recorded_with_who_and_what(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, investment_value=100_000_000)
    unit = make_unit(cast.officer_a, sentra)
    created = events(sentra)[0]
    assert created.action == "create" and created.username == "officer_a" and created.user_id == cast.officer_a.pk
    assert created.changes["investment_value"] == [None, 100_000_000]
    assert created.regency_id == "32.73" and created.label == "Sentra Uji"

    sentra.investment_value = 250_000_000
    sentra_services.save_sentra(sentra, acting_user=cast.ministry_staff)
    update = events(sentra)[-1]
    assert update.action == "update" and update.username == "ministry"
    assert update.changes["investment_value"] == [100_000_000, 250_000_000]
    assert update.changes["version"] == [1, 2]
    assert "last_updated" not in update.changes  # bookkeeping columns are not changes

    unit_pk = unit.pk
    with history_context(user=cast.officer_a):
        unit.delete()
    deleted = Event.objects.filter(model="sentra.ikmunit", object_id=str(unit_pk)).latest("id")
    assert deleted.action == "delete" and deleted.username == "officer_a"
    assert deleted.changes["business_name"] == [unit.business_name, None]  # the deleted row's values are kept
    assert deleted.parent_model == "sentra.sentra" and deleted.parent_id == str(sentra.pk)


def test_a_bulk_update_and_raw_sql_are_caught_too(cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff)
    with history_context(user=cast.ministry_staff, source="command:fix_pagu"):
        Allocation.objects.filter(pk=allocation.pk).update(amount=6_000_000_000)
    event = events(allocation)[-1]
    assert event.changes["amount"] == [5_000_000_000, 6_000_000_000]
    assert (event.username, event.source) == ("ministry", "command:fix_pagu")
    # The version moves on even past the services (the trigger raises it).
    allocation.refresh_from_db()
    assert allocation.version == 2 and event.changes["version"] == [1, 2]

    with connection.cursor() as cursor:  # outside the portal: no user, the database session is named instead
        cursor.execute("UPDATE allocations_allocation SET amount = 7000000000 WHERE id = %s", [allocation.pk])
    event = events(allocation)[-1]
    assert event.changes["amount"] == [6_000_000_000, 7_000_000_000]
    assert event.user_id is None and event.source.startswith("database:")


def test_an_update_that_changes_nothing_records_nothing(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    before = len(events(sentra))
    Sentra.objects.filter(pk=sentra.pk).update(name=sentra.name)
    assert len(events(sentra)) == before


def test_a_password_is_recorded_as_changed_but_never_stored(cast: Any) -> None:
    user = cast.analyst
    user.set_password("another-secret-456")
    user.save()
    event = events(user)[-1]
    assert event.changes["password"] == ["***", "***"]
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])
    assert events(user)[-1].id == event.id  # a login is not a change of the account


def test_the_history_is_append_only(cast: Any) -> None:
    make_sentra(cast.officer_a)
    event = Event.objects.first()
    assert event is not None
    for statement in ("UPDATE history_event SET username = 'x'", "DELETE FROM history_event"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert Event.objects.get(pk=event.pk).username == event.username


def test_a_plan_line_is_part_of_its_allocations_history(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    allocation = make_allocation(cast.ministry_staff)
    item = make_item(cast.officer_a, allocation, sentra)
    make_contract(cast.officer_a, allocation, 500_000_000)
    kinds = [e.model for e in Event.objects.of_object(allocation).order_by("id")]
    assert kinds == ["allocations.allocation", "allocations.activityitem", "allocations.contract"]
    assert (
        Event.objects.of_object(allocation)
        .filter(model="allocations.activityitem", object_id=str(item.pk))
        .get()
        .username
        == "officer_a"
    )

"""`BaseModel.meets` (#16): a rule written once as a `Q`, read in SQL for a list (`flag_<name>`) and checked for one
record, gives the same answer whichever way the record was loaded."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.choices import ReportStatus
from monev.models import MonevReport
from monev.testing import make_report
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def test_a_record_read_again_drops_the_flags_of_its_old_values(cast: Any) -> None:
    """#16: `refresh_from_db()` reads the record's values afresh; the rules computed from its old ones go too (as
    after `save()`), so `is_overdue` is not the list's stale answer."""
    report = make_report(cast.officer_a, make_sentra(cast.officer_a), year=2020, quarter=1)
    listed = MonevReport.objects.with_flags().get(pk=report.pk)
    assert listed.is_overdue
    MonevReport.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)
    listed.refresh_from_db()
    assert not listed.is_overdue


def test_loading_a_deferred_field_keeps_the_flags(cast: Any) -> None:
    """A deferred field loaded later is not a fresh read of the record: the list's flags stay (no query per row)."""
    make_report(cast.officer_a, make_sentra(cast.officer_a), year=2020, quarter=1)
    listed = MonevReport.objects.with_flags().defer("output").get()
    assert listed.output == ""
    with CaptureQueriesContext(connection) as queries:
        assert listed.is_overdue
    assert len(queries) == 0


def test_a_record_with_deferred_fields_checks_a_rule_in_one_query(cast: Any) -> None:
    """#16: `meets()` reads only the fields its rule names, so a record loaded with `.only()` does not load every
    other field one query at a time before checking the rule."""
    make_report(cast.officer_a, make_sentra(cast.officer_a), year=2020, quarter=1)
    counts = []
    for report in (MonevReport.objects.get(), MonevReport.objects.only("pk", "sentra").get()):
        with CaptureQueriesContext(connection) as queries:
            assert (report.is_late, report.is_overdue) == (True, True)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 2  # at most one query per rule for its missing fields (26 fields were deferred)

"""Monev rules (#5): deadlines, lateness, evidence checks and flags, reminders sent once."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from monev import services
from monev.models import Evidence, Finding, MonevReport, Notification, Recommendation, Reminder, default_deadline
from monev.reminders import send_reminders
from monev.testing import make_finding, make_report
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def test_the_default_deadline_is_the_end_of_the_month_after_the_quarter(settings: Any) -> None:
    settings.MONEV_DEADLINE_DAYS = 0
    assert default_deadline(2021, 1) == date(2021, 4, 30)
    assert default_deadline(2021, 4) == date(2022, 1, 31)
    settings.MONEV_DEADLINE_DAYS = 15
    assert default_deadline(2021, 2) == date(2021, 7, 15)


def test_a_report_prefills_from_the_previous_one_and_the_registry(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, unit_count=8)
    make_report(cast.officer_a, sentra, quarter=1, output="100 kg", active_units=7)
    second = make_report(
        cast.officer_a, sentra, quarter=2, operating_score="", compliance_score="", sustainability_score=""
    )
    assert second.output == "100 kg" and second.active_units == 7 and second.operating_score == "sesuai"
    assert second.checklist["members"] is True and second.checklist["sk"] is False


def test_submitting_needs_every_indicator_scored(cast: Any) -> None:
    report = make_report(cast.officer_a, make_sentra(cast.officer_a), compliance_score="")
    with pytest.raises(ValidationError):
        services.submit_report(report, acting_user=cast.officer_a)


def photo_with_exif(latitude: float, longitude: float, taken: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (16, 16), "green")
    exif = Image.Exif()
    gps = {1: "S" if latitude < 0 else "N", 2: _dms(abs(latitude)), 3: "E", 4: _dms(longitude)}
    exif[0x8825] = gps
    exif[0x0132] = taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue())


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2))


def test_a_photo_far_from_the_sentra_or_outside_the_period_is_flagged_not_refused(
    cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(cast.officer_a, latitude=Decimal("-6.874400"), longitude=Decimal("107.583200"))
    report = make_report(cast.officer_a, sentra, year=2021, quarter=2)
    near = services.add_evidence(upload=photo_with_exif(-6.8750, 107.5840, "2021:05:10 09:30:00"), title="Dekat",
                                 acting_user=cast.officer_a, report=report)  # fmt: skip
    assert near.flags == [] and near.distance_km is not None and near.distance_km < 1
    assert near.taken_at.date() == date(2021, 5, 10)
    far = services.add_evidence(upload=photo_with_exif(-7.8, 110.4, "2021:09:01 10:00:00"), title="Jauh",
                                acting_user=cast.officer_a, report=report)  # fmt: skip
    assert set(far.flags) == {"far_from_sentra", "outside_period"}
    assert Evidence.objects.count() == 2


def test_forged_or_oversized_evidence_is_refused(cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = make_report(cast.officer_a, make_sentra(cast.officer_a))
    with pytest.raises(ValidationError):
        services.add_evidence(
            upload=SimpleUploadedFile("laporan.pdf", b"not a pdf"), title="x", acting_user=cast.officer_a, report=report
        )
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.add_evidence(upload=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 " + b"0" * 100), title="x",
                              acting_user=cast.officer_a, report=report)  # fmt: skip
    assert not Evidence.objects.exists()


def test_reminders_are_sent_7_and_1_days_before_and_never_twice(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    sentra = make_sentra(cast.officer_a)
    report = make_report(cast.officer_a, sentra, deadline=today + timedelta(days=7))
    make_finding(cast.auditor, sentra, due_date=today + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today) == 2
        assert send_reminders(today) == 0  # the second run of the day sends nothing
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(user=cast.officer_a, text__contains=str(report.sentra)).count() >= 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today + timedelta(days=6)) == 1  # the report's 1-day reminder
    assert send_reminders(today + timedelta(days=6)) == 0


def test_an_overdue_finding_is_flagged(cast: Any) -> None:
    """#16: one rule (`FindingQuerySet.overdue_q`), read in SQL for a list and checked for one finding: both agree."""
    sentra = make_sentra(cast.officer_a)
    late = make_finding(cast.auditor, sentra, due_date=timezone.localdate() - timedelta(days=1))
    due = make_finding(cast.auditor, sentra, due_date=timezone.localdate())
    assert (late.is_overdue, due.is_overdue) == (True, False)
    listed = {finding.pk: finding.is_overdue for finding in Finding.objects.with_flags()}
    assert listed == {late.pk: True, due.pk: False}
    assert set(Finding.objects.filter(Finding.objects.overdue_q())) == {late}


def test_lateness_is_one_rule_in_sql_and_python(cast: Any) -> None:
    """#16: a report's lateness and overdueness (`late_q`, `overdue_q`) read in SQL for a list agree with the same
    rules checked for one report, before and after it is submitted; a saved report is read afresh."""
    today = timezone.localdate()
    sentra = make_sentra(cast.officer_a)
    past = make_report(cast.officer_a, sentra, year=today.year - 1, quarter=1)
    assert past.deadline < today
    current = make_report(cast.officer_a, sentra, year=today.year + 1, quarter=1)
    listed = {report.pk: (report.is_late, report.is_overdue) for report in MonevReport.objects.with_flags()}
    assert listed == {past.pk: (True, True), current.pk: (False, False)}
    assert (past.is_late, past.is_overdue, current.is_late) == (True, True, False)
    report = MonevReport.objects.with_flags().get(pk=past.pk)
    submitted = services.submit_report(report, acting_user=cast.officer_a)
    assert (submitted.is_late, submitted.is_overdue) == (True, False)  # submitted after its deadline: late, not overdue


def test_deadlines_and_due_dates_default_in_one_place(cast: Any) -> None:
    """#16: the defaults live in the models' `apply_defaults`, applied by `full_clean()`: a service, a form and the
    API get the same deadline and due date."""
    from monev.models import follow_up_due

    sentra = make_sentra(cast.officer_a)
    report = MonevReport(sentra=sentra, year=2021, quarter=2)
    report.full_clean(exclude=["created_by"])
    assert report.deadline == default_deadline(2021, 2)
    finding = services.record_finding(
        Finding(sentra=sentra, title="Mesin belum dimanfaatkan", category="asset_unused", condition="Terbungkus"),
        acting_user=cast.auditor,
        recommendations=[Recommendation(text="Operasikan mesin", responsible_official="Kepala Dinas")],
    )
    assert finding.regency_id == sentra.regency_id and finding.due_date == follow_up_due()
    assert [item.due_date for item in finding.recommendations.all()] == [finding.due_date]

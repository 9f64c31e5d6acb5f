"""Reminders before deadlines (#5): monev reports due and findings' follow-up due, 7 days and 1 day before.
`send_reminders()` is idempotent: each (kind, object, deadline, days before) is recorded once, so running it
twice a day, or again after a crash, sends nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.choices import EDITABLE, FindingStatus
from monev.models import Finding, MonevReport, Reminder
from monev.notifications import notify, officers_of

DAYS_BEFORE = (7, 1)


def send_reminders(today: date | None = None) -> int:
    """Send the reminders due today; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for days in DAYS_BEFORE:
        deadline = today + timedelta(days=days)
        for report in MonevReport.objects.filter(deadline=deadline, status__in=EDITABLE).select_related("sentra"):
            text = _("Monev report due in %(days)d day(s): %(report)s") % {"days": days, "report": report}
            sent += _send_once(
                "report", report.pk, deadline, days, report.sentra.regency_id, text, report.get_absolute_url()
            )
        for finding in Finding.objects.filter(due_date=deadline, status=FindingStatus.OPEN):
            text = _("Follow-up due in %(days)d day(s): %(title)s") % {"days": days, "title": finding.title}
            sent += _send_once(
                "finding", finding.pk, deadline, days, finding.regency_id, text, finding.get_absolute_url()
            )
    return sent


def _send_once(kind: str, pk: int, deadline: date, days: int, regency: str, text: str, url: str) -> int:
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, object_key=str(pk), deadline=deadline, days_before=days)
            notify(officers_of(regency), text, url)
    except IntegrityError:
        return 0  # sent before
    return 1

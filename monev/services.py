"""Every monev write and workflow transition goes through here (#5; STYLE.md convention 7).

Transitions lock the report row (SELECT ... FOR UPDATE), check the current status, record who/when/why, and
notify after commit. A caller may pass the `version` it saw: if another reviewer changed the report meanwhile,
`Conflict` is raised (HTTP 409) instead of acting twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.accounts.choices import Role
from dakportal.services import service, stale, validated_save
from dakportal.uploads import IMAGE_TYPES, check_upload, random_name
from monev.choices import EDITABLE, IN_REVIEW, FindingStatus, FollowUpClass, PeriodKind, ReportStatus
from monev.evidence import check_photo, read_exif
from monev.models import (
    FOLLOW_UP_DAYS,
    Assignment,
    Evidence,
    Finding,
    FollowUp,
    MonevReport,
    Recommendation,
    ReportTransition,
    default_deadline,
)
from monev.notifications import notify, officers_of, users_with_role
from sentra.querysets import CHECKLIST


def _locked(report: MonevReport, version: int | None) -> MonevReport:
    current: MonevReport = MonevReport.objects.select_for_update().select_related("sentra").get(pk=report.pk)
    if version is not None and current.version != version:
        raise stale(current, current.version)
    return current


def _move(report: MonevReport, to: str, by: Any, reason: str = "") -> MonevReport:
    ReportTransition.objects.create(report=report, from_status=report.status, to_status=to, by=by, reason=reason)
    report.status = to
    report.version += 1
    return report


# ---------------------------------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------------------------------
def prefill(report: MonevReport) -> MonevReport:
    """A new report starts from the sentra's previous report and the registry's checklist."""
    from sentra.models import Sentra

    previous = (
        MonevReport.objects.filter(sentra=report.sentra)
        .exclude(pk=report.pk)
        .order_by("-year", "-quarter", "-created")
        .first()
    )
    if previous is not None:
        for name in ("operating_score", "operating_note", "compliance_score", "compliance_note", "sustainability_score",
                     "sustainability_note", "active_units", "workers", "output"):  # fmt: skip
            if not getattr(report, name):
                setattr(report, name, getattr(previous, name))
    if not report.checklist:
        profile = Sentra.objects.with_profile().get(pk=report.sentra_id)
        report.checklist = {item.key: bool(getattr(profile, f"chk_{item.key}")) for item in CHECKLIST}
    return report


@service
def create_report(
    report: MonevReport, *, acting_user: Any, allocations: Any = None, photos: Sequence[Any] = ()
) -> MonevReport:
    """A draft report by a regional officer on a sentra of their region, pre-filled (see `prefill`), linked to
    the allocations that funded the sentra, with the photos taken in the field (#14: attached in the same save)."""
    if report.period_kind == PeriodKind.QUARTER and report.quarter:
        report.deadline = report.deadline or default_deadline(report.year, report.quarter)
    elif report.visit_date:
        report.deadline = report.deadline or report.visit_date + timedelta(days=30)
    report.created_by = report.created_by or acting_user
    prefill(report)
    validated_save(report)
    if allocations is not None:
        report.allocations.set(allocations)
    ReportTransition.objects.create(report=report, to_status=ReportStatus.DRAFT, by=acting_user)
    for photo in photos:
        add_evidence(upload=photo, title="", acting_user=acting_user, report=report)
    return report


@service
def update_report(
    report: MonevReport, *, acting_user: Any, allocations: Any = None, photos: Sequence[Any] = ()
) -> MonevReport:
    """Change a draft or returned report; a submitted one changes only through a return, an accepted one never."""
    current = MonevReport.objects.select_for_update().get(pk=report.pk)
    if current.status not in EDITABLE:
        raise ValidationError(
            _("A %(status)s report cannot be changed.") % {"status": current.get_status_display().lower()}
        )
    validated_save(report)
    if allocations is not None:
        report.allocations.set(allocations)
    for photo in photos:
        add_evidence(upload=photo, title="", acting_user=acting_user, report=report)
    return report


def _check_complete(report: MonevReport) -> None:
    labels = {
        "operating_score": _("the sentra operates"),
        "compliance_score": _("the work followed the rules"),
        "sustainability_score": _("the sentra stays in use"),
    }
    missing = [str(label) for name, label in labels.items() if not getattr(report, name)]
    if missing:
        raise ValidationError(
            _("Score every indicator before submitting: %(missing)s.") % {"missing": ", ".join(missing)}
        )


@service
def submit_report(report: MonevReport, *, acting_user: Any, version: int | None = None) -> MonevReport:
    report = _locked(report, version)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("A %(status)s report cannot be submitted.") % {"status": report.get_status_display().lower()}
        )
    _check_complete(report)
    to = ReportStatus.RESUBMITTED if report.status == ReportStatus.RETURNED else ReportStatus.SUBMITTED
    _move(report, to, acting_user)
    report.submitted_at = report.submitted_at or timezone.now()
    report.save(update_fields=["status", "version", "submitted_at", "last_updated"])
    notify(
        users_with_role(Role.MINISTRY),
        _("Monev report to review: %(report)s") % {"report": report},
        report.get_absolute_url(),
    )
    return report


@service
def return_report(report: MonevReport, *, reason: str, acting_user: Any, version: int | None = None) -> MonevReport:
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the report is returned.")]})
    report = _locked(report, version)
    if report.status not in IN_REVIEW:
        raise ValidationError(
            _("A %(status)s report cannot be returned.") % {"status": report.get_status_display().lower()}
        )
    _move(report, ReportStatus.RETURNED, acting_user, reason.strip())
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "version", "return_reason", "last_updated"])
    notify(
        officers_of(report.sentra.regency_id),
        _("Monev report returned: %(report)s") % {"report": report},
        report.get_absolute_url(),
    )
    return report


@service
def accept_report(report: MonevReport, *, acting_user: Any, version: int | None = None) -> MonevReport:
    report = _locked(report, version)
    if report.status not in IN_REVIEW:
        raise ValidationError(
            _("A %(status)s report cannot be accepted.") % {"status": report.get_status_display().lower()}
        )
    _move(report, ReportStatus.ACCEPTED, acting_user)
    report.save(update_fields=["status", "version", "last_updated"])
    notify(
        officers_of(report.sentra.regency_id),
        _("Monev report accepted: %(report)s") % {"report": report},
        report.get_absolute_url(),
    )
    return report


@service
def accept_reports(reports: list[MonevReport], *, acting_user: Any) -> list[MonevReport]:
    """Accept many reports at once: all of them, or none if one cannot be accepted."""
    return [accept_report(report, acting_user=acting_user) for report in reports]


@service
def add_evidence(*, upload: Any, title: str, acting_user: Any, report: MonevReport | None = None,
                 follow_up: FollowUp | None = None) -> Evidence:  # fmt: skip
    """A photo or document, checked by content; a photo's EXIF place and time are read and flagged."""
    if report is not None and report.status not in EDITABLE:
        raise ValidationError(_("Evidence can be added only while the report is a draft or returned."))
    checked = check_upload(upload)
    evidence = Evidence(report=report, follow_up=follow_up, title=title or upload.name[:200],
                        content_type=checked.content_type, size=checked.size, uploaded_by=acting_user)  # fmt: skip
    if checked.content_type in IMAGE_TYPES and report is not None:
        facts = check_photo(read_exif(upload), sentra=report.sentra, period=report.period_bounds,
                            max_km=settings.MONEV_PHOTO_MAX_KM)  # fmt: skip
        evidence.latitude, evidence.longitude, evidence.flags = facts.latitude, facts.longitude, facts.flags
        evidence.distance_km = facts.distance_km
        if facts.taken_at:
            evidence.taken_at = timezone.make_aware(facts.taken_at)
    owner = f"monev/report-{report.pk}" if report else f"monev/follow-up-{follow_up.pk if follow_up else 0}"
    evidence.file.save(random_name(owner, checked.extension), ContentFile(upload.read()), save=False)
    return validated_save(evidence)


# ---------------------------------------------------------------------------------------------------------------------
# Findings, recommendations, follow-up
# ---------------------------------------------------------------------------------------------------------------------
@service
def record_finding(
    finding: Finding, *, acting_user: Any, recommendations: list[Recommendation] | None = None
) -> Finding:
    """Itjen records a finding (due 60 days later unless given) with its recommendations; the region is told."""
    if finding.sentra is not None and not finding.regency_id:
        finding.regency_id = finding.sentra.regency_id
    finding.due_date = finding.due_date or timezone.localdate() + timedelta(days=FOLLOW_UP_DAYS)
    finding.created_by = finding.created_by or acting_user
    validated_save(finding)
    for recommendation in recommendations or []:
        recommendation.finding = finding
        validated_save(recommendation)
    notify(
        officers_of(finding.regency_id),
        _("New Itjen finding: %(title)s") % {"title": finding.title},
        finding.get_absolute_url(),
    )
    return finding


@service
def update_finding(finding: Finding, *, acting_user: Any) -> Finding:
    """Itjen corrects a finding's text or figures; its status and class change only through the workflow."""
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if current.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is closed: it can no longer change."))
    finding.status, finding.follow_up_class, finding.closed_at = current.status, current.follow_up_class, None
    return validated_save(finding)


@service
def save_assignment(assignment: Assignment, *, acting_user: Any) -> Assignment:
    """Record or correct an Itjen assignment (surat tugas)."""
    return validated_save(assignment)


@service
def submit_follow_up(finding: Finding, *, reply: str, acting_user: Any) -> FollowUp:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is closed: it takes no more follow-up."))
    if not reply.strip():
        raise ValidationError({"reply": [_("Write the reply.")]})
    follow_up = validated_save(FollowUp(finding=finding, reply=reply.strip(), submitted_by=acting_user))
    notify(
        users_with_role(Role.AUDITOR),
        _("Follow-up received: %(title)s") % {"title": finding.title},
        finding.get_absolute_url(),
    )
    return follow_up


@service
def verify_follow_up(follow_up: FollowUp, *, verification: str, reason: str, acting_user: Any) -> FollowUp:
    """Itjen classes a follow-up (Peraturan BPK 2/2017); "tidak dapat ditindaklanjuti" needs a reason."""
    follow_up = FollowUp.objects.select_for_update().select_related("finding").get(pk=follow_up.pk)
    if follow_up.finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is closed."))
    if follow_up.verification:
        raise ValidationError(_("This follow-up is already verified."))
    if verification not in FollowUpClass.values:
        raise ValidationError({"verification": [_("Choose one of the four classes.")]})
    if verification in (FollowUpClass.TIDAK_DAPAT, FollowUpClass.BELUM_SESUAI) and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for this class.")]})
    follow_up.verification, follow_up.verification_reason = verification, reason.strip()
    follow_up.verified_by, follow_up.verified_at = acting_user, timezone.now()
    follow_up.save()
    finding = follow_up.finding
    finding.follow_up_class = verification
    finding.save(update_fields=["follow_up_class", "last_updated"])
    notify(officers_of(finding.regency_id), _("Follow-up verified: %(title)s (%(class)s)") % {
        "title": finding.title, "class": follow_up.get_verification_display()}, finding.get_absolute_url())  # fmt: skip
    return follow_up


@service
def close_finding(finding: Finding, *, acting_user: Any) -> Finding:
    """Close a finding whose follow-up was verified as done (sesuai) or impossible (tidak dapat)."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is already closed."))
    if finding.follow_up_class not in (FollowUpClass.SESUAI, FollowUpClass.TIDAK_DAPAT):
        raise ValidationError(
            _("A finding closes only once its follow-up is verified as sesuai or tidak dapat ditindaklanjuti.")
        )
    finding.status, finding.closed_at = FindingStatus.CLOSED, timezone.now()
    finding.save(update_fields=["status", "closed_at", "last_updated"])
    return finding


def is_overdue(finding: Finding, today: date | None = None) -> bool:
    return finding.status == FindingStatus.OPEN and finding.due_date < (today or timezone.localdate())

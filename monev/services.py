"""Every monev write and workflow transition goes through here (#5; STYLE.md convention 7).

Transitions lock the report row (SELECT ... FOR UPDATE), check the current status, record who/when/why, and
notify after commit. A caller may pass the `version` it saw: if another reviewer changed the report meanwhile,
`Conflict` is raised (HTTP 409) instead of acting twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.accounts.choices import Role
from dakportal.accounts.scoping import Scope
from dakportal.formatting import rupiah
from dakportal.services import delete_record, service, stale, validated_save
from dakportal.uploads import IMAGE_TYPES, check_upload, random_name
from monev.choices import (
    CONTROLLERS,
    DEPOSIT_ACCEPTED,
    EDITABLE,
    IN_REVIEW,
    REASON_REQUIRED,
    SETTLED,
    VISIT_EDITABLE,
    CheckResult,
    CheckSubject,
    CorrectionStatus,
    FindingStatus,
    FollowUpClass,
    Indicator,
    ReportStatus,
    VisitStatus,
    VisitStep,
)
from monev.evidence import check_photo, read_exif
from monev.models import (
    LEGALITY_FIELDS,
    Assignment,
    AssignmentMember,
    Evidence,
    Finding,
    FollowUp,
    MonevReport,
    Recommendation,
    RegistryCheck,
    ReportTransition,
    RiskRule,
    Visit,
    VisitTransition,
    follow_up_due,
    legality_value,
)
from monev.notifications import notify, officers_of, team_of, users_with_role
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
def add_evidence(
    *,
    upload: Any,
    title: str,
    acting_user: Any,
    report: MonevReport | None = None,
    follow_up: FollowUp | None = None,
    visit: Visit | None = None,
    indicator: str = "",
) -> Evidence:
    """A photo or document, checked by content; a photo's EXIF place and time are read and flagged (#5). On an
    Itjen visit report (#13) it supports one of the three indicators, and only the team adds it to a draft."""
    if report is not None and report.status not in EDITABLE:
        raise ValidationError(_("Evidence can be added only while the report is a draft or returned."))
    if visit is not None:
        visit = _lock_visit(visit, None)
        _require_team(visit.assignment, acting_user)
        _refuse_locked(visit)
        if indicator not in Indicator.values:
            raise ValidationError({"indicator": [_("Choose the indicator this evidence supports.")]})
    checked = check_upload(upload)
    evidence = Evidence(report=report, follow_up=follow_up, visit=visit, indicator=indicator,
                        title=title or upload.name[:200], content_type=checked.content_type, size=checked.size,
                        uploaded_by=acting_user)  # fmt: skip
    place = report or visit
    if checked.content_type in IMAGE_TYPES and place is not None:
        facts = check_photo(read_exif(upload), sentra=place.sentra, period=place.period_bounds,
                            max_km=settings.MONEV_PHOTO_MAX_KM)  # fmt: skip
        evidence.latitude, evidence.longitude, evidence.flags = facts.latitude, facts.longitude, facts.flags
        evidence.distance_km = facts.distance_km
        if facts.taken_at:
            evidence.taken_at = timezone.make_aware(facts.taken_at)
    if report is not None:
        owner = f"monev/report-{report.pk}"
    elif visit is not None:
        owner = f"monev/visit-{visit.pk}"
    else:
        owner = f"monev/follow-up-{follow_up.pk if follow_up else 0}"
    evidence.file.save(random_name(owner, checked.extension), ContentFile(upload.read()), save=False)
    return validated_save(evidence)


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas), #13
# ---------------------------------------------------------------------------------------------------------------------
Member = tuple[Any, str]  # (an Itjen user, a TeamRole)


@service
def save_assignment(
    assignment: Assignment,
    *,
    acting_user: Any,
    members: list[Member] | None = None,
    regencies: list[Any] | None = None,
    sentra: list[Any] | None = None,
) -> Assignment:
    """Record or correct a surat tugas with its team, kab/kota and sentra (#13). The record's own rules, the team
    (`Assignment.check_team`) and the places (`Assignment.check_places`) are checked together, so every problem
    is reported at once and nothing is saved. Links not given stay as they are; a sentra that already has a visit
    report stays in its assignment."""
    adding = assignment._state.adding
    if members is None:
        members = [] if adding else [(m.user, m.role) for m in assignment.members.select_related("user")]
    if regencies is None:
        regencies = [] if adding else list(assignment.regencies.all())
    if sentra is None:
        sentra = [] if adding else list(assignment.sentra.all())
    errors: dict[str, list[str]] = {}
    checks: list[Callable[[], None]] = [
        assignment.full_clean,
        lambda: Assignment.check_team(members),
        lambda: Assignment.check_places(regencies, sentra),
    ]
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not adding:
        kept = {place.pk for place in sentra}
        visited = Visit.objects.filter(assignment=assignment).exclude(sentra__in=kept).select_related("sentra")
        for visit in visited:
            errors.setdefault("sentra", []).append(
                _("%(sentra)s has a visit report under this surat tugas: it stays.") % {"sentra": visit.sentra}
            )
    if errors:
        raise ValidationError(errors)
    assignment.created_by = assignment.created_by or acting_user
    validated_save(assignment)
    assignment.regencies.set(regencies)
    assignment.sentra.set(sentra)
    _set_team(assignment, members)
    return assignment


def _set_team(assignment: Assignment, members: list[Member]) -> None:
    """The team as given: people who left are removed, changed roles updated, newcomers added."""
    wanted = {user.pk: role for user, role in members}
    for member in list(assignment.members.all()):
        role = wanted.pop(member.user_id, None)
        if role is None:
            member.delete()
        elif role != member.role:
            member.role = role
            member.save(update_fields=["role"])
    AssignmentMember.objects.bulk_create(
        [AssignmentMember(assignment=assignment, user_id=user_id, role=role) for user_id, role in wanted.items()]
    )


def _require_team(assignment: Assignment, user: Any, *, controllers: bool = False) -> str:
    """#13: only the team of the surat tugas drafts its reports; only its controllers return, approve and issue."""
    role = assignment.role_of(user)
    if role is None:
        raise PermissionDenied(
            _("Only the team of surat tugas %(number)s may do this.") % {"number": assignment.number}
        )
    if controllers and role not in CONTROLLERS:
        raise PermissionDenied(
            _("Only a controller of the team (pengendali teknis or pengendali mutu) may review this report.")
        )
    return role


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: field visit reports (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
def _lock_visit(visit: Visit, version: int | None) -> Visit:
    current: Visit = (
        Visit.objects.select_for_update(of=("self",)).select_related("assignment", "sentra__regency").get(pk=visit.pk)
    )
    if version is not None and current.version != version:
        raise stale(current, current.version)
    return current


def _refuse_locked(visit: Visit) -> None:
    """A report changes while it is a draft or returned: a submitted one only after a return, an issued one never."""
    if visit.status == VisitStatus.ISSUED:
        raise ValidationError(
            _("LHM %(number)s is issued: a final report is locked and cannot be changed.") % {"number": visit.number}
        )
    if visit.status not in VISIT_EDITABLE:
        raise ValidationError(_("This report is under review: it changes again only if a controller returns it."))


def _record_step(visit: Visit, step: str, to: str, by: Any, reason: str = "") -> None:
    VisitTransition.objects.create(visit=visit, step=step, from_status=visit.status, to_status=to, by=by, reason=reason)
    visit.status = to


def registry_items(visit: Visit) -> list[RegistryCheck]:
    """The registry as it stands for the visited sentra: each facility, each document and the legality fields,
    to be checked on site (#13)."""
    from sentra.models import Sentra

    place: Sentra = visit.sentra
    items = [
        RegistryCheck(
            visit=visit,
            subject=CheckSubject.FACILITY,
            facility=facility,
            label=str(facility)[:250],
            registered=f"{facility.quantity} {facility.unit}, {facility.get_condition_display()}"[:300],
        )  # fmt: skip
        for facility in place.facilities.all()
    ]
    items += [
        RegistryCheck(
            visit=visit,
            subject=CheckSubject.DOCUMENT,
            document=document,
            label=f"{document.get_kind_display()}: {document.title}"[:250],
            registered=document.original_name[:300],
        )  # fmt: skip
        for document in place.documents.all()
    ]
    for name in LEGALITY_FIELDS:
        field: Any = Sentra._meta.get_field(name)
        value = getattr(place, name)
        if isinstance(value, bool):
            shown = str(_("yes") if value else _("no"))
        elif field.choices:
            shown = str(getattr(place, f"get_{name}_display")())
        else:
            shown = str(value or "")
        items.append(
            RegistryCheck(
                visit=visit,
                subject=CheckSubject.LEGALITY,
                field=name,
                label=str(field.verbose_name)[:250],
                registered=shown[:300],
            )  # fmt: skip
        )
    return items


@service
def create_visit(visit: Visit, *, acting_user: Any) -> Visit:
    """A member of the team drafts the visit report of a sentra of its surat tugas; the facilities, documents and
    legality of the sentra are listed from the registry, to be checked on site."""
    _require_team(visit.assignment, acting_user)
    visit.status = VisitStatus.DRAFT
    visit.created_by = visit.created_by or acting_user
    validated_save(visit)
    RegistryCheck.objects.bulk_create(registry_items(visit))
    VisitTransition.objects.create(visit=visit, step=VisitStep.CREATE, to_status=VisitStatus.DRAFT, by=acting_user)
    return visit


@service
def update_visit(visit: Visit, *, acting_user: Any) -> Visit:
    """The team changes its draft (or a returned report); the sentra and the surat tugas stay."""
    current = _lock_visit(visit, None)
    _require_team(current.assignment, acting_user)
    _refuse_locked(current)
    if (visit.sentra_id, visit.assignment_id) != (current.sentra_id, current.assignment_id):
        raise ValidationError({"sentra": [_("The sentra and the surat tugas of a report do not change.")]})
    visit.status, visit.number, visit.issued_on = current.status, current.number, current.issued_on
    return validated_save(visit)


@service
def save_registry_checks(
    visit: Visit, checks: list[RegistryCheck], *, acting_user: Any, version: int | None = None
) -> Visit:
    """The team records what it found for each registry item: as registered, or different with what it found and
    the correction it proposes (see `RegistryCheck`)."""
    visit = _lock_visit(visit, version)
    _require_team(visit.assignment, acting_user)
    _refuse_locked(visit)
    for check in checks:
        if check.visit_id != visit.pk:
            raise ValidationError(_("This item belongs to another report."))
        check.correction = ""
        validated_save(check)
    visit.version += 1
    visit.save(update_fields=["version", "last_updated"])
    return visit


def provisional_due(visit: Visit) -> date:
    """A finding's follow-up is due 60 days after the final report; until it is issued, 60 days from today."""
    return follow_up_due(visit.issued_on)


@service
def record_visit_finding(
    visit: Visit, finding: Finding, *, acting_user: Any, recommendations: list[Recommendation]
) -> Finding:
    """The team writes a finding (condition, criteria, cause, effect) of its report, with its recommendations. The
    region sees it, and is told, once the report is issued."""
    visit = _lock_visit(visit, None)
    _require_team(visit.assignment, acting_user)
    _refuse_locked(visit)
    if not recommendations:
        raise ValidationError({"recommendations": [_("Give at least one recommendation.")]})
    finding.visit, finding.sentra, finding.assignment = visit, visit.sentra, visit.assignment
    finding.regency = visit.sentra.regency
    finding.due_date = provisional_due(visit)
    finding.created_by = finding.created_by or acting_user
    validated_save(finding)
    for recommendation in recommendations:
        recommendation.finding = finding
        recommendation.due_date = finding.due_date
        validated_save(recommendation)
    return finding


@service
def update_visit_finding(
    finding: Finding,
    *,
    acting_user: Any,
    recommendations: list[Recommendation],
    removed: list[Recommendation] | None = None,
) -> Finding:
    """The team corrects a finding of its draft: its text, its recommendations (changed, added or removed)."""
    if finding.visit_id is None:
        raise ValidationError(_("This finding is not part of a visit report."))
    update_finding(finding, acting_user=acting_user)
    for recommendation in removed or []:
        delete_record(recommendation)
    for recommendation in recommendations:
        recommendation.finding = finding
        validated_save(recommendation)
    if not finding.recommendations.exists():
        raise ValidationError({"recommendations": [_("A finding keeps at least one recommendation.")]})
    return finding


def _check_visit_complete(visit: Visit) -> None:
    problems = []
    unscored = [str(label) for key, label in Indicator.choices
                if not getattr(visit, f"{key}_score") or not getattr(visit, f"{key}_note").strip()]  # fmt: skip
    if unscored:
        problems.append(
            _("Score each indicator and write its narrative: %(indicators)s.") % {"indicators": ", ".join(unscored)}
        )
    with_photo = set(
        Evidence.objects.filter(visit=visit, content_type__in=IMAGE_TYPES).values_list("indicator", flat=True)
    )
    without = [str(label) for key, label in Indicator.choices if key not in with_photo]
    if without:
        problems.append(
            _("Add at least one photo as evidence for: %(indicators)s.") % {"indicators": ", ".join(without)}
        )
    unchecked = visit.checks.filter(result="").count()
    if unchecked:
        problems.append(
            _("%(count)d registry item(s) are not checked yet: mark each as registered or different.")
            % {"count": unchecked}
        )
    if problems:
        raise ValidationError(problems)


@service
def submit_visit(visit: Visit, *, acting_user: Any, version: int | None = None) -> Visit:
    """The team submits its complete report (every indicator scored with a narrative and a photo, every registry
    item checked) to the controllers."""
    visit = _lock_visit(visit, version)
    _require_team(visit.assignment, acting_user)
    if visit.status not in VISIT_EDITABLE:
        _refuse_locked(visit)
    _check_visit_complete(visit)
    _record_step(visit, VisitStep.SUBMIT, VisitStatus.SUBMITTED, acting_user)
    visit.submitted_at, visit.approved_by, visit.approved_at = timezone.now(), None, None
    visit.version += 1
    visit.save(update_fields=["status", "submitted_at", "approved_by", "approved_at", "version", "last_updated"])
    notify(
        team_of(visit.assignment, CONTROLLERS).exclude(pk=acting_user.pk),
        _("Visit report to review: %(visit)s") % {"visit": visit},
        visit.get_absolute_url(),
    )
    return visit


@service
def return_visit(visit: Visit, *, reason: str, acting_user: Any, version: int | None = None) -> Visit:
    """A controller returns a submitted report to the team, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the report is returned.")]})
    visit = _lock_visit(visit, version)
    _require_team(visit.assignment, acting_user, controllers=True)
    if visit.status != VisitStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    _record_step(visit, VisitStep.RETURN, VisitStatus.RETURNED, acting_user, reason.strip())
    visit.return_reason, visit.approved_by, visit.approved_at = reason.strip(), None, None
    visit.version += 1
    visit.save(update_fields=["status", "return_reason", "approved_by", "approved_at", "version", "last_updated"])
    notify(
        team_of(visit.assignment).exclude(pk=acting_user.pk),
        _("Visit report returned: %(visit)s") % {"visit": visit},
        visit.get_absolute_url(),
    )
    return visit


@service
def approve_visit(visit: Visit, *, acting_user: Any, version: int | None = None) -> Visit:
    """A controller approves a submitted report; it can then be issued."""
    visit = _lock_visit(visit, version)
    _require_team(visit.assignment, acting_user, controllers=True)
    if visit.status != VisitStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    if visit.approved_by_id:
        raise ValidationError(_("This report is already approved."))
    _record_step(visit, VisitStep.APPROVE, VisitStatus.SUBMITTED, acting_user)
    visit.approved_by, visit.approved_at = acting_user, timezone.now()
    visit.version += 1
    visit.save(update_fields=["approved_by", "approved_at", "version", "last_updated"])
    notify(
        team_of(visit.assignment, CONTROLLERS).exclude(pk=acting_user.pk),
        _("Visit report approved, ready to issue: %(visit)s") % {"visit": visit},
        visit.get_absolute_url(),
    )
    return visit


def next_lhm_number(year: int) -> str:
    """The next LHM number of the year: LHM-001/IJ/2026, LHM-002/IJ/2026, ..."""
    count = Visit.objects.filter(issued_on__year=year).count() + 1
    while Visit.objects.filter(number=f"LHM-{count:03d}/IJ/{year}").exists():
        count += 1
    return f"LHM-{count:03d}/IJ/{year}"


@service
def issue_visit(
    visit: Visit,
    *,
    acting_user: Any,
    version: int | None = None,
    number: str = "",
    issued_on: date | None = None,
) -> Visit:
    """A controller issues an approved report as final: numbered and dated, locked from then on, sent to the
    kab/kota and Ditjen IKMA. Its findings' and recommendations' follow-up falls due 60 days after the issue date,
    and its registry differences go to the region as proposed corrections."""
    visit = _lock_visit(visit, version)
    _require_team(visit.assignment, acting_user, controllers=True)
    if visit.status != VisitStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted and approved report can be issued."))
    if not visit.approved_by_id:
        raise ValidationError(_("A controller approves the report before it is issued."))
    issued_on = issued_on or timezone.localdate()
    if issued_on < visit.visit_date:
        raise ValidationError({"issued_on": [_("A report cannot be issued before the visit.")]})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": [_("The issue date cannot be in the future.")]})
    _record_step(visit, VisitStep.ISSUE, VisitStatus.ISSUED, acting_user)
    visit.number = number.strip() or next_lhm_number(issued_on.year)
    visit.issued_on, visit.issued_by = issued_on, acting_user
    validated_save(visit)
    due = follow_up_due(issued_on)
    Finding.objects.filter(visit=visit).update(due_date=due, version=F("version") + 1)
    Recommendation.objects.filter(finding__visit=visit).update(due_date=due, version=F("version") + 1)
    visit.checks.filter(result=CheckResult.DIFFERENT).update(
        correction=CorrectionStatus.PROPOSED, version=F("version") + 1
    )
    recipients = {user.pk: user for user in officers_of(visit.sentra.regency_id)}
    recipients |= {user.pk: user for user in users_with_role(Role.MINISTRY)}
    recipients |= {user.pk: user for user in team_of(visit.assignment).exclude(pk=acting_user.pk)}
    notify(
        recipients.values(),
        _("Laporan Hasil Monev %(number)s issued: %(sentra)s") % {"number": visit.number, "sentra": visit.sentra},
        visit.get_absolute_url(),
    )
    return visit


@service
def decide_correction(
    check: RegistryCheck, *, confirm: bool, acting_user: Any, reason: str = "", version: int | None = None
) -> RegistryCheck:
    """The region confirms a registry correction proposed by an issued report (the registry is then corrected
    through its own services, with the LHM as the reason) or rejects it, saying why."""
    from sentra import services as sentra_services
    from sentra.models import Facility, Sentra

    check = RegistryCheck.objects.select_for_update(of=("self",)).select_related("visit").get(pk=check.pk)
    if version is not None and check.version != version:
        raise stale(check, check.version)
    if check.correction != CorrectionStatus.PROPOSED:
        raise ValidationError(_("This correction is not open for a decision."))
    if not confirm and not reason.strip():
        raise ValidationError({"reason": [_("Say why the correction is rejected.")]})
    why = _("Correction confirmed from LHM %(number)s") % {"number": check.visit.number}
    if confirm and check.subject == CheckSubject.FACILITY and check.facility_id:
        facility = Facility.objects.get(pk=check.facility_id)
        facility.quantity = check.proposed_quantity or facility.quantity
        facility.condition = check.proposed_condition or facility.condition
        sentra_services.save_facility(facility, acting_user=acting_user)
    elif confirm and check.subject == CheckSubject.LEGALITY and check.proposed_value:
        place = Sentra.objects.get(pk=check.visit.sentra_id)
        setattr(place, check.field, legality_value(check.field, check.proposed_value)[0])
        sentra_services.save_sentra(place, acting_user=acting_user, reason=why)
    check.correction = CorrectionStatus.CONFIRMED if confirm else CorrectionStatus.REJECTED
    check.decided_by, check.decided_at, check.decision_reason = acting_user, timezone.now(), reason.strip()
    check.version += 1
    check.save(update_fields=["correction", "decided_by", "decided_at", "decision_reason", "version", "last_updated"])
    notify(
        team_of(check.visit.assignment, ["lead"]),
        _("Registry correction %(decision)s: %(item)s") % {"decision": check.get_correction_display(), "item": check},
        check.visit.get_absolute_url(),
    )
    return check


# ---------------------------------------------------------------------------------------------------------------------
# Findings, recommendations, follow-up
# ---------------------------------------------------------------------------------------------------------------------
@service
def record_finding(
    finding: Finding, *, acting_user: Any, recommendations: list[Recommendation] | None = None
) -> Finding:
    """Itjen records a finding (due 60 days later unless given) with its recommendations, at least one: each is
    followed up on its own (#13); the region is told."""
    if not recommendations:
        raise ValidationError({"recommendations": [_("Give at least one recommendation.")]})
    finding.created_by = finding.created_by or acting_user
    validated_save(finding)
    for recommendation in recommendations:
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
    if current.visit_id is not None:  # #13: part of a visit report: its team, while it is a draft
        visit = _lock_visit(current.visit, None)
        _require_team(visit.assignment, acting_user)
        _refuse_locked(visit)
        finding.visit_id, finding.sentra_id, finding.regency_id = (
            current.visit_id,
            current.sentra_id,
            current.regency_id,
        )
    finding.status, finding.follow_up_class, finding.closed_at = current.status, current.follow_up_class, None
    return validated_save(finding)


# ---------------------------------------------------------------------------------------------------------------------
# Follow-up per recommendation (TLHP, Peraturan BPK 2/2017), #13
# ---------------------------------------------------------------------------------------------------------------------
def _lock_recommendation(recommendation: Recommendation, version: int | None) -> Recommendation:
    current: Recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("finding__regency", "finding__visit")
        .get(pk=recommendation.pk)
    )
    if version is not None and current.version != version:
        raise stale(current, current.version)
    return current


def may_follow_up(finding: Finding, user: Any) -> bool:
    """#13: a finding's recommendations are followed up by the officers of its own kab/kota (the dinas), nobody
    else."""
    return bool(user.has_perm("monev.add_followup") and Scope.of(user).allows_code(finding.regency_id))


def _require_officer_of(recommendation: Recommendation, user: Any) -> None:
    regency = recommendation.finding.regency
    if not may_follow_up(recommendation.finding, user):
        raise PermissionDenied(
            _("Only the officers of %(regency)s follow up its recommendations.") % {"regency": regency.name}
        )


def deposits_counted(recommendation: Recommendation) -> int:
    """What the follow-ups of a recommendation deposited and Itjen has not refused: accepted (sesuai, belum
    sesuai) or still to verify. A new deposit may not take it above the amount to recover."""
    counted = FollowUp.objects.filter(recommendation=recommendation).filter(
        Q(verification="") | Q(verification__in=DEPOSIT_ACCEPTED)
    )
    return int(counted.aggregate(total=Coalesce(Sum("amount_deposited"), 0))["total"])


@service
def submit_follow_up(
    recommendation: Recommendation,
    *,
    reply: str,
    acting_user: Any,
    amount_deposited: int = 0,
    deposit_to: str = "",
    deposit_reference: str = "",
    deposit_date: date | None = None,
    attachments: Sequence[Any] = (),
    version: int | None = None,
) -> FollowUp:
    """The region follows up one recommendation (#13): its reply, its documents (checked as every upload is), and
    any money paid back to the treasury with the date and proof of deposit. Refused, with nothing saved, on a
    settled recommendation (sesuai or tidak dapat ditindaklanjuti), from outside the kab/kota, or for a deposit
    above what remains to recover. `version`, when given, is the recommendation's as the officer saw it."""
    recommendation = _lock_recommendation(recommendation, version)
    _require_officer_of(recommendation, acting_user)
    finding = recommendation.finding
    if finding.visit is not None and finding.visit.status != VisitStatus.ISSUED:
        raise ValidationError(_("This recommendation's visit report is not issued yet."))
    if recommendation.is_settled:
        raise ValidationError(
            _("This recommendation is settled (%(status)s): it takes no more follow-up.")
            % {"status": recommendation.get_status_display().lower()}
        )
    if not reply.strip():
        raise ValidationError({"reply": [_("Write the reply.")]})
    if amount_deposited:
        if not recommendation.amount_to_recover:
            raise ValidationError({"amount_deposited": [_("This recommendation has no amount to recover.")]})
        remaining = max(recommendation.amount_to_recover - deposits_counted(recommendation), 0)
        if amount_deposited > remaining:
            raise ValidationError(
                {
                    "amount_deposited": [
                        _("The deposit (%(amount)s) is above what remains to recover on this recommendation "
                          "(%(remaining)s).") % {"amount": rupiah(amount_deposited), "remaining": rupiah(remaining)}
                    ]
                }
            )  # fmt: skip
    follow_up = validated_save(
        FollowUp(
            recommendation=recommendation,
            reply=reply.strip(),
            submitted_by=acting_user,
            amount_deposited=amount_deposited or 0,
            deposit_to=deposit_to,
            deposit_reference=deposit_reference,
            deposit_date=deposit_date,
        )  # fmt: skip
    )
    for upload in attachments:
        add_evidence(upload=upload, title="", acting_user=acting_user, follow_up=follow_up)
    notify(
        users_with_role(Role.AUDITOR),
        _("Follow-up received: %(title)s") % {"title": finding.title},
        recommendation.get_absolute_url(),
    )
    return follow_up


@service
def verify_follow_up(
    follow_up: FollowUp, *, verification: str, reason: str, acting_user: Any, version: int | None = None
) -> FollowUp:
    """Itjen classes a follow-up into one of the four classes of Peraturan BPK 2/2017 (#13); belum sesuai and
    tidak dapat ditindaklanjuti need a reason. The class becomes the recommendation's status, and the finding
    is settled (`settle_finding`). `version` is the follow-up's as the auditor saw it."""
    if not acting_user.has_perm("monev.verify_followup"):
        raise PermissionDenied(_("Only Itjen verifies follow-ups."))
    current: FollowUp = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    if version is not None and current.version != version:
        raise stale(current, current.version)
    recommendation = _lock_recommendation(current.recommendation, None)
    if current.verification:
        raise ValidationError(_("This follow-up is already verified."))
    if recommendation.is_settled:
        raise ValidationError(_("This recommendation is already settled: the follow-up needs no verification."))
    if verification not in FollowUpClass.values:
        raise ValidationError({"verification": [_("Choose one of the four classes.")]})
    if verification in REASON_REQUIRED and not reason.strip():
        raise ValidationError(
            {"reason": [_("Give the reason for the class %(class)s.") % {"class": FollowUpClass(verification).label}]}
        )
    current.verification, current.verification_reason = verification, reason.strip()
    current.verified_by, current.verified_at = acting_user, timezone.now()
    current.version += 1
    current.save(update_fields=["verification", "verification_reason", "verified_by", "verified_at", "version",
                                "last_updated"])  # fmt: skip
    recommendation.status = verification
    recommendation.version += 1
    recommendation.save(update_fields=["status", "version", "last_updated"])
    finding = settle_finding(recommendation.finding, acting_user=acting_user)
    notify(
        officers_of(finding.regency_id),
        _("Follow-up verified: %(title)s (%(class)s)")
        % {"title": finding.title, "class": current.get_verification_display()},
        recommendation.get_absolute_url(),
    )
    return current


def finding_class(statuses: Sequence[str]) -> str:
    """#13: a finding's follow-up class, derived from its recommendations' statuses: settled as sesuai when all
    are sesuai, as tidak dapat ditindaklanjuti when all are settled and some could not be; while any is open,
    belum sesuai once any was followed up, belum ditindaklanjuti before."""
    if statuses and all(status in SETTLED for status in statuses):
        return FollowUpClass.SESUAI if all(s == FollowUpClass.SESUAI for s in statuses) else FollowUpClass.TIDAK_DAPAT
    if any(status != FollowUpClass.BELUM_DITINDAKLANJUTI for status in statuses):
        return FollowUpClass.BELUM_SESUAI
    return FollowUpClass.BELUM_DITINDAKLANJUTI


@service
def settle_finding(finding: Finding, *, acting_user: Any) -> Finding:
    """The one place a finding's follow-up class and closing follow from its recommendations (#13): it closes
    when all of them are sesuai or tidak dapat ditindaklanjuti, and its class is `finding_class` of theirs."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    statuses = list(Recommendation.objects.filter(finding=finding).values_list("status", flat=True))
    derived = finding_class(statuses)
    closes = bool(statuses) and all(status in SETTLED for status in statuses)
    status = FindingStatus.CLOSED if closes else FindingStatus.OPEN
    if (finding.follow_up_class, finding.status) == (derived, status):
        return finding
    finding.follow_up_class, finding.status = derived, status
    finding.closed_at = timezone.now() if closes else None
    finding.version += 1
    finding.save(update_fields=["follow_up_class", "status", "closed_at", "version", "last_updated"])
    return finding


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17)
# ---------------------------------------------------------------------------------------------------------------------
@service
def save_risk_rule(rule: RiskRule, *, acting_user: Any) -> RiskRule:
    """A change to a rule's label, threshold, weight or activity by ministry staff or Itjen, validated
    (`RiskRule.clean`: the threshold's type and range, the weight from 0 to 100) and kept in the history with who
    changed it. Based on the version the user opened (#9)."""
    if not acting_user.has_perm("monev.change_riskrule"):
        raise PermissionDenied(_("Only ministry staff and Itjen change the risk rules."))
    return validated_save(rule)

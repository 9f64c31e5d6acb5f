"""Monev's part of the dashboard (#14), registered with the foundation in `MonevConfig.ready()` (#16 point 3).

Ministry staff: the reports waiting for review by how long they have waited. Itjen: the open findings by age and
follow-up class, their surat tugas and visit reports in progress. A regional officer: the reports and follow-ups
due next, and what is overdue or returned first. Counts are aggregates of the monev querysets (one query per
model), each linked to the list filtered to show the same rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dakportal.accounts.choices import Role
from dakportal.accounts.scoping import Scope
from dakportal.dashboard import Attention, Deadline, register_attention, register_deadlines, register_panel
from monev.choices import (
    CONTROLLERS,
    EDITABLE,
    IN_REVIEW,
    CorrectionStatus,
    FindingStatus,
    FollowUpClass,
    ReportStatus,
    VisitStatus,
)
from monev.models import Assignment, Finding, MonevReport, RegistryCheck, Visit, default_deadline
from monev.querysets import AGES, REPORTING_STATUSES, FindingQuerySet


def _url(name: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")}, doseq=True)
    return reverse(name) + (f"?{query}" if query else "")


def _regional(user: Any) -> bool:
    return bool(user.has_perm("monev.add_monevreport")) and not Scope.of(user).national


def _auditor(user: Any) -> bool:
    return getattr(user, "role", None) == Role.AUDITOR or bool(getattr(user, "is_superuser", False))


# ---------------------------------------------------------------------------------------------------------------------
# Ministry staff: the review queue by age
# ---------------------------------------------------------------------------------------------------------------------
def review_by_age(user: Any) -> dict[str, Any]:
    counts = MonevReport.objects.for_user(user).awaiting_review_by_age()
    labels = {"0-7": _("0–7 days"), "8-30": _("8–30 days"), "31+": _("more than 30 days")}
    rows = [
        {"label": labels[name], "count": count, "url": _url("monev:report_list", status=IN_REVIEW, waiting=name),
         "old": name != "0-7"}
        for name, count in counts.items()
    ]  # fmt: skip
    return {"rows": rows, "total": sum(counts.values()), "url": _url("monev:report_list", status=IN_REVIEW)}


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: open findings by age and class, the team's work in progress
# ---------------------------------------------------------------------------------------------------------------------
def findings_by_age(user: Any) -> dict[str, Any]:
    found = {(row["follow_up_class"], row["age"]): row["count"]
             for row in Finding.objects.for_user(user).open_by_age_and_class()}  # fmt: skip
    rows = []
    for value, label in FollowUpClass.choices:
        cells = [
            {"count": found.get((value, age), 0),
             "url": _url("monev:finding_list", status=FindingStatus.OPEN, follow_up_class=value, age=age)}
            for age in AGES
        ]  # fmt: skip
        total = sum(cell["count"] for cell in cells)
        rows.append({"label": label, "cells": cells, "total": total,
                     "url": _url("monev:finding_list", status=FindingStatus.OPEN, follow_up_class=value)})  # fmt: skip
    return {
        "ages": list(AGES),
        "rows": rows,
        "total": sum(found.values()),
        "url": _url("monev:finding_list", status=FindingStatus.OPEN),
    }


def team_work(user: Any) -> dict[str, Any] | None:
    """The surat tugas of the user's team still running or to come, and the visit reports not yet issued."""
    today = timezone.localdate()
    assignments = Assignment.objects.for_user(user).with_member(user).filter(period_end__gte=today)
    counts = assignments.aggregate(running=Count("pk", filter=Q(period_start__lte=today)), current=Count("pk"))
    mine = Visit.objects.for_user(user).filter(assignment__in=Assignment.objects.with_member(user))
    visits = mine.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in VisitStatus.values})
    visit_rows = [
        {"label": VisitStatus(status).label, "count": visits[status],
         "url": _url("monev:visit_list", status=status, mine="true")}
        for status in (VisitStatus.DRAFT, VisitStatus.RETURNED, VisitStatus.SUBMITTED)
    ]  # fmt: skip
    return {
        "running": counts["running"],
        "running_url": _url("monev:assignment_list", mine="true", active_on=today.isoformat()),
        "current": counts["current"],
        "current_url": _url("monev:assignment_list", mine="true", current="true"),
        "visits": visit_rows,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Needs your attention (every role) and deadlines (a regional officer)
# ---------------------------------------------------------------------------------------------------------------------
def attention(user: Any) -> list[Attention]:
    """What needs the user's attention, by role: one aggregate query per kind of record."""
    today = timezone.localdate()
    items: list[Attention] = []
    reports = MonevReport.objects.for_user(user)
    if _regional(user):
        counts = reports.order_by().aggregate(
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            due=Count("pk", filter=reports.due_within_q(30)),
            overdue=Count("pk", filter=reports.overdue_q()),
        )
        findings = (
            Finding.objects.for_user(user)
            .order_by()
            .aggregate(
                open=Count("pk", filter=Q(status=FindingStatus.OPEN)),
                overdue=Count("pk", filter=FindingQuerySet.overdue_q(today)),
            )
        )
        items += [
            Attention(gettext_lazy("Monev reports returned to you"), counts["returned"],
                      _url("monev:report_list", status=ReportStatus.RETURNED), warning=True),
            Attention(gettext_lazy("Monev reports overdue"), counts["overdue"],
                      _url("monev:report_list", overdue="true"), warning=True),
            Attention(gettext_lazy("Findings with follow-up overdue"), findings["overdue"],
                      _url("monev:finding_list", overdue="true"), warning=True),
            Attention(gettext_lazy("Monev reports due within 30 days"), counts["due"],
                      _url("monev:report_list", due_within="30")),
            Attention(gettext_lazy("Open Itjen findings"), findings["open"],
                      _url("monev:finding_list", status=FindingStatus.OPEN)),
        ]  # fmt: skip
    if user.has_perm("monev.review_monevreport"):
        counts = reports.order_by().aggregate(
            waiting=Count("pk", filter=Q(status__in=IN_REVIEW)), overdue=Count("pk", filter=reports.overdue_q())
        )
        items += [
            Attention(gettext_lazy("Monev reports waiting for review"), counts["waiting"],
                      _url("monev:report_list", status=IN_REVIEW)),
            Attention(gettext_lazy("Monev reports overdue in the regions"), counts["overdue"],
                      _url("monev:report_list", overdue="true"), warning=True),
        ]  # fmt: skip
    if user.has_perm("monev.verify_followup"):
        scoped = Finding.objects.for_user(user)
        counts = scoped.order_by().aggregate(
            overdue=Count("pk", filter=FindingQuerySet.overdue_q(today)),
            to_verify=Count("pk", filter=scoped.to_verify_q()),
        )
        items += [
            Attention(gettext_lazy("Follow-ups waiting for verification"), counts["to_verify"],
                      _url("monev:finding_list", status=FindingStatus.OPEN, to_verify="true")),
            Attention(gettext_lazy("Findings with follow-up overdue"), counts["overdue"],
                      _url("monev:finding_list", overdue="true"), warning=True),
        ]  # fmt: skip
    items += _itjen_attention(user)
    return items


def _itjen_attention(user: Any) -> list[Attention]:
    """#13: the visit reports waiting for the user's team (returned to it; submitted to its controllers), and for a
    region, the registry corrections an issued report proposes."""
    items: list[Attention] = []
    if user.has_perm("monev.change_visit"):
        mine = Visit.objects.filter(assignment__in=Assignment.objects.with_member(user))
        reviewed = Assignment.objects.filter(members__user=user, members__role__in=CONTROLLERS)
        counts = Visit.objects.order_by().aggregate(
            returned=Count("pk", filter=Q(status=VisitStatus.RETURNED, pk__in=mine.values("pk"))),
            to_review=Count("pk", filter=Q(status=VisitStatus.SUBMITTED, assignment__in=reviewed)),
        )
        items += [
            Attention(gettext_lazy("Visit reports returned to your team"), counts["returned"],
                      _url("monev:visit_list", status=VisitStatus.RETURNED, mine="true"), warning=True),
            Attention(gettext_lazy("Visit reports for you to review"), counts["to_review"],
                      _url("monev:visit_list", status=VisitStatus.SUBMITTED, to_review="true")),
        ]  # fmt: skip
    if user.has_perm("monev.decide_registrycheck"):
        checks = RegistryCheck.objects.for_user(user)
        proposed = checks.filter(correction=CorrectionStatus.PROPOSED, visit__status=VisitStatus.ISSUED)
        items.append(Attention(gettext_lazy("Registry corrections proposed by Itjen"), proposed.count(),
                               _url("monev:visit_list", corrections="true")))  # fmt: skip
    return items


def deadlines(user: Any) -> list[Deadline]:
    """A regional officer's next monev quarter (its deadline and the reporting sentra without a submitted report
    for it), the earliest draft report due, and the next follow-up due on an open finding."""
    if not _regional(user):
        return []
    from sentra.models import Sentra

    today = timezone.localdate()
    year, quarter = _next_quarter_due(today)
    due = default_deadline(year, quarter)
    submitted = MonevReport.objects.filter(year=year, quarter=quarter, submitted_at__isnull=False)
    missing = (
        Sentra.objects.for_user(user)
        .filter(status__in=REPORTING_STATUSES)
        .exclude(pk__in=submitted.values("sentra"))
        .count()
    )
    found = [
        Deadline(_("Monev reports for TW %(quarter)d %(year)d") % {"quarter": quarter, "year": year}, due, missing,
                 _url("monev:report_list", year=year, quarter=quarter))
    ]  # fmt: skip
    drafts = MonevReport.objects.for_user(user).filter(status__in=EDITABLE, deadline__gte=today)
    first = drafts.order_by().aggregate(due=Min("deadline"), count=Count("pk"))
    if first["due"]:
        found.append(Deadline(_("Draft monev reports to submit"), first["due"], first["count"],
                              _url("monev:report_list", status=EDITABLE)))  # fmt: skip
    findings = Finding.objects.for_user(user).filter(status=FindingStatus.OPEN, due_date__gte=today)
    next_finding = findings.order_by().aggregate(due=Min("due_date"), count=Count("pk"))
    if next_finding["due"]:
        found.append(Deadline(_("Follow-up on Itjen findings"), next_finding["due"], next_finding["count"],
                              _url("monev:finding_list", status=FindingStatus.OPEN, overdue="false")))  # fmt: skip
    return found


def _next_quarter_due(today: Any) -> tuple[int, int]:
    """The quarter whose report deadline is the next one from today (the quarter just ended, until its deadline)."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return previous if default_deadline(*previous) >= today else (year, quarter)


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17): a region's own warnings first, as things to fix; the top of the ranking for the others
# ---------------------------------------------------------------------------------------------------------------------
def _assessment(user: Any) -> Any:
    from allocations.models import Allocation
    from monev.risk import Assessment

    year = Allocation.objects.for_user(user).order_by().aggregate(year=Max("year"))["year"]
    return Assessment(user, year) if year else None


def risk_warnings(user: Any) -> dict[str, Any] | None:
    """A regional officer's kab/kota with the rules that fired in it for the latest year, each reason naming what
    to fix."""
    assessment = _assessment(user)
    rows = assessment.regencies() if assessment else []
    if not rows:
        return None
    year = assessment.context.year
    return {"rows": rows, "year": year, "url": _url("monev:risk", year=year)}


def risk_top(user: Any) -> dict[str, Any] | None:
    """The five kab/kota with the highest risk scores for the latest year, linked to "Prioritas monev"."""
    assessment = _assessment(user)
    rows = assessment.regencies()[:5] if assessment else []
    if not rows:
        return None
    year = assessment.context.year
    return {"rows": rows, "year": year, "url": _url("monev:risk", year=year)}


def register() -> None:
    register_panel("risk-warnings", template="monev/dashboard/risk_warnings.html",
                   applies=lambda user: user.has_perm("monev.view_riskrule") and not Scope.of(user).national,
                   build=risk_warnings, order=0, width="col-12")  # fmt: skip
    register_panel("risk-top", template="monev/dashboard/risk_top.html",
                   applies=lambda user: user.has_perm("monev.view_riskrule") and Scope.of(user).national
                   and (_auditor(user) or user.has_perm("monev.review_monevreport")),
                   build=risk_top, order=5, width="col-xl-7")  # fmt: skip
    register_panel("review-by-age", template="monev/dashboard/review_by_age.html",
                   applies=lambda user: user.has_perm("monev.review_monevreport"), build=review_by_age, order=30,
                   width="col-xl-5")  # fmt: skip
    register_panel("findings-by-age", template="monev/dashboard/findings_by_age.html", applies=_auditor,
                   build=findings_by_age, order=10, width="col-xl-7")  # fmt: skip
    register_panel("team-work", template="monev/dashboard/team_work.html",
                   applies=lambda user: _auditor(user) and user.has_perm("monev.change_visit"), build=team_work,
                   order=20, width="col-xl-5")  # fmt: skip
    register_attention(attention)
    register_deadlines(deadlines)

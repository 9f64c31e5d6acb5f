"""Monev pages (#5): the officer's inbox, reports with their workflow, the ministry's review queue, the findings
register and a finding's timeline. Writes go through `monev.services`."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from dakportal.accounts.requests import AuthenticatedHttpRequest
from dakportal.generic import (
    Action,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectPermissionMixin,
    permission_required,
    scoped,
)
from dakportal.history.context import history_context
from dakportal.panels import Button, Column, Panel, StatusBadge
from dakportal.services import Conflict
from monev import services
from monev.choices import (
    CONTROLLERS,
    EDITABLE,
    IN_REVIEW,
    VISIT_EDITABLE,
    CheckResult,
    FindingStatus,
    FollowUpClass,
    Indicator,
    ReportStatus,
    VisitStatus,
)
from monev.filtersets import AssignmentFilterSet, FindingFilterSet, MonevReportFilterSet, RiskFilterSet, VisitFilterSet
from monev.forms import (
    AssignmentForm,
    EvidenceForm,
    FindingForm,
    FollowUpForm,
    IssueForm,
    MonevReportForm,
    ReasonForm,
    RecommendationFormSet,
    RegistryCheckFormSet,
    RiskRuleForm,
    VerificationForm,
    VisitEvidenceForm,
    VisitFindingForm,
    VisitForm,
    team_errors_on_fields,
)
from monev.models import (
    Assignment,
    AssignmentMember,
    Evidence,
    Finding,
    FollowUp,
    MonevReport,
    Notification,
    Recommendation,
    RegistryCheck,
    ReportTransition,
    RiskRule,
    Visit,
    VisitTransition,
)
from monev.workflows import REPORT_STEPS, VISIT_STEPS


class MonevReportListView(ObjectListView):
    """Monev reports in the user's scope, filterable by status, period, region and lateness."""

    queryset = MonevReport.objects.with_flags().select_related("sentra__regency")
    filterset_class = MonevReportFilterSet
    title = gettext_lazy("Monev reports")
    template_name = "monev/report_list.html"
    columns = [
        ("sentra__name", gettext_lazy("Sentra")),
        ("sentra__regency__name", gettext_lazy("Kab/kota")),
        ("year", gettext_lazy("Year")),
        ("quarter", gettext_lazy("Quarter")),
        ("status", gettext_lazy("Status")),
        ("deadline", gettext_lazy("Deadline")),
        ("is_late", gettext_lazy("Late")),
    ]
    sortable = ("year", "deadline", "status")
    export_name = "monev-reports"


class ReviewQueueView(ObjectListView):
    """The ministry's queue: submitted and resubmitted reports, oldest first, with bulk acceptance."""

    queryset = MonevReport.objects.filter(status__in=IN_REVIEW).with_flags().select_related("sentra__regency")
    filterset_class = MonevReportFilterSet
    template_name = "monev/review_queue.html"
    title = gettext_lazy("Review queue")
    columns = MonevReportListView.columns
    export_name = "monev-review-queue"
    permission_required = "monev.review_monevreport"

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
        reports = list(scoped(MonevReport.objects.filter(pk__in=ids), request.user, "view"))
        try:
            services.accept_reports(reports, acting_user=request.user)
            messages.success(request, _("%(count)d report(s) accepted.") % {"count": len(reports)})
        except (ValidationError, Conflict) as error:
            messages.error(
                request,
                _("Nothing was accepted: %(reason)s") % {"reason": " ".join(getattr(error, "messages", [str(error)]))},
            )
        return redirect("monev:review_queue")


INBOX_ROWS = 10


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's inbox: what is due, returned or overdue in their region, and the open findings."""
    user = request.user
    today = timezone.localdate()
    reports = MonevReport.objects.for_user(user).select_related("sentra__regency")
    findings = Finding.objects.for_user(user).filter(status=FindingStatus.OPEN).select_related("regency", "sentra")
    # #11: each list shows its first INBOX_ROWS, with the count (one query) and a link to the whole filtered list.
    lists = {
        "returned": Q(status=ReportStatus.RETURNED),
        "due": Q(status=ReportStatus.DRAFT, deadline__gte=today),
        "overdue": MonevReport.objects.overdue_q(today),
        "in_review": Q(status__in=IN_REVIEW),
    }
    counts = reports.order_by().aggregate(**{name: Count("pk", filter=q) for name, q in lists.items()})
    counts["findings"] = findings.count()
    context: dict[str, Any] = {
        **{name: reports.filter(q).order_by("deadline", "pk")[:INBOX_ROWS] for name, q in lists.items()},
        "findings": findings.order_by("due_date", "pk")[:INBOX_ROWS],
        "counts": counts,
        "today": today,
        "soon": today + timedelta(days=7),
        # #14: read before they are marked read, so that the page shows them
        "notifications": list(Notification.objects.filter(user=user, read_at__isnull=True)[:10]),
        "can_create": user.has_perm("monev.add_monevreport"),
        "can_review": user.has_perm("monev.review_monevreport"),
        "can_find": user.has_perm("monev.add_finding"),
    }
    Notification.objects.filter(pk__in=[n.pk for n in context["notifications"]]).update(read_at=timezone.now())
    return render(request, "monev/inbox.html", context)


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """#14: the user's notifications, newest first, the unread marked; POST marks them all read."""
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("monev:notification_list")
    return render(request, "monev/notification_list.html", {"notifications": mine[:100]})


class MonevReportDetailView(ObjectDetailView):
    queryset = (
        MonevReport.objects.with_flags()
        .select_related("sentra__regency", "created_by")
        .prefetch_related(
            "allocations",
            "evidence",
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("by")),
            "findings",
        )
    )
    template_name = "monev/report_detail.html"  # the generic page, with the deadline and the reason returned
    list_url = "monev:report_list"
    list_title = gettext_lazy("Monev reports")
    status = StatusBadge(testid="report-status")
    panels = [
        Panel("monev/panels/report_indicators.html", gettext_lazy("Indicators"), width="col-lg-7"),
        Panel("monev/panels/report_checklist.html", gettext_lazy("Checklist (from the registry)"), width="col-lg-5"),
        Panel("monev/panels/report_evidence.html", gettext_lazy("Photos and documents"), id="evidence"),
        Panel(
            "monev/panels/report_review.html",
            gettext_lazy("Review"),
            testid="review",
            css_class="border-primary",
            condition=lambda context: context["can_review"],
        ),
        Panel("monev/panels/report_transitions.html", gettext_lazy("History")),
    ]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        report = self.object
        if not context["can_edit"]:
            return []
        return [
            Button(_("Edit"), reverse("monev:report_edit", args=[report.pk]), testid="edit-report"),
            Button(
                _("Resubmit") if report.status == ReportStatus.RETURNED else _("Submit"),
                reverse("monev:report_action", args=[report.pk, "submit"]),
                style="primary",
                testid="submit-report",
                post=True,
                version=report.version,
                confirm="" if report.has_photo else _("This report has no photo of the sentra. Submit it anyway?"),
            ),
        ]

    def get_extra_context(self) -> dict[str, Any]:
        report, user = self.object, self.request.user
        can_change = scoped(MonevReport.objects.filter(pk=report.pk), user, "change").exists()
        return {
            "can_edit": can_change and report.status in EDITABLE,
            "can_review": user.has_perm("monev.review_monevreport") and report.status in IN_REVIEW,
            "reason_form": ReasonForm(initial={"version": report.version}),
            "evidence_form": EvidenceForm(),
            "checklist": _checklist_rows(report),
        }


def _checklist_rows(report: MonevReport) -> list[tuple[str, str, bool]]:
    from sentra.querysets import ASPECTS, CHECKLIST

    return [(str(ASPECTS[item.aspect]), str(item.label), bool(report.checklist.get(item.key))) for item in CHECKLIST]


class MonevReportEditView(ObjectEditView):
    queryset = MonevReport.objects.all()
    form_class = MonevReportForm
    offline_draft = True  # #14: officers fill it in at the sentra, where the connection comes and goes

    def get_form(self, obj: Model | None) -> Any:
        form = super().get_form(obj)
        if obj is None:
            form.initial.setdefault("year", timezone.localdate().year)
            form.initial.setdefault("quarter", (timezone.localdate().month - 1) // 3 + 1)
            if "sentra" in self.request.GET:
                form.initial["sentra"] = self.request.GET["sentra"]
        return form

    def save_form(self, form: Any) -> Model:
        report, allocations = form.instance, form.cleaned_data.get("allocations") or []
        save = services.update_report if report.pk else services.create_report
        return save(report, acting_user=self.request.user, allocations=allocations, photos=form.all_photos)


class ReportActionView(ObjectActionView):
    """POST submit (the officer), return with a reason or accept (the ministry)."""

    queryset = MonevReport.objects.all()
    form_class = ReasonForm
    actions = REPORT_STEPS

    def failed(self, request: HttpRequest, obj: Model, form: Any, error: Exception) -> HttpResponse | None:
        if "reason" in getattr(error, "error_dict", {}):  # #14: beside the field, with what was typed
            form.add_error("reason", error.error_dict["reason"])  # type: ignore[attr-defined]
            return MonevReportDetailView.render_with_errors(request, obj.pk, reason_form=form)
        return super().failed(request, obj, form, error)


class EvidenceUploadView(ObjectPermissionMixin, View):
    """POST a photo or document of a report the user may change."""

    queryset = MonevReport.objects.all()
    action = "change"
    permission_required = "monev.add_evidence"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(self.get_queryset(), pk=pk)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence = services.add_evidence(upload=form.cleaned_data["file"], title=form.cleaned_data["title"],
                                                 acting_user=request.user, report=report)  # fmt: skip
                messages.success(request, _("The file was uploaded."))
                if evidence.flags:
                    messages.warning(
                        request, _("Check this photo: %(flags)s.") % {"flags": ", ".join(flag_labels(evidence.flags))}
                    )
            except ValidationError as error:
                form.add_error("file", error)
                return MonevReportDetailView.render_with_errors(request, pk, evidence_form=form)
        else:
            return MonevReportDetailView.render_with_errors(request, pk, evidence_form=form)
        return redirect(report.get_absolute_url() + "#evidence")


def flag_labels(flags: list[str]) -> list[str]:
    labels = {"far_from_sentra": _("taken far from the sentra"), "outside_period": _("taken outside the period")}
    return [labels.get(flag, flag) for flag in flags]


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serves evidence only to users who may see its report or finding (404 for anyone else)."""
    evidence = get_object_or_404(Evidence.objects.select_related("report", "follow_up"), pk=pk)
    if evidence.report_id:
        visible = scoped(MonevReport.objects.filter(pk=evidence.report_id), request.user, "view").exists()
    elif evidence.visit_id:  # #13: a photo of an Itjen visit report, seen by whoever sees the report
        visible = scoped(Visit.objects.filter(pk=evidence.visit_id), request.user, "view").exists()
    else:
        visible = scoped(FollowUp.objects.filter(pk=evidence.follow_up_id), request.user, "view").exists()
    if not visible:
        raise_404()
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def raise_404() -> None:
    from django.http import Http404

    raise Http404


# ---------------------------------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------------------------------
class FindingListView(ObjectListView):
    queryset = Finding.objects.select_related("regency", "sentra")
    filterset_class = FindingFilterSet
    title = gettext_lazy("Findings register")
    template_name = "monev/finding_list.html"
    columns = [
        ("title", gettext_lazy("Finding")),
        ("regency__name", gettext_lazy("Kab/kota")),
        ("category", gettext_lazy("Category")),
        ("loss_value", gettext_lazy("Loss (Rp)")),
        ("due_date", gettext_lazy("Follow-up due")),
        ("follow_up_class", gettext_lazy("Follow-up class")),
        ("status", gettext_lazy("Status")),
    ]
    sortable = ("due_date", "loss_value", "status", "created")
    export_name = "findings"

    def money_columns(self, header: list[str]) -> list[int]:
        return [3]


class FindingDetailView(ObjectDetailView):
    """A finding with each recommendation's follow-ups (#13): replies, attachments, deposits and Itjen's
    verification, the amounts to recover and recovered, the status and due date of each; the region follows up
    each open recommendation and Itjen verifies each follow-up on this page."""

    queryset = (
        Finding.objects.with_flags()
        .select_related("regency", "sentra", "allocation", "report", "assignment", "created_by", "visit")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.with_amounts()
                .with_flags()
                .prefetch_related(
                    Prefetch(
                        "follow_ups",
                        queryset=FollowUp.objects.select_related("submitted_by", "verified_by").prefetch_related(
                            "evidence"
                        ),
                    )
                ),
            ),
        )
    )
    template_name = "monev/finding_detail.html"  # the generic page, with the badges beside the status
    list_url = "monev:finding_list"
    list_title = gettext_lazy("Findings register")
    status = StatusBadge(testid="finding-status")
    panels = [
        Panel("monev/panels/finding_fields.html", width="col-lg-7"),
        Panel("monev/panels/finding_timeline.html", gettext_lazy("Timeline"), width="col-lg-5", testid="timeline"),
        Panel("monev/panels/finding_recommendations.html"),
    ]

    def get_extra_context(self) -> dict[str, Any]:
        finding, user = self.object, self.request.user
        is_open = finding.status == FindingStatus.OPEN
        recommendations = []
        for recommendation in finding.recommendations.all():
            follow_ups = list(recommendation.follow_ups.all())
            unverified = [item for item in follow_ups if not item.verification]
            recommendations.append(
                {
                    "rec": recommendation,
                    "follow_ups": follow_ups,
                    "overdue": recommendation.is_overdue,
                    "form": FollowUpForm(
                        initial={"recommendation": recommendation.pk}, prefix=f"rec{recommendation.pk}"
                    ),
                    "verify": [
                        (
                            item,
                            VerificationForm(
                                initial={"follow_up": item.pk, "version": item.version}, prefix=f"fu{item.pk}"
                            ),
                        )
                        for item in unverified
                    ],  # fmt: skip
                }
            )
        return {
            "timeline": _timeline(finding),
            "overdue": finding.is_overdue,
            "recommendations": recommendations,
            "can_follow_up": is_open and services.may_follow_up(finding, user),
            "can_verify": is_open and user.has_perm("monev.verify_followup"),
        }


def _timeline(finding: Finding) -> list[tuple[Any, str, str]]:
    events = [(finding.created, _("Finding recorded"), str(finding.created_by or ""))]
    for number, recommendation in enumerate(finding.recommendations.all(), start=1):
        for follow_up in recommendation.follow_ups.all():
            events.append(
                (follow_up.created, _("Follow-up of recommendation %(n)d submitted") % {"n": number},
                 f"{follow_up.submitted_by or ''}: {follow_up.reply}")
            )  # fmt: skip
            if follow_up.verified_at:
                note = f"{follow_up.get_verification_display()}" + (
                    f" — {follow_up.verification_reason}" if follow_up.verification_reason else ""
                )
                events.append(
                    (follow_up.verified_at, _("Follow-up of recommendation %(n)d verified") % {"n": number},
                     f"{follow_up.verified_by or ''}: {note}")
                )  # fmt: skip
    if finding.closed_at:
        events.append((finding.closed_at, _("Finding closed"), ""))
    return sorted(events, key=lambda event: event[0])


class FindingEditView(ObjectEditView):
    queryset = Finding.objects.all()
    form_class = FindingForm

    def save_form(self, form: Any) -> Model:
        if form.instance.pk:
            return services.update_finding(form.instance, acting_user=self.request.user)
        data = form.cleaned_data
        recommendation = Recommendation(
            text=data["recommendation"],
            responsible_official=data["responsible_official"],
            due_date=data["recommendation_due"],
            amount_to_recover=data["recommendation_amount"] or 0,
        )
        return services.record_finding(form.instance, acting_user=self.request.user, recommendations=[recommendation])


def _follow_up(finding: Finding, *, acting_user: Any, recommendation: int, **data: Any) -> None:
    """The region's follow-up of one of the finding's recommendations, with its documents and any deposit."""
    chosen = finding.recommendations.filter(pk=recommendation).first()
    if chosen is None:
        raise ValidationError(_("Say which recommendation or follow-up this is about."))
    services.submit_follow_up(
        chosen, acting_user=acting_user, reply=data["reply"], attachments=data["attachments"],
        amount_deposited=data["amount_deposited"] or 0, deposit_to=data["deposit_to"] or "",
        deposit_reference=data["deposit_reference"] or "", deposit_date=data["deposit_date"],
    )  # fmt: skip


def _verify(finding: Finding, *, acting_user: Any, follow_up: int, **data: Any) -> None:
    """Itjen's class for one follow-up of the finding, based on the version of it the auditor saw."""
    chosen = FollowUp.objects.filter(recommendation__finding=finding, pk=follow_up).first()
    if chosen is None:
        raise ValidationError(_("Say which recommendation or follow-up this is about."))
    services.verify_follow_up(chosen, acting_user=acting_user, **data)


class FindingActionView(ObjectActionView):
    """POST `follow-up` (the region, on one recommendation: the form prefixed `rec<id>`) or `verify` (Itjen, one
    follow-up: prefixed `fu<id>`, with its `version`), #13. Every refusal is a message on the finding's page, and
    nothing is saved."""

    queryset = Finding.objects.all()
    form_class = forms.Form
    actions = {
        "follow-up": Action("monev.add_followup", _follow_up, form=FollowUpForm,
                            fields=("recommendation", "reply", "attachments", "amount_deposited", "deposit_to",
                                    "deposit_reference", "deposit_date"),
                            done=gettext_lazy("The follow-up was sent to Itjen.")),
        "verify": Action("monev.verify_followup", _verify, needs_reason=True, form=VerificationForm,
                         fields=("follow_up", "verification"), invalid=gettext_lazy("Choose the class."),
                         done=gettext_lazy("The follow-up was verified.")),
    }  # fmt: skip
    prefixes = {"follow-up": "rec", "verify": "fu"}

    def get_form(self, action: Action) -> forms.Form:
        """The one recommendation's or follow-up's form among the page's several (`rec12-...`, `fu34-...`)."""
        marker = self.prefixes[self.kwargs["action"]]
        keys = [key for key in self.request.POST if key.startswith(marker) and "-" in key]
        prefix = keys[0].split("-", 1)[0] if keys else marker
        return (action.form or self.form_class)(self.request.POST, self.request.FILES, prefix=prefix)


SUMMARY_FILTERS = ("year", "quarter", "province", "regency", "status")
SUMMARY_ROWS = 25


@permission_required("monev.view_monevreport")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The monev summary (#14): filtered by year, quarter, province, kab/kota and status (the report list's own
    FilterSet), a headline per quarter (reports due, submitted, accepted, late), then timeliness and completeness per
    kab/kota and quarter a page at a time; findings by status and age; the sentra built but idle. Every number from
    one queryset method, scoped to the user."""
    from django.core.paginator import Paginator

    from sentra.models import Sentra

    filterset = MonevReportFilterSet(request.GET, queryset=MonevReport.objects.for_user(request.user), request=request)
    reports = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(reports.timeliness_groups(), SUMMARY_ROWS).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    quarters = reports.by_quarter()[:4]  # the newest four quarters of the selection
    list_url = reverse("monev:report_list")
    for row in quarters:
        base = query.copy()
        base.setlist("year", [str(row["year"])])
        base.setlist("quarter", [str(row["quarter"])])
        row["url"] = f"{list_url}?{base.urlencode()}"
        row["accepted_url"] = f"{list_url}?{_with(base, status=ReportStatus.ACCEPTED)}"
        row["submitted_url"] = f"{list_url}?{_with(base, submitted='true')}"
        row["late_url"] = f"{list_url}?{_with(base, late='true')}"
    findings = Finding.objects.for_user(request.user)
    by_age = list(findings.by_status_and_age())
    for row in by_age:
        row["status_label"] = FindingStatus(row["status"]).label
        row["class_label"] = FollowUpClass(row["follow_up_class"]).label
    context = {
        "filter_form": filterset.form,
        "filter_fields": SUMMARY_FILTERS,
        "quarters": quarters,
        "page_obj": page,
        "timeliness": page.object_list,
        "querystring": query.urlencode(),
        "findings": by_age,
        "closure": findings.closure_rate(),
        "idle": Sentra.objects.for_user(request.user).idle().select_related("regency").order_by("status_since")[:50],
    }
    return render(request, "monev/dashboard.html", context)


def _with(query: Any, **values: str) -> str:
    copy = query.copy()
    for key, value in values.items():
        copy.setlist(key, [value])
    return str(copy.urlencode())


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas), #13
# ---------------------------------------------------------------------------------------------------------------------
class AssignmentListView(ObjectListView):
    """The surat tugas in the user's scope (a region: those naming it, with only its own kab/kota shown)."""

    queryset = Assignment.objects.all()
    filterset_class = AssignmentFilterSet
    title = gettext_lazy("Itjen assignments (surat tugas)")
    template_name = "monev/assignment_list.html"
    columns = [
        ("number", gettext_lazy("Surat tugas")),
        ("date", gettext_lazy("Date")),
        ("period_start", gettext_lazy("Period start")),
        ("period_end", gettext_lazy("Period end")),
        ("regency_names", gettext_lazy("Kab/kota")),
        ("lead_name", gettext_lazy("Team lead")),
        ("fiscal_years_label", gettext_lazy("Fiscal years")),
        ("sentra_count", gettext_lazy("Sentra")),
        ("visit_count", gettext_lazy("Visit reports")),
    ]
    sortable = ("number", "date", "period_start")
    export_name = "surat-tugas"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().with_summary(self.request.user)  # type: ignore[attr-defined,no-any-return]


class AssignmentCalendarView(ObjectListView):
    """A month of assignments (`?month=2021-08`): those whose period falls in it, day by day, with the list's
    filters; on a phone, the same as a list by day."""

    queryset = Assignment.objects.all()
    filterset_class = AssignmentFilterSet
    template_name = "monev/assignment_calendar.html"
    paginate_by = None  # type: ignore[assignment]

    def month(self) -> date:
        text = self.request.GET.get("month", "")
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except ValueError:
            return timezone.localdate().replace(day=1)

    def get_paginate_by(self, queryset: QuerySet[Any]) -> None:  # type: ignore[override]
        return None

    def get_queryset(self) -> QuerySet[Any]:
        first = self.month()
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        rows = super().get_queryset().in_month(first, last).with_summary(self.request.user)  # type: ignore[attr-defined]
        return rows.order_by("period_start", "number")  # type: ignore[no-any-return]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return ListView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        first = self.month()
        assignments = list(context["object_list"])
        weeks = [
            [(day, [a for a in assignments if a.period_start <= day <= a.period_end]) for day in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        query = self.request.GET.copy()
        query.pop("month", None)
        context.update(
            month=first,
            weeks=weeks,
            assignments=assignments,
            previous=(first - timedelta(days=1)).strftime("%Y-%m"),
            next=(first + timedelta(days=32)).strftime("%Y-%m"),
            filters=query.urlencode(),
            latest=None if assignments else self.get_queryset_latest(),
            today=timezone.localdate(),
            title=_("Calendar of assignments"),
        )
        return context

    def get_queryset_latest(self) -> date | None:
        """When the month holds none: the start of the latest assignment in scope, to jump to."""
        return (
            scoped(Assignment.objects.order_by("-period_start"), self.request.user, "view")
            .values_list("period_start", flat=True)
            .first()
        )


class AssignmentDetailView(ObjectDetailView):
    queryset = Assignment.objects.prefetch_related(Prefetch("members", AssignmentMember.objects.select_related("user")))
    template_name = "monev/assignment_detail.html"  # the generic page, with the surat tugas's summary
    list_url = "monev:assignment_list"
    list_title = gettext_lazy("Itjen assignments (surat tugas)")
    panels = [
        Panel("monev/panels/assignment_team.html", gettext_lazy("Team"), width="col-lg-4"),
        Panel("monev/panels/assignment_places.html", gettext_lazy("Kab/kota and sentra to visit"), width="col-lg-8"),
        Panel(
            "monev/panels/assignment_notes.html",
            gettext_lazy("Notes"),
            condition=lambda context: bool(context["object"].notes),
        ),
    ]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        if not context["can_edit"]:
            return []
        return [Button(_("Edit"), reverse("monev:assignment_edit", args=[self.object.pk]), testid="edit-assignment")]

    def get_extra_context(self) -> dict[str, Any]:
        assignment, user = self.object, self.request.user
        visits = {v.sentra_id: v for v in Visit.objects.for_user(user).filter(assignment=assignment)}
        role = assignment.role_of(user)
        return {
            "regencies": assignment.regencies_for(user),
            "places": [(place, visits.get(place.pk)) for place in assignment.sentra_for(user)],
            "my_role": role,
            "can_draft": role is not None and user.has_perm("monev.add_visit"),
            "can_edit": user.has_perm("monev.change_assignment"),
        }


class AssignmentEditView(ObjectEditView):
    queryset = Assignment.objects.all()
    form_class = AssignmentForm
    template_name = "monev/assignment_form.html"

    def get_form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        """#17: a new surat tugas opened from "Prioritas monev" (`?regency=..&year=..`) starts with the kab/kota
        chosen there, their sentra with warnings and the year under review."""
        if obj is not None or self.request.method != "GET" or "regency" not in self.request.GET:
            return {}
        return {"initial": risk_prefill(self.request)}

    def save_form(self, form: Any) -> Model:
        data = form.cleaned_data
        try:
            return services.save_assignment(
                form.instance,
                acting_user=self.request.user,
                members=form.team(),
                regencies=list(data["regencies"]),
                sentra=list(data.get("sentra") or []),
            )
        except ValidationError as error:
            rest = team_errors_on_fields(form, error)
            raise rest if rest is not None else ValidationError(_("Check the fields marked below.")) from None


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: field visit reports (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
class VisitListView(ObjectListView):
    queryset = Visit.objects.select_related("sentra__regency", "assignment")
    filterset_class = VisitFilterSet
    title = gettext_lazy("Field visit reports (LHM)")
    template_name = "monev/visit_list.html"
    columns = [
        ("sentra__name", gettext_lazy("Sentra")),
        ("sentra__regency__name", gettext_lazy("Kab/kota")),
        ("assignment__number", gettext_lazy("Surat tugas")),
        ("visit_date", gettext_lazy("Visit date")),
        ("status", gettext_lazy("Status")),
        ("number", gettext_lazy("LHM number")),
        ("issued_on", gettext_lazy("Issued on")),
    ]
    sortable = ("visit_date", "issued_on", "status")
    export_name = "laporan-hasil-monev"


def _visit_queryset() -> QuerySet[Any]:
    return Visit.objects.select_related(
        "assignment", "sentra__regency", "approved_by", "issued_by", "created_by"
    ).prefetch_related(
        Prefetch("transitions", VisitTransition.objects.select_related("by")),
        Prefetch("assignment__members", AssignmentMember.objects.select_related("user")),
        "evidence",
        "checks",
        Prefetch("findings", Finding.objects.prefetch_related("recommendations").order_by("created", "id")),
    )


class VisitDetailView(ObjectDetailView):
    """The report on one screen: the indicators with their photos, the registry checked, the findings and their
    recommendations; beside the draft, the region's own quarterly monev reports of the sentra; the review of the
    controllers; the steps so far."""

    queryset = _visit_queryset()
    template_name = "monev/visit_detail.html"  # the generic page, with the report's number and dates
    list_url = "monev:visit_list"
    list_title = gettext_lazy("Field visit reports (LHM)")
    status = StatusBadge(testid="visit-status")
    # The report in the main column; beside it, what the controllers and the team read while reviewing it.
    panels = [
        Column(
            [
                Panel("monev/panels/visit_indicators.html", gettext_lazy("Indicators"), id="indicators"),
                Panel(
                    "monev/panels/visit_registry.html",
                    gettext_lazy("Facilities and legality against the registry"),
                    id="registry",
                ),
                Panel("monev/panels/visit_findings.html", gettext_lazy("Findings and recommendations"), id="findings"),
            ],
            width="col-lg-8",
        ),
        Column(
            [
                Panel(
                    "monev/panels/visit_review.html",
                    gettext_lazy("Review"),
                    testid="review",
                    css_class="border-primary",
                    condition=lambda context: context["can_review"],
                ),
                Panel(
                    "monev/panels/visit_regional_reports.html",
                    gettext_lazy("The region's monev reports of this sentra"),
                    testid="regional-reports",
                ),
                Panel("monev/panels/visit_team.html", gettext_lazy("Team")),
                Panel("monev/panels/visit_steps.html", gettext_lazy("Steps")),
            ],
            width="col-lg-4",
        ),
    ]

    def get_breadcrumbs(self) -> list[tuple[str | Promise, str]]:
        assignment = self.object.assignment
        return [
            *super().get_breadcrumbs(),
            (f"{_('Surat tugas')} {assignment.number}", assignment.get_absolute_url()),
        ]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        visit = self.object
        buttons = []
        if context["can_edit"]:
            buttons += [
                Button(_("Edit"), reverse("monev:visit_edit", args=[visit.pk]), testid="edit-visit"),
                Button(
                    _("Resubmit") if visit.status == VisitStatus.RETURNED else _("Submit for review"),
                    reverse("monev:visit_action", args=[visit.pk, "submit"]),
                    style="primary",
                    testid="submit-visit",
                    post=True,
                    version=visit.version,
                ),
            ]
        buttons.append(
            Button(_("PDF"), reverse("monev:visit_pdf", args=[visit.pk]), style="outline-secondary", testid="visit-pdf")
        )
        return buttons

    def get_extra_context(self) -> dict[str, Any]:
        visit, user = self.object, self.request.user
        role = visit.assignment.role_of(user)
        editable = visit.status in VISIT_EDITABLE
        evidence: dict[str, list[Evidence]] = {}
        for item in visit.evidence.all():
            evidence.setdefault(item.indicator, []).append(item)
        indicators = [
            (*row, evidence.get(row[0], []), VisitEvidenceForm(prefix=row[0], initial={"indicator": row[0]}))
            for row in visit.indicators()
        ]
        return {
            "indicators": indicators,
            "my_role": role,
            "can_edit": role is not None and editable and user.has_perm("monev.change_visit"),
            "can_review": role in CONTROLLERS and visit.status == VisitStatus.SUBMITTED,
            "can_decide": user.has_perm("monev.decide_registrycheck") and visit.status == VisitStatus.ISSUED,
            "differences": [check for check in visit.checks.all() if check.result == CheckResult.DIFFERENT],
            "unchecked": sum(1 for check in visit.checks.all() if not check.result),
            "regional_reports": MonevReport.objects.for_user(user)
            .filter(sentra=visit.sentra_id)
            .order_by("-year", "-quarter", "-visit_date")[:8],
            "reason_form": ReasonForm(initial={"version": visit.version}),
            "issue_form": IssueForm(initial={"version": visit.version}),
        }


class VisitEditView(ObjectEditView):
    queryset = Visit.objects.select_related("assignment", "sentra")
    form_class = VisitForm

    def get_form(self, obj: Model | None) -> Any:
        form = super().get_form(obj)
        if obj is None:
            for name in ("assignment", "sentra"):
                if name in self.request.GET:
                    form.initial[name] = self.request.GET[name]
            key = str(self.request.GET.get("assignment", ""))
            assignment = Assignment.objects.filter(pk=int(key)).first() if key.isdigit() and len(key) < 12 else None
            if assignment is not None:
                form.initial.setdefault("visit_date", assignment.period_start)
        return form

    def save_form(self, form: Any) -> Model:
        try:
            if form.instance.pk:
                return services.update_visit(form.instance, acting_user=self.request.user)
            return services.create_visit(form.instance, acting_user=self.request.user)
        except PermissionDenied as error:
            raise ValidationError(str(error)) from None


class VisitTeamView(ObjectPermissionMixin, View):
    """A page of the team's draft report: `monev.change_visit` (else 403), and the report in the user's `change`
    scope (else 404)."""

    queryset = Visit.objects.select_related("assignment", "sentra")
    action = "change"

    def get_visit(self, pk: int) -> Visit:
        visit: Visit = get_object_or_404(self.get_queryset(), pk=pk)
        return visit


def _error_text(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class VisitChecksView(VisitTeamView):
    """The team's check of the registry: each facility, document and legality item, as registered or different
    (what was found, the correction proposed)."""

    def formset(self, visit: Visit, data: Any = None) -> Any:
        return RegistryCheckFormSet(data, queryset=visit.checks.all(), prefix="checks")

    def render_page(self, visit: Visit, formset: Any, status: int = 200) -> HttpResponse:
        context = {"object": visit, "formset": formset, "version": visit.version}
        return render(self.request, "monev/visit_checks.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self.get_visit(pk)
        return self.render_page(visit, self.formset(visit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self.get_visit(pk)
        formset = self.formset(visit, request.POST)
        if formset.is_valid():
            version = request.POST.get("version", "")
            try:
                services.save_registry_checks(
                    visit, [form.instance for form in formset.forms], acting_user=request.user,
                    version=int(version) if version.isdigit() else None,
                )  # fmt: skip
            except (ValidationError, PermissionDenied, Conflict) as error:
                messages.error(request, _error_text(error))
                return self.render_page(visit, formset, status=409 if isinstance(error, Conflict) else 400)
            messages.success(request, _("The registry check was saved."))
            return redirect(visit.get_absolute_url() + "#registry")
        return self.render_page(visit, formset, status=400)


class VisitFindingView(VisitTeamView):
    """A finding of a visit report with its recommendations: added, or corrected while the report is a draft."""

    def objects(self, request: HttpRequest, pk: int, finding_pk: int | None) -> tuple[Visit, Finding]:
        visit = self.get_visit(pk)
        if finding_pk is None:
            return visit, Finding()
        return visit, get_object_or_404(Finding.objects.filter(visit=visit), pk=finding_pk)

    def render_page(self, visit: Visit, form: Any, formset: Any, status: int = 200) -> HttpResponse:
        context = {"object": visit, "form": form, "formset": formset}
        return render(self.request, "monev/visit_finding_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int, finding_pk: int | None = None) -> HttpResponse:
        visit, finding = self.objects(request, pk, finding_pk)
        extra = 2 if finding.pk is None else 1
        formset = RecommendationFormSet(instance=finding, prefix="recommendations")
        formset.extra = extra
        return self.render_page(visit, VisitFindingForm(instance=finding), formset)

    def post(self, request: HttpRequest, pk: int, finding_pk: int | None = None) -> HttpResponse:
        visit, finding = self.objects(request, pk, finding_pk)
        form = VisitFindingForm(request.POST, instance=finding)
        formset = RecommendationFormSet(request.POST, instance=finding, prefix="recommendations")
        if form.is_valid() and formset.is_valid():
            deleted = formset._should_delete_form  # type: ignore[attr-defined]  # django-stubs omits this BaseFormSet method
            kept = [f.instance for f in formset.forms if f.has_changed() and not deleted(f)]
            removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
            try:
                with history_context(user=request.user):
                    if finding.pk is None:
                        services.record_visit_finding(
                            visit, form.instance, acting_user=request.user, recommendations=kept
                        )
                    else:
                        services.update_visit_finding(
                            form.instance, acting_user=request.user, recommendations=kept, removed=removed
                        )
            except (ValidationError, PermissionDenied, Conflict) as error:
                messages.error(request, _error_text(error))
                return self.render_page(visit, form, formset, status=409 if isinstance(error, Conflict) else 400)
            messages.success(request, _("The finding was saved."))
            return redirect(visit.get_absolute_url() + "#findings")
        return self.render_page(visit, form, formset, status=400)


class VisitEvidenceView(VisitTeamView):
    """POST a photo or document supporting one indicator of a draft report (the team only)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self.get_visit(pk)
        key = request.POST.get("indicator", "") if request.POST.get("indicator") in Indicator.values else "operating"
        form = VisitEvidenceForm(request.POST, request.FILES, prefix=key)
        if form.is_valid():
            try:
                evidence = services.add_evidence(
                    upload=form.cleaned_data["file"], title=form.cleaned_data["title"], acting_user=request.user,
                    visit=visit, indicator=form.cleaned_data["indicator"],
                )  # fmt: skip
                messages.success(request, _("The file was uploaded."))
                if evidence.flags:
                    messages.warning(
                        request, _("Check this photo: %(flags)s.") % {"flags": ", ".join(flag_labels(evidence.flags))}
                    )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _error_text(error))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(visit.get_absolute_url() + f"#indicator-{key}")


class VisitActionView(ObjectActionView):
    """POST submit (the team); return with a reason, approve, issue (the controllers)."""

    queryset = Visit.objects.all()
    form_class = ReasonForm
    refusals = (ValidationError, PermissionDenied, Conflict)  # the services check the team's roles
    actions = VISIT_STEPS


@permission_required("monev.view_visit")
def visit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a PDF with the inspectorate's letterhead (a draft says so on every page)."""
    from dakportal.reporting.pdf import pdf_response

    visit = get_object_or_404(scoped(_visit_queryset(), request.user, "view"), pk=pk)
    context = {"visit": visit, "generated": timezone.now(), "checks": [c for c in visit.checks.all() if c.result]}
    name = (visit.number or f"draft-{visit.pk}").replace("/", "-")
    return pdf_response("monev/visit_pdf.html", context, request, f"LHM-{name}".replace("LHM-LHM-", "LHM-"))


class CorrectionDecisionView(ObjectActionView):
    """POST confirm or reject (with a reason) a registry correction proposed by an issued report: the region."""

    queryset = RegistryCheck.objects.select_related("visit").filter(visit__status=VisitStatus.ISSUED)
    form_class = ReasonForm
    action_kwarg = "decision"
    actions = {
        "confirm": Action("monev.decide_registrycheck", partial(services.decide_correction, confirm=True),
                          needs_reason=True,
                          done=gettext_lazy("The correction was confirmed and the registry corrected.")),
        "reject": Action("monev.decide_registrycheck", partial(services.decide_correction, confirm=False),
                         needs_reason=True, done=gettext_lazy("The correction was rejected.")),
    }  # fmt: skip

    def success_url(self, obj: Model) -> str:
        return str(obj.visit.get_absolute_url()) + "#registry"  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17): "Prioritas monev", the rules, the prefilled surat tugas
# ---------------------------------------------------------------------------------------------------------------------
RISK_LEVELS = {
    "regency": gettext_lazy("Kab/kota"),
    "sentra": gettext_lazy("Sentra"),
    "allocation": gettext_lazy("Allocations"),
}
SENTRA_PER_REGENCY = 5  # the sentra with the most warnings proposed for each kab/kota of a new surat tugas


@permission_required("monev.view_riskrule")
def risk_priorities(request: HttpRequest) -> HttpResponse:
    """ "Prioritas monev": kab/kota (or sentra, or allocations: `?level=`) ranked by their risk score for a year,
    the reasons beside each, the kab/kota on a map coloured by score, and for Itjen a surat tugas from the
    kab/kota ticked."""
    from django.core.paginator import Paginator

    from monev.risk import Assessment

    filterset = RiskFilterSet(request.GET, queryset=RiskRule.objects.for_user(request.user), request=request)
    assessment: Assessment | None = filterset.assessment()
    level = request.GET.get("level", "regency")
    level = level if level in RISK_LEVELS else "regency"
    rows = assessment.ranking(level) if assessment else []
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    start = (page.number - 1) * 50
    query = request.GET.copy()
    query.pop("page", None)
    others = query.copy()
    others.pop("level", None)
    context = {
        "level_query": others.urlencode(),
        "filterset": filterset, "assessment": assessment, "level": level, "levels": RISK_LEVELS,
        "page_obj": page, "ranked": [(start + i, row) for i, row in enumerate(page.object_list, start=1)],
        "total": len(rows), "querystring": query.urlencode(),
        "can_assign": request.user.has_perm("monev.add_assignment"),
        "rules": RiskRule.objects.for_user(request.user).active(),
        "map_points": risk_map_points(assessment) if assessment and level == "regency" else [],
    }  # fmt: skip
    return render(request, "monev/risk.html", context)


def risk_map_points(assessment: Any) -> list[dict[str, Any]]:
    """One point per kab/kota of the ranking, where its sentra are on average (one query; kab/kota without located
    sentra are not drawn), with its score, for static/dakportal/risk-map.js."""
    from django.db.models import Avg

    from sentra.models import Sentra

    ranked = {row.key: row for row in assessment.regencies()}
    centres = (
        Sentra.objects.for_user(assessment.context.user)
        .filter(regency__in=list(ranked), latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values("regency")
        .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
    )
    return [
        {"code": c["regency"], "name": ranked[c["regency"]].name, "score": ranked[c["regency"]].score,
         "lat": float(c["lat"]), "lng": float(c["lng"]), "url": ranked[c["regency"]].url}
        for c in centres
    ]  # fmt: skip


def risk_prefill(request: HttpRequest) -> dict[str, Any]:
    """The initial values of a surat tugas for the kab/kota ticked on "Prioritas monev": those kab/kota (in the
    user's scope), the year under review, their sentra with the highest scores and the reasons in the notes."""
    from dakportal.accounts.scoping import scoped_choices
    from dakportal.regions.models import Regency
    from monev.risk import Assessment

    codes = request.GET.getlist("regency")
    regencies = list(scoped_choices(Regency, request.user).filter(pk__in=codes).order_by("name"))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year - 1
    assessment = Assessment(request.user, year)
    chosen = {regency.pk for regency in regencies}
    sentra: dict[str, list[int]] = {}
    for row in assessment.sentra():
        if row.regency in chosen and len(sentra.setdefault(row.regency, [])) < SENTRA_PER_REGENCY:
            sentra[row.regency].append(row.key)
    notes = [
        f"{row.name} ({_('score')} {row.score}): " + "; ".join(r.rule.label for r in row.ordered_reasons)
        for row in assessment.regencies() if row.key in chosen
    ]  # fmt: skip
    today = timezone.localdate()
    return {
        "regencies": regencies, "sentra": [pk for pks in sentra.values() for pk in pks], "fiscal_years": [year],
        "date": today, "period_start": today, "period_end": today + timedelta(days=14),
        "notes": _("Chosen from Prioritas monev, TA %(year)s.") % {"year": year} + "\n" + "\n".join(notes),
    }  # fmt: skip


@permission_required("monev.view_riskrule")
def risk_rules(request: HttpRequest) -> HttpResponse:
    """The rules of the risk register with their thresholds and weights; ministry staff and Itjen edit them."""
    return render(request, "monev/risk_rules.html", {
        "rules": RiskRule.objects.for_user(request.user), "can_edit": request.user.has_perm("monev.change_riskrule"),
    })  # fmt: skip


class RiskRuleEditView(ObjectEditView):
    queryset = RiskRule.objects.all()
    form_class = RiskRuleForm

    def save_form(self, form: Any) -> Model:
        return services.save_risk_rule(form.instance, acting_user=self.request.user)

"""Monev pages (#5): the officer's inbox, reports with their workflow, the ministry's review queue, the findings
register and a finding's timeline. Writes go through `monev.services`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dakportal.generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped
from dakportal.services import Conflict
from monev import services
from monev.choices import EDITABLE, IN_REVIEW, FindingStatus, FollowUpClass, ReportStatus
from monev.filtersets import FindingFilterSet, MonevReportFilterSet
from monev.forms import EvidenceForm, FindingForm, FollowUpForm, MonevReportForm, ReasonForm, VerificationForm
from monev.models import Evidence, Finding, FollowUp, MonevReport, Notification, Recommendation, ReportTransition


class MonevReportListView(ObjectListView):
    """Monev reports in the user's scope, filterable by status, period, region and lateness."""

    queryset = MonevReport.objects.select_related("sentra__regency")
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

    queryset = MonevReport.objects.filter(status__in=IN_REVIEW).select_related("sentra__regency")
    filterset_class = MonevReportFilterSet
    template_name = "monev/review_queue.html"
    title = gettext_lazy("Review queue")
    columns = MonevReportListView.columns
    export_name = "monev-review-queue"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("monev.review_monevreport"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

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
def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's inbox: what is due, returned or overdue in their region, and the open findings."""
    user = request.user
    today = timezone.localdate()
    reports = MonevReport.objects.for_user(user).select_related("sentra__regency")
    findings = Finding.objects.for_user(user).filter(status=FindingStatus.OPEN).select_related("regency", "sentra")
    # #11: each list shows its first INBOX_ROWS, with the count (one query) and a link to the whole filtered list.
    lists = {
        "returned": Q(status=ReportStatus.RETURNED),
        "due": Q(status=ReportStatus.DRAFT, deadline__gte=today),
        "overdue": Q(status__in=EDITABLE, deadline__lt=today),
        "in_review": Q(status__in=IN_REVIEW),
    }
    counts = reports.order_by().aggregate(**{name: Count("pk", filter=q) for name, q in lists.items()})
    counts["findings"] = findings.count()
    context = {
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
def notification_list(request: HttpRequest) -> HttpResponse:
    """#14: the user's notifications, newest first, the unread marked; POST marks them all read."""
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("monev:notification_list")
    return render(request, "monev/notification_list.html", {"notifications": mine[:100]})


class MonevReportDetailView(ObjectDetailView):
    queryset = MonevReport.objects.select_related("sentra__regency", "created_by").prefetch_related(
        "allocations",
        "evidence",
        Prefetch("transitions", queryset=ReportTransition.objects.select_related("by")),
        "findings",
    )
    template_name = "monev/report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        can_change = scoped(MonevReport.objects.filter(pk=report.pk), user, "change").exists()
        context.update(
            can_edit=can_change and report.status in EDITABLE,
            can_review=user.has_perm("monev.review_monevreport") and report.status in IN_REVIEW,
            reason_form=ReasonForm(initial={"version": report.version}),
            evidence_form=EvidenceForm(),
            checklist=_checklist_rows(report),
        )
        return context


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


class ReportActionView(View):
    """POST submit (the officer), return with a reason or accept (the ministry)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        scope_action = "change" if action == "submit" else "view"
        permission = "monev.change_monevreport" if action == "submit" else "monev.review_monevreport"
        if action not in ("submit", "return", "accept") or not request.user.has_perm(permission):
            raise PermissionDenied
        report = get_object_or_404(scoped(MonevReport.objects.all(), request.user, scope_action), pk=pk)
        form = ReasonForm(request.POST)
        form.is_valid()
        version = form.cleaned_data.get("version")
        try:
            if action == "submit":
                services.submit_report(report, acting_user=request.user, version=version)
                messages.success(request, _("The report was submitted to the ministry."))
            elif action == "return":
                services.return_report(
                    report, reason=form.cleaned_data.get("reason", ""), acting_user=request.user, version=version
                )
                messages.success(request, _("The report was returned to the region."))
            else:
                services.accept_report(report, acting_user=request.user, version=version)
                messages.success(request, _("The report was accepted."))
        except ValidationError as error:
            if "reason" in getattr(error, "error_dict", {}):  # #14: beside the field, with what was typed
                form.add_error("reason", error.error_dict["reason"])
                return MonevReportDetailView.render_with_errors(request, pk, reason_form=form)
            messages.error(request, " ".join(error.messages))
        except Conflict as error:
            messages.error(request, str(error))
        return redirect(report.get_absolute_url())


class EvidenceUploadView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated or not request.user.has_perm("monev.add_evidence"):
            raise PermissionDenied
        report = get_object_or_404(scoped(MonevReport.objects.all(), request.user, "change"), pk=pk)
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
    queryset = Finding.objects.select_related(
        "regency", "sentra", "allocation", "report", "assignment", "created_by"
    ).prefetch_related(
        "recommendations",
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("submitted_by", "verified_by").prefetch_related("evidence"),
        ),
    )
    template_name = "monev/finding_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        finding, user = self.object, self.request.user
        is_open = finding.status == FindingStatus.OPEN
        context.update(
            timeline=_timeline(finding),
            overdue=services.is_overdue(finding),
            can_follow_up=is_open and user.has_perm("monev.add_followup"),
            can_verify=is_open and user.has_perm("monev.verify_followup"),
            can_close=is_open and user.has_perm("monev.change_finding"),
            follow_up_form=FollowUpForm(),
            verification_form=VerificationForm(),
        )
        return context


def _timeline(finding: Finding) -> list[tuple[Any, str, str]]:
    events = [(finding.created, _("Finding recorded"), str(finding.created_by or ""))]
    for follow_up in finding.follow_ups.all():
        events.append(
            (follow_up.created, _("Follow-up submitted"), f"{follow_up.submitted_by or ''}: {follow_up.reply}")
        )
        if follow_up.verified_at:
            note = f"{follow_up.get_verification_display()}" + (
                f" — {follow_up.verification_reason}" if follow_up.verification_reason else ""
            )
            events.append((follow_up.verified_at, _("Follow-up verified"), f"{follow_up.verified_by or ''}: {note}"))
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
            value=data["recommendation_value"] or 0,
        )
        return services.record_finding(form.instance, acting_user=self.request.user, recommendations=[recommendation])


class FindingActionView(View):
    """POST follow-up (the region), verify (Itjen), close (Itjen)."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        needed = {"follow-up": "monev.add_followup", "verify": "monev.verify_followup", "close": "monev.change_finding"}
        if action not in needed or not request.user.has_perm(needed[action]):
            raise PermissionDenied
        finding = get_object_or_404(scoped(Finding.objects.all(), request.user, "view"), pk=pk)
        try:
            if action == "follow-up":
                self.follow_up(request, finding)
            elif action == "verify":
                form = VerificationForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose the class."))
                follow_up = finding.follow_ups.filter(verification="").order_by("-created").first()
                if follow_up is None:
                    raise ValidationError(_("There is no follow-up to verify."))
                services.verify_follow_up(follow_up, acting_user=request.user, **form.cleaned_data)
                messages.success(request, _("The follow-up was verified."))
            else:
                services.close_finding(finding, acting_user=request.user)
                messages.success(request, _("The finding was closed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(finding.get_absolute_url())

    @staticmethod
    def follow_up(request: HttpRequest, finding: Finding) -> None:
        form = FollowUpForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Write the reply."))
        follow_up = services.submit_follow_up(finding, reply=form.cleaned_data["reply"], acting_user=request.user)
        if form.cleaned_data.get("document"):
            services.add_evidence(upload=form.cleaned_data["document"], title=_("Follow-up document"),
                                  acting_user=request.user, follow_up=follow_up)  # fmt: skip
        messages.success(request, _("The follow-up was sent to Itjen."))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Timeliness and completeness of reports per kab/kota and quarter; findings by status and age; the sentra
    built but idle. Every number from one queryset method, scoped to the user."""
    from sentra.models import Sentra

    if not request.user.has_perm("monev.view_monevreport"):
        raise PermissionDenied
    findings = Finding.objects.for_user(request.user)
    by_age = list(findings.by_status_and_age())
    for row in by_age:
        row["status_label"] = FindingStatus(row["status"]).label
        row["class_label"] = FollowUpClass(row["follow_up_class"]).label
    context = {
        "timeliness": MonevReport.objects.for_user(request.user).timeliness(limit=200),
        "findings": by_age,
        "closure": findings.closure_rate(),
        "idle": Sentra.objects.for_user(request.user).idle().select_related("regency").order_by("status_since")[:50],
    }
    return render(request, "monev/dashboard.html", context)

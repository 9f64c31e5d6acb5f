"""The allocations' part of the dashboard (#14), registered with the foundation in `AllocationsConfig.ready()`
(#16 point 3): the national trend and absorption by province for ministry staff and analysts; a regional officer's
allocations of the year with each stage; the plans waiting for approval. Every figure is an aggregate of
`AllocationQuerySet`, and every number links to the list (or report) that shows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allocations.choices import PlanStatus
from allocations.models import Allocation
from dakportal.accounts.choices import Role
from dakportal.accounts.scoping import Scope
from dakportal.dashboard import Attention, Deadline, register_attention, register_deadlines, register_panel
from dakportal.reporting.svg import chart_svg


def _url(name: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")}, doseq=True)
    return reverse(name) + (f"?{query}" if query else "")


def _national(user: Any) -> bool:
    """Ministry staff, analysts and administrators: the whole program (Itjen has its own panels)."""
    return Scope.of(user).national and getattr(user, "role", None) != Role.AUDITOR and _sees(user)


def _regional(user: Any) -> bool:
    return not Scope.of(user).national and _sees(user)


def _sees(user: Any) -> bool:
    return bool(user.has_perm("allocations.view_allocation"))


# ---------------------------------------------------------------------------------------------------------------------
# Ministry staff and analysts
# ---------------------------------------------------------------------------------------------------------------------
def trend(user: Any) -> dict[str, Any] | None:
    """The pagu of every year since 2016, one query (`summary("year")`, the API's `allocations/summary/`)."""
    rows = list(Allocation.objects.for_user(user).summary("year"))
    if not rows:
        return None
    for row in rows:
        row["url"] = _url("allocations:allocation_list", year=row["year"])
    title = _("DAK allocation per year (Rp miliar)")
    chart = {
        "kind": "bar",
        "labels": [row["year"] for row in rows],
        "datasets": [{"label": _("Pagu (Rp miliar)"), "data": [row["amount"] / 1e9 for row in rows]}],
    }
    return {"rows": rows, "svg": chart_svg(chart, title=title), "title": title}


def absorption_by_province(user: Any) -> dict[str, Any] | None:
    """Per province, the latest year with realisation reported: allocations, pagu, spent and the absorption of the
    pagu (two queries: the year, then the aggregate over `with_totals()`, as the absorption report does)."""
    allocations = Allocation.objects.for_user(user)
    year = allocations.latest_reported_year()
    if year is None:
        return None
    rows = list(
        allocations.filter(year=year)
        .with_totals()
        .order_by()
        .values(province=F("regency__province"), name=F("regency__province__name"))
        .annotate(allocations=Count("pk"), amount=Sum("amount"), spent=Sum("spent"))
        .order_by("province")
    )
    for row in rows:
        row["absorption"] = round(row["spent"] * 100 / row["amount"], 2) if row["amount"] else None
        row["list_url"] = _url("allocations:allocation_list", year=year, province=row["province"])
        row["report_url"] = _report_url(year, row["province"])
    rows.sort(key=lambda row: (row["absorption"] or 0, row["name"]))
    return {"year": year, "rows": rows, "report_url": _report_url(year)}


def _report_url(year: int, province: str = "") -> str:
    params: dict[str, str | int] = {"year": year, "province": province,
                                    "group_by": "regency" if province else "province"}  # fmt: skip
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("report", args=["absorption"]) + f"?{query}"


def plans_to_approve(user: Any) -> list[Attention]:
    if not user.has_perm("monev.review_monevreport"):  # ministry staff: who reviews the regions' work
        return []
    count = Allocation.objects.for_user(user).filter(plan_status=PlanStatus.SUBMITTED).count()
    url = _url("allocations:allocation_list", plan_status=PlanStatus.SUBMITTED)
    return [Attention(gettext_lazy("Activity plans waiting for approval"), count, url)]


# ---------------------------------------------------------------------------------------------------------------------
# A regional officer: the allocations of the year, each stage, what is due
# ---------------------------------------------------------------------------------------------------------------------
def current_year(user: Any) -> int | None:
    """This year when the region has an allocation in it, else its latest year before (the demo's 2021)."""
    today = timezone.localdate()
    found = Allocation.objects.for_user(user).aggregate(year=Max("year", filter=Q(year__lte=today.year)))
    return found["year"]  # type: ignore[no-any-return]


def _stages(allocation: Any) -> list[dict[str, Any]]:
    stages = []
    for stage in allocation.stages or []:
        end = stage.get("window_end")
        on = stage.get("disbursed_on")
        stages.append(
            stage
            | {
                "window_end": date.fromisoformat(end) if end else None,
                "disbursed_on": date.fromisoformat(on) if on else None,
                "state": "disbursed" if stage["disbursed"] else ("ready" if stage["met"] else "waiting"),
            }
        )
    return stages


def year_allocations(user: Any) -> tuple[int | None, list[Any]]:
    """The year and the region's allocations in it with their money and stages (two queries), kept on the user
    object of the request: the panel and the deadlines read the same rows."""
    cached = getattr(user, "_dashboard_allocations", None)
    if cached is None:
        year = current_year(user)
        rows = (
            list(
                Allocation.objects.for_user(user)
                .filter(year=year)
                .with_totals()
                .with_stage_summary()
                .select_related("regency", "sub_field")
                .order_by("regency__name", "sub_field")
            )
            if year is not None
            else []
        )
        cached = user._dashboard_allocations = (year, rows)
    return cached


def my_allocations(user: Any) -> dict[str, Any] | None:
    """The region's allocations of the year with the money and each stage."""
    year, allocations = year_allocations(user)
    if year is None:
        return None
    rows = [{"allocation": a, "stages": _stages(a), "url": a.get_absolute_url()} for a in allocations]
    return {
        "year": year,
        "rows": rows,
        "count": len(rows),
        "list_url": _url("allocations:allocation_list", year=year),
        "total": sum(a.amount for a in allocations),
    }


def stage_deadlines(user: Any) -> list[Deadline]:
    """The next stage of each allocation of the year not yet disbursed: its window closes on a date, and the
    documents it needs that are not verified yet (plans to submit when the plan is still a draft or returned)."""
    if not _regional(user):
        return []
    today = timezone.localdate()
    found = []
    for allocation in year_allocations(user)[1]:
        if allocation.plan_status in PlanStatus.editable():
            found.append(
                Deadline(
                    _("Activity plan (RK) of %(name)s to submit") % {"name": allocation},
                    None,
                    1,
                    allocation.get_absolute_url(),
                )
            )
        for stage in _stages(allocation):
            if stage["state"] == "disbursed" or stage["window_end"] is None or stage["window_end"] < today:
                continue
            missing = len(stage.get("missing") or [])
            label = _("%(stage)s of %(name)s: window closes") % {"stage": stage["name"], "name": allocation}
            if missing:
                label = _("%(stage)s of %(name)s: %(count)d documents to upload") % {
                    "stage": stage["name"], "name": allocation, "count": missing}  # fmt: skip
            found.append(Deadline(label, stage["window_end"], missing, allocation.get_absolute_url() + "#stages"))
            break  # the next stage only
    return found


def register() -> None:
    register_panel("allocation-trend", template="allocations/dashboard/trend.html", applies=_national, build=trend,
                   order=10, width="col-xl-7")  # fmt: skip
    register_panel("absorption-by-province", template="allocations/dashboard/absorption.html", applies=_national,
                   build=absorption_by_province, order=20, width="col-xl-5")  # fmt: skip
    register_panel("my-allocations", template="allocations/dashboard/mine.html", applies=_regional,
                   build=my_allocations, order=10, width="col-12")  # fmt: skip
    register_attention(plans_to_approve)
    register_deadlines(stage_deadlines)

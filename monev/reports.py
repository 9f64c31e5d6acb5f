"""Monev reports (#6): indicator scores by year and region; findings by category and status, with closure; the
follow-up monitoring of Itjen's recommendations (TLHP, #13)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from dakportal.db.expressions import percent
from dakportal.reporting.base import Chart, Column, Report, register
from monev.choices import SETTLED, FindingCategory, FollowUpClass, ReportStatus, Score
from monev.filtersets import FindingFilterSet, MonevReportFilterSet, RecommendationFilterSet, RiskFilterSet
from monev.models import Finding, MonevReport, Recommendation, RiskRule


@register
class IndicatorReport(Report):
    slug = "monev-indicators"
    title = _("Monev indicators by year and kab/kota")
    description = _("How many reports score each indicator sesuai, sebagian or tidak sesuai; submitted reports only.")
    permission = "monev.view_monevreport"
    model = MonevReport
    filterset_class = MonevReportFilterSet
    filter_fields = ("year", "regency")
    chart = Chart(
        "bar",
        "label",
        [
            ("operating_sesuai", _("Operates: sesuai")),
            ("compliance_sesuai", _("Compliance: sesuai")),
            ("sustainability_sesuai", _("Sustained: sesuai")),
        ],
    )

    def get_columns(self, built: Any) -> list[Column]:
        columns = [Column("label", _("Kab/kota and year")), Column("reports", _("Reports"), "int")]
        for indicator, label in (
            ("operating", _("Operates")),
            ("compliance", _("Compliance")),
            ("sustainability", _("Sustained")),
        ):
            for score in Score.values:
                columns.append(Column(f"{indicator}_{score}", f"{label}: {score}", "int"))
        return columns

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        counts = {
            f"{indicator}_{score}": Count("pk", filter=Q(**{f"{indicator}_score": score}))
            for indicator in ("operating", "compliance", "sustainability")
            for score in Score.values
        }
        rows = list(
            queryset.exclude(status=ReportStatus.DRAFT)
            .order_by()
            .values("year", regency_name=F("sentra__regency__name"))
            .annotate(reports=Count("pk"), **counts)
            .order_by("-year", "regency_name")
        )
        for row in rows:
            row["label"] = f"{row['regency_name']} {row['year']}"
        return rows


@register
class FindingsReport(Report):
    slug = "findings"
    title = _("Itjen findings by category and follow-up")
    description = _("Findings, losses and the closure rate per category.")
    permission = "monev.view_finding"
    model = Finding
    filterset_class = FindingFilterSet
    filter_fields = ("province", "regency", "status")
    chart = Chart("bar", "category_label", [("count", _("Findings")), ("closed", _("Closed"))])
    columns = [
        Column("category_label", _("Category")),
        Column("count", _("Findings"), "int"),
        Column("closed", _("Closed"), "int"),
        Column("closure_rate", _("Closure rate (%)"), "percent"),
        Column("overdue", _("Follow-up overdue"), "int"),
        Column("loss", _("Loss (Rp)"), "money"),
    ]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        rows = list(
            queryset.order_by()
            .values("category")
            .annotate(count=Count("pk"), **Finding.objects.closure_figures(), loss=Sum("loss_value"))
            .order_by("category")
        )
        for row in rows:
            row["category_label"] = str(FindingCategory(row["category"]).label)
        return rows


@register
class TimelinessReport(Report):
    slug = "monev-timeliness"
    title = _("Timeliness and completeness of monev reports")
    description = _("Per kab/kota and quarter: sentra expected to report, reports, submitted, on time, accepted.")
    permission = "monev.view_monevreport"
    model = MonevReport
    filterset_class = MonevReportFilterSet
    filter_fields = ("year", "quarter", "regency")
    chart = Chart(
        "bar", "label", [("expected", _("Sentra expected")), ("submitted", _("Submitted")), ("on_time", _("On time"))]
    )
    columns = [
        Column("label", _("Kab/kota and period")),
        Column("expected", _("Sentra expected"), "int"),
        Column("reports", _("Reports"), "int"),
        Column("submitted", _("Submitted"), "int"),
        Column("on_time", _("On time"), "int"),
        Column("accepted", _("Accepted"), "int"),
        Column("completeness", _("Completeness (%)"), "percent"),
    ]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = queryset.timeliness(limit=500)
        for row in rows:
            row["label"] = f"{row['regency_name']} TW {row['quarter']} {row['year']}"
        return rows


@register
class FindingAgeReport(Report):
    slug = "findings-age"
    title = _("Itjen findings by status and age")
    description = _("Findings per status, follow-up class and age (days since recorded), with their losses.")
    permission = "monev.view_finding"
    model = Finding
    filterset_class = FindingFilterSet
    filter_fields = ("province", "regency", "category")
    chart = Chart("bar", "label", [("count", _("Findings"))])
    columns = [
        Column("label", _("Status, follow-up class and age")),
        Column("count", _("Findings"), "int"),
        Column("loss", _("Loss (Rp)"), "money"),
    ]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        from monev.choices import FindingStatus, FollowUpClass

        rows = list(queryset.by_status_and_age())
        for row in rows:
            status, follow_up = FindingStatus(row["status"]).label, FollowUpClass(row["follow_up_class"]).label
            row["label"] = f"{status} · {follow_up} · {row['age']}"
        return rows


@register
class FollowUpMonitoringReport(Report):
    """#13: Itjen's monitoring of the follow-up of its recommendations (pemantauan tindak lanjut, TLHP), as its
    reports are laid out: per kab/kota (or province) and year, the recommendations in each of the four classes of
    Peraturan BPK 2/2017 and the money to recover, recovered (deposits Itjen accepted) and remaining. A regional
    officer sees only their own kab/kota."""

    slug = "follow-up-monitoring"
    title = _("Follow-up monitoring (TLHP)")
    description = _(
        "Itjen's recommendations by follow-up class (sesuai, belum sesuai, belum ditindaklanjuti, tidak dapat "
        "ditindaklanjuti) per kab/kota and year, with the amounts to recover, recovered and remaining."
    )
    permission = "monev.view_recommendation"
    model = Recommendation
    filterset_class = RecommendationFilterSet
    filter_fields = ("year", "province", "regency")
    groups = {"regency": _("Kab/kota and year"), "province": _("Province and year")}
    chart = Chart(
        "bar",
        "label",
        [(status, label) for status, label in FollowUpClass.choices],
    )

    def get_columns(self, built: Any) -> list[Column]:
        return [
            Column("label", self.groups[self.group]),
            Column("recommendations", _("Recommendations"), "int"),
            *(Column(status, label, "int") for status, label in FollowUpClass.choices),
            Column("settled_rate", _("Settled (%)"), "percent"),
            Column("to_recover", _("To recover (Rp)"), "money"),
            Column("recovered", _("Recovered (Rp)"), "money"),
            Column("remaining", _("Remaining (Rp)"), "money"),
        ]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        name = "finding__regency__name" if self.group == "regency" else "finding__regency__province__name"
        counts = {status: Count("pk", filter=Q(status=status)) for status in FollowUpClass.values}
        rows = list(
            queryset.with_amounts()
            .with_year()
            .order_by()
            .values("year", name=F(name))
            .annotate(
                recommendations=Count("pk"),
                **counts,
                to_recover=Sum("amount_to_recover"),
                recovered=Sum("amount_recovered"),
                remaining=Sum("amount_remaining"),
                settled_rate=percent(Count("pk", filter=Q(status__in=SETTLED)), Count("pk")),
            )
            .order_by("-year", "name")
        )
        for row in rows:
            row["label"] = f"{row['name']} {row['year']}"
        return rows


@register
class RiskRankingReport(Report):
    """#17: the kab/kota ranked by their risk score for a year, each with the rules that fired and the figures
    behind them: the downloads (CSV, XLSX, PDF with the letterhead) and API twin of the "Prioritas monev" page."""

    slug = "risk-ranking"
    title = _("Monev priorities (risk ranking)")
    description = _(
        "Kab/kota ranked by the rules of the risk register that fired for a year, with the reasons and the figures "
        "behind each."
    )
    permission = "monev.view_riskrule"
    model = RiskRule
    filterset_class = RiskFilterSet
    filter_fields = ("year", "province", "regency", "rule")
    columns = [
        Column("rank", _("Rank"), "int", total=False),
        Column("name", _("Kab/kota")),
        Column("province", _("Province")),
        Column("score", _("Score"), "int", total=False),
        Column("reasons", _("Reasons")),
    ]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        assessment = self.filterset().assessment()
        if assessment is None:
            return []
        return [
            {"rank": rank, "name": row.name, "province": row.province_name, "score": row.score, "code": row.key,
             "reasons": " | ".join(str(reason) for reason in row.ordered_reasons)}
            for rank, row in enumerate(assessment.regencies(), start=1)
        ]  # fmt: skip

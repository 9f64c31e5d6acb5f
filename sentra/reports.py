"""Reports on the registry (#6): sentra by status, commodity or province with their completeness; the idle list."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dakportal.reporting.base import Chart, Column, Report, register
from sentra.choices import CommodityGroup, SentraStatus
from sentra.filtersets import SentraFilterSet
from sentra.models import Sentra


@register
class SentraReport(Report):
    slug = "sentra"
    title = _("Sentra IKM by status, commodity and province")
    description = _("Number of sentra, members, workers, the built but idle, and the completeness on facilities, "
                    "legality and institution.")  # fmt: skip
    permission = "sentra.view_sentra"
    model = Sentra
    filterset_class = SentraFilterSet
    filter_fields = ("province", "regency", "commodity", "status")
    chart = Chart("bar", "group", [("count", _("Sentra")), ("idle", _("Built but idle"))])
    groups = {"status": _("Status"), "commodity": _("Commodity"), "province": _("Province")}

    def get_columns(self, built: Any) -> list[Column]:
        return [
            Column("group", self.groups[self.group]),
            Column("count", _("Sentra"), "int"),
            Column("units", _("Member units"), "int"),
            Column("workers", _("Workers"), "int"),
            Column("idle", _("Built but idle"), "int"),
            Column("below_minimum", _("Fewer than 5 members"), "int"),
            Column("facilities", _("Facilities (%)"), "percent"),
            Column("legality", _("Legality (%)"), "percent"),
            Column("institution", _("Institution (%)"), "percent"),
        ]

    def queryset(self) -> Any:
        return Sentra.objects.for_user(self.request.user).with_profile()

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        group = self.group
        key = {"status": "status", "commodity": "commodity_group", "province": "regency__province__name"}[group]
        rows = list(
            queryset.order_by()
            .values(key)
            .annotate(
                count=Count("pk"),
                units=Sum("unit_count"),
                workers=Sum("workers"),
                idle=Count("pk", filter=Q(is_idle=True)),
                below_minimum=Count("pk", filter=Q(unit_count__lt=5)),
                facilities=Avg("score_facilities"),
                legality=Avg("score_legality"),
                institution=Avg("score_institution"),
            )
            .order_by(key)
        )
        labels = {"status": dict(SentraStatus.choices), "commodity": dict(CommodityGroup.choices)}.get(group, {})
        for row in rows:
            row["group"] = str(labels.get(row[key], row[key]))
            for aspect in ("facilities", "legality", "institution"):
                row[aspect] = round(float(row[aspect] or 0), 2)
        return rows


@register
class IdleSentraReport(Report):
    slug = "idle-sentra"
    title = _("Sentra built but idle")
    description = _("Built or revitalised, not operating for longer than the configured months: oldest first.")
    permission = "sentra.view_sentra"
    model = Sentra
    filterset_class = SentraFilterSet
    filter_fields = ("province", "regency", "commodity")
    columns = [
        Column("name", _("Sentra"), link="url"),
        Column("regency_name", _("Kab/kota")),
        Column("status_label", _("Status")),
        Column("status_since", _("Since")),
        Column("investment_value", _("Investment (Rp)"), "money"),
        Column("completeness", _("Completeness (%)"), "percent"),
    ]

    def queryset(self) -> Any:
        return Sentra.objects.for_user(self.request.user).with_profile()

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        rows = list(
            queryset.filter(is_idle=True)
            .order_by("status_since")
            .values(
                "pk", "name", "status", "status_since", "investment_value", "completeness",
                regency_name=F("regency__name"),
            )
        )  # fmt: skip
        for row in rows:
            row["status_label"] = str(SentraStatus(row["status"]).label)
            row["url"] = reverse("sentra:sentra_detail", args=[row["pk"]])
        return rows

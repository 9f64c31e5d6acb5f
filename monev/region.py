"""Monev's cards of the region profile (#6, #16; `dakportal/reporting/region.py`): the kab/kota's latest monev
reports, and its open findings with how many are closed."""

from __future__ import annotations

from typing import Any

from dakportal.regions.models import Regency
from dakportal.reporting.region import Section
from monev.choices import FindingStatus, ReportStatus
from monev.models import Finding, MonevReport


def reports_data(user: Any, regency: Regency) -> dict[str, Any]:
    reports = list(
        MonevReport.objects.for_user(user).filter(sentra__regency=regency)
        .order_by("-year", "-quarter").values("pk", "year", "quarter", "status", "sentra__name")[:20]
    )  # fmt: skip
    for row in reports:
        row["label"] = str(ReportStatus(row["status"]).label)
    return {"reports": reports}


def findings_data(user: Any, regency: Regency) -> dict[str, Any]:
    findings = Finding.objects.for_user(user).filter(regency=regency)
    return {
        "open_findings": list(
            findings.filter(status=FindingStatus.OPEN)
            .order_by("due_date")
            .values("pk", "title", "category", "follow_up_class", "due_date", "loss_value")
        ),
        "findings_summary": findings.closure_rate(),
    }


SECTIONS = [
    Section("reports", "monev/region_reports.html", reports_data, order=30),
    Section("findings", "monev/region_findings.html", findings_data, order=40),
]

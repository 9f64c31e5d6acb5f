"""Building monev test data through the services (STYLE.md convention 11)."""

from __future__ import annotations

from datetime import date
from typing import Any

from monev import services
from monev.models import Finding, MonevReport, Recommendation


def make_report(user: Any, sentra: Any, year: int = 2021, quarter: int = 2, **fields: Any) -> MonevReport:
    scores = {"operating_score": "sesuai", "compliance_score": "sebagian", "sustainability_score": "sesuai"}
    report = MonevReport(sentra=sentra, year=year, quarter=quarter, **(scores | fields))
    return services.create_report(report, acting_user=user)


def make_finding(user: Any, sentra: Any, **fields: Any) -> Finding:
    values = {"title": "Mesin belum dimanfaatkan", "category": "asset_unused", "condition": "Mesin masih terbungkus"}
    finding = Finding(sentra=sentra, **(values | fields))
    recommendation = Recommendation(
        text="Segera operasikan mesin", responsible_official="Kepala Dinas", due_date=date(2022, 1, 31)
    )
    return services.record_finding(finding, acting_user=user, recommendations=[recommendation])

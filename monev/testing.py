"""Building monev test data through the services (STYLE.md convention 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from monev import services
from monev.choices import CheckResult, Indicator, TeamRole
from monev.models import Assignment, Finding, MonevReport, Recommendation, Visit


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


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments and field visit reports (#13)
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class Team:
    """An Itjen team: a lead, a member, a technical and a quality controller (all auditors)."""

    lead: Any
    member: Any
    technical: Any
    quality: Any

    def members(self) -> list[tuple[Any, str]]:
        return [
            (self.lead, TeamRole.LEAD),
            (self.member, TeamRole.MEMBER),
            (self.technical, TeamRole.TECHNICAL_CONTROLLER),
            (self.quality, TeamRole.QUALITY_CONTROLLER),
        ]


def make_team(prefix: str = "tim") -> Team:
    from dakportal.accounts.choices import Role
    from dakportal.accounts.services import create_user

    def auditor(name: str) -> Any:
        return create_user(username=f"{prefix}.{name}", role=Role.AUDITOR, full_name=f"{prefix} {name}".title(),
                           email=f"{prefix}.{name}@dakportal.example", password="test-password-123")  # fmt: skip

    return Team(auditor("ketua"), auditor("anggota"), auditor("dalnis"), auditor("daltu"))


def make_assignment(
    team: Team,
    sentra: list[Any],
    *,
    number: str = "ST-001/IJ/2021",
    regencies: list[str] | None = None,
    period: tuple[date, date] = (date(2021, 8, 2), date(2021, 8, 13)),
    fiscal_years: tuple[int, ...] = (2021,),
) -> Assignment:
    from dakportal.regions.models import Regency

    codes = regencies or sorted({place.regency_id for place in sentra})
    assignment = Assignment(number=number, date=period[0], period_start=period[0], period_end=period[1],
                            fiscal_years=list(fiscal_years))  # fmt: skip
    return services.save_assignment(
        assignment,
        acting_user=team.lead,
        members=team.members(),
        regencies=list(Regency.objects.filter(code__in=codes)),
        sentra=sentra,
    )


def make_visit(user: Any, assignment: Assignment, sentra: Any, **fields: Any) -> Visit:
    visit = Visit(assignment=assignment, sentra=sentra, visit_date=fields.pop("visit_date", assignment.period_start),
                  **fields)  # fmt: skip
    return services.create_visit(visit, acting_user=user)


def complete_visit(user: Any, visit: Visit) -> Visit:
    """Score every indicator with a narrative and a photo, and check every registry item as registered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dakportal.testing.files import image_bytes

    visit = Visit.objects.get(pk=visit.pk)
    for key in Indicator.values:
        setattr(visit, f"{key}_score", "sesuai")
        setattr(visit, f"{key}_note", f"Catatan {key}")
    visit = services.update_visit(visit, acting_user=user)
    for key in Indicator.values:
        photo = SimpleUploadedFile(f"{key}.jpg", image_bytes(), content_type="image/jpeg")
        services.add_evidence(upload=photo, title=key, acting_user=user, visit=visit, indicator=key)
    checks = list(visit.checks.all())
    for check in checks:
        check.result = CheckResult.AS_REGISTERED
    return services.save_registry_checks(visit, checks, acting_user=user)


def issue_visit(team: Team, visit: Visit) -> Visit:
    """Submit (the lead), approve (the technical controller) and issue (the quality controller)."""
    visit = services.submit_visit(visit, acting_user=team.lead)
    visit = services.approve_visit(visit, acting_user=team.technical)
    return services.issue_visit(visit, acting_user=team.quality)

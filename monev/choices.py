from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dakportal import tones


class Score(models.TextChoices):
    """The scale of each monev indicator."""

    SESUAI = "sesuai", _("Sesuai")
    SEBAGIAN = "sebagian", _("Sebagian")
    TIDAK = "tidak", _("Tidak sesuai")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    VISIT = "visit", _("Field visit")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


# Statuses in which the officer may edit the report, and those waiting for the ministry's review.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
IN_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)


class FindingCategory(models.TextChoices):
    VOLUME_SHORTFALL = "volume_shortfall", _("Volume shortfall (kekurangan volume)")
    LATE_PENALTY = "late_penalty", _("Uncollected late penalty (denda keterlambatan)")
    ASSET_UNUSED = "asset_unused", _("Asset not used (aset belum dimanfaatkan)")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Other")


class FollowUpClass(models.TextChoices):
    """Peraturan BPK 2/2017: the four classes of follow-up (DOMAIN.md section 5.4)."""

    SESUAI = "sesuai", _("Sesuai dengan rekomendasi")
    BELUM_SESUAI = "belum_sesuai", _("Belum sesuai")
    BELUM_DITINDAKLANJUTI = "belum_ditindaklanjuti", _("Belum ditindaklanjuti")
    TIDAK_DAPAT = "tidak_dapat", _("Tidak dapat ditindaklanjuti")


# A follow-up Itjen has not verified yet has no class (its `verification` is blank).
UNVERIFIED = ""
# #13: a recommendation in one of these classes is settled (closed): it takes no more follow-up.
SETTLED = (FollowUpClass.SESUAI, FollowUpClass.TIDAK_DAPAT)
# #13: Itjen gives its reason for these classes (what is still missing; why it cannot be followed up).
REASON_REQUIRED = (FollowUpClass.BELUM_SESUAI, FollowUpClass.TIDAK_DAPAT)
# #13: a deposit counts as recovered once Itjen verified its follow-up into one of these classes (it accepted the
# proof of deposit, as the whole or as a part of what is to be recovered).
DEPOSIT_ACCEPTED = (FollowUpClass.SESUAI, FollowUpClass.BELUM_SESUAI)


class DepositTarget(models.TextChoices):
    """Where money recovered on a recommendation is paid in (penyetoran): the treasury of the state or the region."""

    KAS_NEGARA = "kas_negara", _("Kas negara")
    KAS_DAERAH = "kas_daerah", _("Kas daerah")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas) and field visit reports (Laporan Hasil Monev), #13
# ---------------------------------------------------------------------------------------------------------------------
class TeamRole(models.TextChoices):
    """The roles in an Itjen team named by a surat tugas."""

    LEAD = "lead", _("Team lead (ketua tim)")
    MEMBER = "member", _("Member (anggota tim)")
    TECHNICAL_CONTROLLER = "technical_controller", _("Technical controller (pengendali teknis)")
    QUALITY_CONTROLLER = "quality_controller", _("Quality controller (pengendali mutu)")


# The roles that review a visit report: return it, approve it, issue it.
CONTROLLERS = (TeamRole.TECHNICAL_CONTROLLER, TeamRole.QUALITY_CONTROLLER)


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    ISSUED = "issued", _("Issued (final)")


# Statuses in which the team may still change a visit report.
VISIT_EDITABLE = (VisitStatus.DRAFT, VisitStatus.RETURNED)


class VisitStep(models.TextChoices):
    """What a step of a visit report's workflow did (approval keeps the status: it is recorded all the same)."""

    CREATE = "create", _("Drafted")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    APPROVE = "approve", _("Approved")
    ISSUE = "issue", _("Issued")


class Indicator(models.TextChoices):
    """The three indicators of the seed, each scored with a `Score`."""

    OPERATING = "operating", _("The sentra operates")
    COMPLIANCE = "compliance", _("The work followed the rules")
    SUSTAINABILITY = "sustainability", _("The sentra stays in use")


class CheckSubject(models.TextChoices):
    FACILITY = "facility", _("Facility")
    DOCUMENT = "document", _("Document")
    LEGALITY = "legality", _("Legality")


class CheckResult(models.TextChoices):
    AS_REGISTERED = "as_registered", _("As registered")
    DIFFERENT = "different", _("Different from the registry")


class CorrectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the region")
    CONFIRMED = "confirmed", _("Confirmed and applied by the region")
    REJECTED = "rejected", _("Rejected by the region")


# ---------------------------------------------------------------------------------------------------------------------
# The risk register (#17): rules that tell Itjen and the ministry where to look next
# ---------------------------------------------------------------------------------------------------------------------
class RiskSubject(models.TextChoices):
    """What a risk rule looks at: the records it fires on."""

    ALLOCATION = "allocation", _("Allocation")
    SENTRA = "sentra", _("Sentra")
    REGENCY = "regency", _("Kab/kota")


class ThresholdUnit(models.TextChoices):
    """What a rule's threshold counts; the whole-number units refuse a fraction."""

    NONE = "", _("No threshold")
    POINTS = "points", _("percentage points")
    DAYS = "days", _("days")
    UNITS = "units", _("member units")
    RATIO = "ratio", _("times the national median")
    MONTH = "month", _("month of the year")
    COUNT = "count", _("photos")


WHOLE_UNITS = (ThresholdUnit.DAYS, ThresholdUnit.UNITS, ThresholdUnit.MONTH, ThresholdUnit.COUNT)


class RiskCode(models.TextChoices):
    """The rules the portal knows how to compute (monev/risk.py holds the SQL of each)."""

    BEHIND_PLAN = "behind_plan", _("Realisation behind the quarterly plan")
    STAGE_WINDOW = "stage_window", _("Stage window closing or closed with conditions unmet")
    MONEV_LATE = "monev_late", _("Monev report late or missing for the last due quarter")
    INDICATOR_TIDAK = "indicator_tidak", _("An indicator scored tidak sesuai")
    SENTRA_IDLE = "sentra_idle", _("Sentra built or revitalised and idle")
    FEW_MEMBERS = "few_members", _("Fewer member units than the legal minimum")
    NO_COORDINATES = "no_coordinates", _("Sentra without coordinates")
    NO_LEGAL_DOCUMENTS = "no_legal_documents", _("Sentra without its legal documents")
    REC_NOT_FOLLOWED = "rec_not_followed", _("Recommendation overdue, not followed up")
    REC_PARTLY_FOLLOWED = "rec_partly_followed", _("Recommendation overdue, followed up in part")
    UNIT_COST_OUTLIER = "unit_cost_outlier", _("Unit cost far from the national median")
    CONTRACT_EQUALS_PLAN = "contract_equals_plan", _("Contracts equal to the plan to the rupiah")
    CONTRACT_LATE = "contract_late", _("Contract signed in the last quarter")
    EVIDENCE_FLAGGED = "evidence_flagged", _("Evidence photos flagged by the position and time checks")


# ---------------------------------------------------------------------------------------------------------------------
# How the statuses show (dakportal/tones.py): their badge colours, and their names in the templates
# ---------------------------------------------------------------------------------------------------------------------
tones.register(ReportStatus, {ReportStatus.ACCEPTED: "success", ReportStatus.RETURNED: "danger",
                              ReportStatus.SUBMITTED: "info", ReportStatus.RESUBMITTED: "info"})  # fmt: skip
tones.register(VisitStatus, {VisitStatus.ISSUED: "success", VisitStatus.RETURNED: "danger",
                             VisitStatus.SUBMITTED: "info"})  # fmt: skip
tones.register(FindingStatus, {FindingStatus.CLOSED: "success", FindingStatus.OPEN: "warning"})
tones.register(FollowUpClass, {FollowUpClass.SESUAI: "success", FollowUpClass.BELUM_SESUAI: "warning",
                               FollowUpClass.TIDAK_DAPAT: "dark"})  # fmt: skip
tones.register(CheckResult)
tones.register(CorrectionStatus)

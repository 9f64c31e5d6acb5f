"""DAK Fisik Bidang IKM allocations (#4; DOMAIN.md sections 2-5.2).

Each fiscal year (TA) the APBN allocates a pagu per kab/kota and sub-field. The kab/kota plans activities at
sentra of the registry (the RK), contracts the work, receives the money in stages whose conditions depend on the
year's rules, and reports quarterly realisation: money spent and physical progress. Money is whole rupiah.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from allocations.choices import (
    AllocationKind,
    ContractMethod,
    DocumentStatus,
    PlanStatus,
    ReferenceKind,
    StageFormula,
)
from allocations.querysets import (
    UNIT_COST_HIGH,
    ActivityItemQuerySet,
    AllocationQuerySet,
    DisbursementRuleQuerySet,
    UnitCostCheck,
)
from dakportal.formatting import percent, rupiah
from dakportal.models import BaseModel, MoneyField, VoidableModel

PROGRAM_FIRST_YEAR = 2016  # the first year of DAK Fisik Bidang IKM
SMALL_AMOUNT = 10_000_000  # #12: a pagu under Rp 10 juta was probably entered in thousands or millions


def latest_allowed_year() -> int:
    """Allocations can be entered up to next year (the APBN is set the year before)."""
    return timezone.localdate().year + 1


class FiscalYear(models.Model):
    """The rules of one fiscal year (TA): its legal basis and the pagu up to which the money is paid at once."""

    reference_data = True  # the yearly rules, the same for every role

    year = models.PositiveSmallIntegerField(_("fiscal year"), primary_key=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    single_payment_max = MoneyField(
        _("single payment up to (Rp)"),
        default=0,
        help_text=_("A pagu up to this amount is disbursed at once; 0: never."),
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self) -> str:
        return f"TA {self.year}"


PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
MONTH = [MinValueValidator(1), MaxValueValidator(12)]
DAY = [MinValueValidator(1), MaxValueValidator(31)]


class DisbursementRule(models.Model):
    """One disbursement stage of a fiscal year, as the year's PMK defines it (#13; DOMAIN.md 5.2): its amount (a
    share of the pagu, or the remaining need to finish the work), the realisation thresholds, the conditions the
    portal checks from its own records, the documents the region must have verified, the window in the year in
    which it may be disbursed, and the legal source. Loaded from fixtures/reference/fiscal_years.yaml; evaluated
    in one place, `DisbursementRuleQuerySet.evaluated()`."""

    reference_data = True

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("stage"), max_length=40)
    single_payment = models.BooleanField(
        _("single payment"), default=False, help_text=_("The stage used when the pagu is small.")
    )
    formula = models.CharField(_("amount"), max_length=15, choices=StageFormula, default=StageFormula.SHARE)
    share_percent = models.DecimalField(
        _("share of the pagu (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    min_absorption_percent = models.DecimalField(
        _("minimum absorption of funds received (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=PERCENT,
    )  # fmt: skip
    min_output_percent = models.DecimalField(
        _("minimum physical output (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    needs_previous_quarter_report = models.BooleanField(_("needs the previous quarter's report"), default=False)
    needs_approved_plan = models.BooleanField(_("needs the activity plan (RK) approved"), default=False)
    needs_contract = models.BooleanField(_("needs a contract"), default=False)
    window_start_month = models.PositiveSmallIntegerField(_("window opens (month)"), default=1, validators=MONTH)
    window_start_day = models.PositiveSmallIntegerField(_("window opens (day)"), default=1, validators=DAY)
    window_end_month = models.PositiveSmallIntegerField(_("window closes (month)"), default=12, validators=MONTH)
    window_end_day = models.PositiveSmallIntegerField(_("window closes (day)"), default=31, validators=DAY)
    source = models.TextField(_("legal source"), blank=True)

    objects = DisbursementRuleQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "single_payment", "order"]
        verbose_name = _("disbursement rule")
        verbose_name_plural = _("disbursement rules")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "single_payment", "order"], name="allocations_rule_unique"),
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="allocations_rule_code_unique",
                violation_error_message=_("This stage code already exists in this fiscal year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.name}"

    def window(self, year: int) -> tuple[date, date]:
        """The first and last day of `year` on which this stage may be disbursed."""
        return (
            date(year, self.window_start_month, self.window_start_day),
            date(year, self.window_end_month, self.window_end_day),
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.formula == StageFormula.SHARE and self.share_percent is None:
            errors["share_percent"] = _("A stage paid as a share of the pagu needs its share.")
        if self.formula == StageFormula.REMAINING_NEED and self.share_percent is not None:
            errors["share_percent"] = _("A stage paid as the remaining need has no share of the pagu.")
        try:
            start, end = self.window(2024)  # a leap year: 29 February is a valid day
        except (TypeError, ValueError):
            errors["window_end_day"] = _("The window's days are not dates of the year.")
        else:
            if end < start:
                errors["window_end_month"] = _("The window cannot close before it opens.")
        if errors:
            raise ValidationError(errors)


class RequiredDocument(models.Model):
    """A document a disbursement stage requires (#13): the region uploads it, the ministry verifies it. Part of the
    fiscal year's rules (fixtures/reference/fiscal_years.yaml), with its legal source."""

    reference_data = True

    # Reference data goes with its rule (the rules file drops a stage with its list of documents); the uploads that
    # answer a requirement PROTECT it (StageDocument.requirement), so no evidence is ever removed this way (#9).
    rule = models.ForeignKey(DisbursementRule, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("document"), max_length=300)
    source = models.TextField(_("legal source"), blank=True)

    class Meta:
        ordering = ["rule", "order"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code"],
                name="allocations_required_document_unique",
                violation_error_message=_("This document is already required by this stage."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceItem(models.Model):
    """A sub-field, menu, detail (rincian) or unit of measure of one fiscal year."""

    reference_data = True  # the same lists for every role (#10)

    kind = models.CharField(_("kind"), max_length=10, choices=ReferenceKind)
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The regulation and article that list the item.")
    )

    class Meta:
        ordering = ["kind", "year", "code"]
        verbose_name = _("reference item")
        verbose_name_plural = _("reference items")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "code"],
                name="allocations_reference_unique",
                violation_error_message=_("This code already exists for this year."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PublishedTotal(models.Model):
    """The national total of DAK Fisik Bidang IKM that Kemenperin published for a fiscal year: the pagu and the
    number of kab/kota funded (DOMAIN.md section 2), with the publication it comes from. The demo reproduces them
    exactly; the portal's own totals come from the allocations."""

    reference_data = True  # published figures, the same for every role (#18)

    year = models.PositiveSmallIntegerField(_("fiscal year"), primary_key=True)
    amount = MoneyField(_("pagu (Rp)"))
    regency_count = models.PositiveIntegerField(_("kab/kota funded"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["year"]
        verbose_name = _("published national total")
        verbose_name_plural = _("published national totals")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=PROGRAM_FIRST_YEAR),
                name="allocations_published_total_from_2016",
                violation_error_message=_("DAK Fisik Bidang IKM began in 2016: the year cannot be earlier."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="allocations_published_total_positive",
                violation_error_message=_("The pagu must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(regency_count__gt=0),
                name="allocations_published_total_regencies",
                violation_error_message=_("At least one kab/kota is funded."),
            ),
        ]

    def __str__(self) -> str:
        return f"TA {self.year}"


class Allocation(BaseModel):
    """The pagu of one kab/kota for one fiscal year and sub-field. Only autonomous kab/kota receive DAK.
    `regency_code_then` keeps the code the allocation was made under (91.01 for today's 93.01 Merauke)."""

    year = models.PositiveSmallIntegerField(_("fiscal year"))
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("kab/kota")
    )
    regency_code_then = models.CharField(_("kab/kota code at the time"), max_length=5, blank=True)
    sub_field = models.ForeignKey(
        ReferenceItem, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("sub-field"),
        limit_choices_to={"kind": ReferenceKind.SUB_FIELD},
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=AllocationKind, default=AllocationKind.REGULER)
    amount = MoneyField(_("pagu (Rp)"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    synthetic = models.BooleanField(
        _("synthetic split"), default=False, help_text=_("Demo data: the split between kab/kota is invented.")
    )
    plan_status = models.CharField(_("plan status"), max_length=10, choices=PlanStatus, default=PlanStatus.DRAFT)
    plan_return_reason = models.TextField(_("reason for returning the plan"), blank=True)
    plan_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_decided_at = models.DateTimeField(_("plan decided at"), null=True, blank=True)

    objects = AllocationQuerySet.as_manager()  # type: ignore[misc]  # a subclass of BaseModel's scoped manager

    history_label = ("year", "regency")

    class Meta:
        ordering = ["-year", "regency"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "regency", "sub_field"],
                name="allocations_one_per_year_regency_subfield",
                violation_error_message=_("This kab/kota already has an allocation for this year and sub-field."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=PROGRAM_FIRST_YEAR),
                name="allocations_year_from_2016",
                violation_error_message=_("DAK Fisik Bidang IKM began in 2016: the year cannot be earlier."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="allocations_amount_positive",
                violation_error_message=_("The pagu must be more than zero."),
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["year", "regency"])]

    def __str__(self) -> str:
        return f"TA {self.year} · {self.regency.name if self.regency_id else ''}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:allocation_detail", args=[self.pk])

    @property
    def plan_is_editable(self) -> bool:
        return self.plan_status in PlanStatus.editable()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.year and not (PROGRAM_FIRST_YEAR <= self.year <= latest_allowed_year()):
            errors["year"] = _("The year must be between %(first)d and %(last)d.") % {
                "first": PROGRAM_FIRST_YEAR,
                "last": latest_allowed_year(),
            }
        if self.regency_id and not self.regency.autonomous:
            errors["regency"] = _("%(name)s is not autonomous and cannot receive DAK.") % {"name": self.regency.name}
        if self.sub_field_id and self.year and self.sub_field.year != self.year:
            errors["sub_field"] = _("This sub-field belongs to another year.")
        if self.pk and self.amount is not None:
            planned = self.activity_items.aggregate(total=models.Sum("value"))["total"] or 0
            if planned > self.amount:
                errors["amount"] = _("The activity plan (%(planned)s) already exceeds this pagu.") % {
                    "planned": rupiah(planned)
                }
            quarterly = QuarterlyPlan.objects.filter(allocation=self).values_list("funds_q4", flat=True).first()
            if quarterly is not None and quarterly > self.amount and "amount" not in errors:
                errors["amount"] = _("The quarterly plan (%(planned)s) already exceeds this pagu.") % {
                    "planned": rupiah(quarterly)
                }
        if errors:
            raise ValidationError(errors)
        if not self.regency_code_then and self.regency_id:
            self.regency_code_then = self.regency_id

    def get_warnings(self) -> list[tuple[str, str]]:
        """A pagu under Rp 10 juta is allowed but flagged, in the import and the API alike (#12)."""
        if self.amount is not None and 0 < self.amount < SMALL_AMOUNT:
            return [("amount", _("%(amount)s is very small: was it entered in thousands or millions of rupiah?") % {
                "amount": rupiah(self.amount)})]  # fmt: skip
        return []


class ActivityItem(BaseModel):
    """A line of the activity plan (RK): what is built or bought at which sentra, volume x unit cost."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="activity_items")
    menu = models.ForeignKey(
        ReferenceItem, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": ReferenceKind.MENU}
    )
    detail = models.ForeignKey(
        ReferenceItem, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": ReferenceKind.DETAIL}
    )
    sentra = models.ForeignKey("sentra.Sentra", on_delete=models.PROTECT, related_name="activity_items")
    volume = models.DecimalField(
        _("volume"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.ForeignKey(
        ReferenceItem, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": ReferenceKind.UNIT}
    )
    unit_cost = MoneyField(_("unit cost (Rp)"))
    value = models.GeneratedField(
        expression=Round(F("volume") * F("unit_cost")),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("value (Rp)"),
    )
    unit_cost_justification = models.TextField(
        _("justification of the unit cost"), blank=True, default="", db_default="",
        help_text=_("Required when the unit cost is more than 1.5 times, or less than half, the national median."),
    )  # fmt: skip

    objects = ActivityItemQuerySet.as_manager()  # type: ignore[misc]  # a subclass of BaseModel's scoped manager

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    _stored_cost: tuple[Any, ...] | None = None  # detail, unit and unit cost as read from the database

    class Meta:
        ordering = ["allocation", "id"]
        verbose_name = _("activity item")
        verbose_name_plural = _("activity plan")

    def __str__(self) -> str:
        return f"{self.detail} · {self.sentra}" if self.detail_id and self.sentra_id else str(self.pk)

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#plan"

    @property
    def computed_value(self) -> int:
        return int((Decimal(self.volume or 0) * (self.unit_cost or 0)).quantize(Decimal(1)))

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        item = super().from_db(db, field_names, values, **kwargs)
        item._stored_cost = (
            item.__dict__.get("detail_id"),
            item.__dict__.get("unit_id"),
            item.__dict__.get("unit_cost"),
        )
        return item

    def unit_cost_entered(self) -> bool:
        """Whether the unit cost is being entered: a new line, or a changed detail, unit or unit cost. A line whose
        cost stands keeps its warning but may change otherwise (its volume) without a justification: the median
        moves as other lines are entered."""
        return self._state.adding or self._stored_cost != (
            self.detail_id,
            self.unit_id,
            self.unit_cost,
        )

    def unit_cost_check(self) -> UnitCostCheck | None:
        """The unit cost against the national median of the other lines of its detail, unit and year (#17.4;
        `ActivityItemQuerySet.unit_cost_check`), None until the allocation, detail, unit and cost are given. One
        query, kept for the values it was computed with."""
        if not (self.allocation_id and self.detail_id and self.unit_id) or self.unit_cost is None:
            return None
        key = (self.allocation_id, self.detail_id, self.unit_id, self.unit_cost)
        cached: tuple[Any, UnitCostCheck] | None = getattr(self, "_unit_cost_check", None)
        if cached is None or cached[0] != key:
            check = ActivityItem.objects.unit_cost_check(
                year=self.allocation.year, detail=self.detail_id, unit=self.unit_id, unit_cost=self.unit_cost,
                exclude=self.pk,
            )  # fmt: skip
            cached = (key, check)
            self._unit_cost_check = cached
        return cached[1]

    def unit_cost_warning(self, check: UnitCostCheck) -> str:
        """Why the unit cost is an outlier, with the national median and the accepted range (#17.4)."""
        values = {
            "cost": rupiah(check.unit_cost), "median": rupiah(check.median_rupiah), "low": rupiah(check.low),
            "high": rupiah(check.high), "times": number_format(UNIT_COST_HIGH), "detail": self.detail.name,
            "unit": self.unit.name, "year": self.allocation.year,
        }  # fmt: skip
        message = (
            _(
                "Unit cost %(cost)s is more than %(times)s times the national median of %(median)s (usual range "
                "%(low)s–%(high)s) for %(detail)s per %(unit)s, TA %(year)s."
            )
            if check.too_high
            else _(
                "Unit cost %(cost)s is less than half the national median of %(median)s (usual range "
                "%(low)s–%(high)s) for %(detail)s per %(unit)s, TA %(year)s."
            )
        )
        return str(message) % values

    def get_warnings(self) -> list[tuple[str, str]]:
        """A unit cost outside the usual range of the national median (#17.4): allowed with a justification, and
        still shown, in the form, the API's answer and the risk register alike."""
        check = self.unit_cost_check()
        if check is not None and check.outlier:
            return [("unit_cost", self.unit_cost_warning(check))]
        return []

    def clean(self) -> None:
        """The sentra is in the allocation's kab/kota; reference items are of its year; a unit cost outside the
        usual range of the national median needs a justification (#17.4); the plan fits the pagu."""
        errors: dict[str, Any] = {}
        if not self.allocation_id:
            return
        allocation = self.allocation
        if self.sentra_id and self.sentra.regency_id != allocation.regency_id:
            errors["sentra"] = _("The sentra must be in the allocation's kab/kota.")
        for name in ("menu", "detail", "unit"):
            item = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if item is not None and item.year != allocation.year:
                errors[name] = _("This item belongs to another year's reference list.")
        check = self.unit_cost_check() if self.unit_cost_entered() else None
        if check is not None and check.outlier and not self.unit_cost_justification.strip():
            errors["unit_cost_justification"] = _("%(warning)s Say why in the justification of the unit cost.") % {
                "warning": self.unit_cost_warning(check)
            }
        if self.volume is not None and self.unit_cost is not None:
            others = allocation.activity_items.exclude(pk=self.pk).aggregate(total=models.Sum("value"))["total"] or 0
            if others + self.computed_value > allocation.amount:
                errors["unit_cost"] = _("The plan would total %(total)s, more than the pagu of %(pagu)s.") % {
                    "total": rupiah(others + self.computed_value),
                    "pagu": rupiah(allocation.amount),
                }
        if errors:
            raise ValidationError(errors)


class Contract(VoidableModel):
    """A contract (or self-managed work) under an allocation; contract values may not exceed the plan."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=100)
    date = models.DateField(_("contract date"))
    supplier = models.CharField(_("supplier"), max_length=200)
    value = MoneyField(_("value (Rp)"))
    method = models.CharField(_("method"), max_length=12, choices=ContractMethod, default=ContractMethod.CONTRACTUAL)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    handover_date = models.DateField(_("handover (BAST) date"), null=True, blank=True)

    region_lookup = "allocation__regency"
    history_parent = "allocation"

    class Meta(VoidableModel.Meta):
        ordering = ["allocation", "date"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="allocations_contract_dates_in_order",
                violation_error_message=_("The contract cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#contracts"

    def clean(self) -> None:
        if not self.allocation_id or self.value is None:
            return
        planned = self.allocation.activity_items.aggregate(total=models.Sum("value"))["total"] or 0
        others = self.allocation.contracts.exclude(pk=self.pk).aggregate(total=models.Sum("value"))["total"] or 0
        if others + self.value > planned:
            raise ValidationError(
                {"value": _("Contracts would total %(total)s, more than the activity plan (%(planned)s).") % {
                    "total": rupiah(others + self.value),
                    "planned": rupiah(planned),
                }}
            )  # fmt: skip


class Disbursement(VoidableModel):
    """Money transferred to the region's treasury (RKUN to RKUD) for one stage of the year's rules (#13).

    Recording it evaluates the stage's conditions on the figures as they stood on its date (realisation reported
    by then, disbursements before it, documents verified by then) and keeps the result with it. It is refused
    before the stage's window opens, without the stage's documents verified, or above the stage's amount."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="disbursements")
    rule = models.ForeignKey(
        DisbursementRule, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("stage")
    )
    amount = MoneyField(_("amount (Rp)"))
    date = models.DateField(_("date"))
    conditions = models.JSONField(
        _("conditions on the date"), default=list, blank=True, editable=False,
        help_text=_("Each condition of the stage as it stood on the disbursement date: code, met, figures."),
    )  # fmt: skip
    conditions_met = models.BooleanField(_("conditions met on the date"), null=True, editable=False)

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    history_label = ("rule", "date")

    class Meta(VoidableModel.Meta):
        ordering = ["allocation", "date"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.allocation} · {self.rule.name if self.rule_id else ''}"

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#stages"

    @property
    def stage(self) -> str:
        return self.rule.name

    def clean(self) -> None:
        """The stage is one of the allocation's; the disbursements stay within the pagu; and, as at its date, the
        stage's window is open, its documents are verified and its amount is not exceeded (#13). The conditions
        as they stood are kept with the record."""
        if not self.allocation_id or self.amount is None or not self.rule_id or self.date is None:
            return
        allocation = self.allocation
        others = allocation.disbursements.exclude(pk=self.pk).aggregate(total=models.Sum("amount"))["total"] or 0
        if others + self.amount > allocation.amount:
            raise ValidationError({"amount": _("Disbursements cannot exceed the pagu.")})
        from allocations.stages import check_disbursement

        self.conditions, self.conditions_met = check_disbursement(self)


class Realisation(VoidableModel):
    """Quarterly realisation (LRPD-CO): cumulative money spent and physical progress at the end of a quarter."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="realisations")
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    spent = MoneyField(_("money spent, cumulative (Rp)"))
    physical_progress = models.DecimalField(
        _("physical progress (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo of the work"), max_length=200, blank=True)

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    history_label = ("allocation", "quarter")

    class Meta(VoidableModel.Meta):
        ordering = ["allocation", "quarter"]
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "quarter"],
                condition=Q(voided_at__isnull=True),
                name="allocations_one_realisation_per_quarter",
                violation_error_message=_("This quarter is already reported; change that report instead."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="allocations_quarter_1_to_4",
                violation_error_message=_("The quarter is 1, 2, 3 or 4."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                name="allocations_progress_0_100",
                violation_error_message=_("Physical progress is between 0 and 100%."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.allocation} · TW {self.quarter}"

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#realisation"

    @property
    def year(self) -> int:
        return self.allocation.year

    def clean(self) -> None:
        """Quarters in order; progress and spending never fall; spending never above the funds received."""
        if not self.allocation_id or self.quarter is None:
            return
        errors: dict[str, Any] = {}
        reports = {r.quarter: r for r in self.allocation.realisations.exclude(pk=self.pk)}
        if self.quarter > 1 and (self.quarter - 1) not in reports:
            errors["quarter"] = _("Report quarter %(q)d first.") % {"q": self.quarter - 1}
        earlier = [r for q, r in reports.items() if q < self.quarter]
        later = [r for q, r in reports.items() if q > self.quarter]
        if self.physical_progress is not None:
            if any(r.physical_progress > self.physical_progress for r in earlier):
                errors["physical_progress"] = _("Physical progress cannot fall below an earlier quarter's.")
            elif any(r.physical_progress < self.physical_progress for r in later):
                errors["physical_progress"] = _("Physical progress cannot exceed a later quarter's.")
        if self.spent is not None:
            if any(r.spent > self.spent for r in earlier):
                errors["spent"] = _("Money spent is cumulative: it cannot fall below an earlier quarter's.")
            received = self.allocation.disbursements.aggregate(total=models.Sum("amount"))["total"] or 0
            if self.spent > received:
                errors["spent"] = _("Money spent (%(spent)s) cannot exceed the funds received (%(received)s).") % {
                    "spent": rupiah(self.spent),
                    "received": rupiah(received),
                }
        if errors:
            raise ValidationError(errors)


class StageDocument(BaseModel):
    """A document a disbursement stage requires (a `RequiredDocument`), uploaded by the region and verified or
    rejected (with a reason) by the ministry, each with who and when (#13). A stage counts a document from the day
    it was verified (`decided_on`: today, or the day of an earlier verification being recorded). The file is
    checked by content and stored under a random name; it is served only through its scoped view."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="stage_documents")
    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, related_name="uploads", verbose_name=_("document")
    )
    file = models.FileField(_("file"), max_length=200, blank=True)  # required by the upload service
    submitted_on = models.DateField(
        _("submitted on"), default=timezone.localdate,
        help_text=_("The day the region submitted it: today, unless you record an earlier submission."),
    )  # fmt: skip
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"),
        null=True, editable=False,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus, default=DocumentStatus.SUBMITTED, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"), editable=False,
    )  # fmt: skip
    decided_on = models.DateField(_("verified on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True, editable=False)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    history_label = ("requirement", "status")

    class Meta:
        ordering = ["allocation", "requirement", "-submitted_on", "-id"]
        verbose_name = _("stage document")
        verbose_name_plural = _("stage documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.REJECTED) | ~Q(reject_reason=""),
                name="allocations_stage_document_rejected_with_reason",
                violation_error_message=_("Say why the document is rejected."),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="allocations_stage_document_decided_after_submitted",
                violation_error_message=_("A document cannot be verified before it was submitted."),
            ),
        ]

    def __str__(self) -> str:
        return self.requirement.name if self.requirement_id else str(self.pk)

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#stages"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.allocation_id and self.requirement_id and self.requirement.rule.fiscal_year_id != self.allocation.year:
            errors["requirement"] = _("This document belongs to another year's stages.")
        today = timezone.localdate()
        if self.submitted_on and self.submitted_on > today:
            errors["submitted_on"] = _("The date cannot be in the future.")
        if self.decided_on and self.decided_on > today:
            errors["decided_on"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class QuarterlyPlan(BaseModel):
    """The allocation's quarterly plan (rencana penarikan dana, #13.5): the funds to be drawn, cumulative, and the
    target physical progress at the end of each quarter, entered with the activity plan. Both never fall from one
    quarter to the next; the funds never exceed the pagu, the progress never 100%."""

    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT, related_name="quarterly_plan")
    funds_q1 = MoneyField(_("funds by the end of quarter I (Rp)"), default=0)
    funds_q2 = MoneyField(_("funds by the end of quarter II (Rp)"), default=0)
    funds_q3 = MoneyField(_("funds by the end of quarter III (Rp)"), default=0)
    funds_q4 = MoneyField(_("funds by the end of quarter IV (Rp)"), default=0)
    physical_q1 = models.DecimalField(_("physical target, quarter I (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0), validators=PERCENT)  # fmt: skip
    physical_q2 = models.DecimalField(_("physical target, quarter II (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0), validators=PERCENT)  # fmt: skip
    physical_q3 = models.DecimalField(_("physical target, quarter III (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0), validators=PERCENT)  # fmt: skip
    physical_q4 = models.DecimalField(_("physical target, quarter IV (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0), validators=PERCENT)  # fmt: skip

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    history_label = ("allocation",)

    class Meta:
        ordering = ["allocation"]
        verbose_name = _("quarterly plan")
        verbose_name_plural = _("quarterly plans")

    def __str__(self) -> str:
        return f"{self.allocation} · {_('quarterly plan')}" if self.allocation_id else str(self.pk)

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#realisation"

    def quarters(self) -> list[tuple[int, int, Decimal]]:
        """(quarter, cumulative funds, physical target) for quarters 1 to 4."""
        return [(q, getattr(self, f"funds_q{q}"), getattr(self, f"physical_q{q}")) for q in range(1, 5)]

    def clean(self) -> None:
        """Cumulative targets: neither falls from a quarter to the next; the funds stay within the pagu."""
        errors: dict[str, Any] = {}
        pagu = self.allocation.amount if self.allocation_id else None
        previous_funds, previous_physical = 0, Decimal(0)
        for quarter, funds, physical in self.quarters():
            if funds is None or physical is None:
                continue
            if pagu is not None and funds > pagu:
                errors[f"funds_q{quarter}"] = _("%(value)s is more than the pagu (%(pagu)s).") % {
                    "value": rupiah(funds),
                    "pagu": rupiah(pagu),
                }
            elif funds < previous_funds:
                errors[f"funds_q{quarter}"] = _(
                    "The funds are cumulative: quarter %(q)d cannot plan less than the quarter before (%(before)s)."
                ) % {"q": quarter, "before": rupiah(previous_funds)}
            if physical < previous_physical:
                errors[f"physical_q{quarter}"] = _(
                    "Physical progress is cumulative: quarter %(q)d cannot plan less than the quarter before "
                    "(%(before)s)."
                ) % {"q": quarter, "before": percent(previous_physical)}
            previous_funds, previous_physical = max(previous_funds, funds), max(previous_physical, physical)
        if errors:
            raise ValidationError(errors)

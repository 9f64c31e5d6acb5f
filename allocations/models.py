"""DAK Fisik Bidang IKM allocations (#4; DOMAIN.md sections 2-5.2).

Each fiscal year (TA) the APBN allocates a pagu per kab/kota and sub-field. The kab/kota plans activities at
sentra of the registry (the RK), contracts the work, receives the money in stages whose conditions depend on the
year's rules, and reports quarterly realisation: money spent and physical progress. Money is whole rupiah.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocations.choices import AllocationKind, ContractMethod, PlanStatus, ReferenceKind
from allocations.querysets import AllocationQuerySet
from dakportal.formatting import rupiah
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


class DisbursementRule(models.Model):
    """One disbursement stage of a fiscal year: its share of the pagu and its conditions (DOMAIN.md 5.2).

    `share_percent` empty means "the remainder". Conditions: absorption (money spent against funds received so
    far) and physical output at least the given percentages, and the previous stage's realisation reported."""

    reference_data = True

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("stage"), max_length=40)
    share_percent = models.DecimalField(
        _("share of the pagu (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_absorption_percent = models.DecimalField(
        _("minimum absorption of funds received (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_output_percent = models.DecimalField(
        _("minimum physical output (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    needs_previous_quarter_report = models.BooleanField(_("needs the previous quarter's report"), default=False)
    single_payment = models.BooleanField(
        _("single payment"), default=False, help_text=_("The stage used when the pagu is small.")
    )

    class Meta:
        ordering = ["fiscal_year", "single_payment", "order"]
        verbose_name = _("disbursement rule")
        verbose_name_plural = _("disbursement rules")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "single_payment", "order"], name="allocations_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.name}"


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

    region_lookup = "allocation__regency"
    history_parent = "allocation"

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

    def clean(self) -> None:
        """The sentra is in the allocation's kab/kota; reference items are of its year; the plan fits the pagu."""
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
    """Money transferred to the region's treasury (RKUN to RKUD) for one stage."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="disbursements")
    stage = models.CharField(_("stage"), max_length=40)
    amount = MoneyField(_("amount (Rp)"))
    date = models.DateField(_("date"))

    region_lookup = "allocation__regency"
    history_parent = "allocation"
    history_label = ("stage", "date")

    class Meta(VoidableModel.Meta):
        ordering = ["allocation", "date"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.allocation} · {self.stage}"

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url() + "#stages"

    def clean(self) -> None:
        if not self.allocation_id or self.amount is None:
            return
        others = self.allocation.disbursements.exclude(pk=self.pk).aggregate(total=models.Sum("amount"))["total"] or 0
        if others + self.amount > self.allocation.amount:
            raise ValidationError({"amount": _("Disbursements cannot exceed the pagu.")})


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

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocations.choices import ReferenceKind
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    RequiredDocument,
    StageDocument,
)
from dakportal.forms import ScopedModelForm, label_choices, records_field, style_fields
from dakportal.widgets import DateInput
from sentra.models import Sentra

DATE = DateInput()


class AllocationForm(ScopedModelForm[Allocation]):
    class Meta:
        model = Allocation
        fields = ["year", "regency", "sub_field", "kind", "amount", "legal_basis"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regency = records_field(self, "regency")
        if regency.queryset is not None:
            regency.queryset = regency.queryset.filter(autonomous=True)
        sub_field = records_field(self, "sub_field")
        sub_field.queryset = ReferenceItem.objects.filter(kind=ReferenceKind.SUB_FIELD).order_by("-year")
        label_choices(sub_field, lambda item: f"{item.year} · {item.name}")


class AllocationChildForm[Child: (ActivityItem, Contract, Disbursement, StageDocument, QuarterlyPlan, Realisation)](
    ScopedModelForm[Child]
):
    """A form for a record under one allocation: the allocation is fixed by the page, not chosen."""

    def __init__(self, *args: Any, allocation: Allocation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.allocation = allocation
        self.allocation = allocation


class ActivityItemForm(AllocationChildForm[ActivityItem]):
    """A plan line. A unit cost outside the usual range of the national median needs a justification (#17.4,
    ActivityItem.clean); unit-cost.js shows the median and the range as the cost is typed."""

    class Meta:
        model = ActivityItem
        fields = ["menu", "detail", "sentra", "volume", "unit", "unit_cost", "unit_cost_justification"]
        widgets = {"unit_cost_justification": forms.Textarea(attrs={"rows": 2, "col": "col-12"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.allocation.year
        for name, kind in (
            ("menu", ReferenceKind.MENU),
            ("detail", ReferenceKind.DETAIL),
            ("unit", ReferenceKind.UNIT),
        ):
            records_field(self, name).queryset = ReferenceItem.objects.filter(kind=kind, year=year)
        records_field(self, "sentra").queryset = Sentra.objects.filter(regency=self.allocation.regency).order_by("name")
        self.fields["sentra"].help_text = _("A sentra of the registry in this kab/kota.")
        check_url = reverse("allocations:unit_cost_check", args=[self.allocation.pk])
        self.fields["unit_cost"].widget.attrs.update(
            {"data-unit-cost-check": check_url, "data-item": self.instance.pk or ""}
        )


class UnitCostCheckForm(forms.Form):
    """The query of the unit-cost check (#17.4): a detail and unit of the allocation's year, a unit cost, and the
    line being changed (left out of the median)."""

    detail = forms.ModelChoiceField(queryset=ReferenceItem.objects.none())
    unit = forms.ModelChoiceField(queryset=ReferenceItem.objects.none())
    unit_cost = forms.IntegerField(min_value=0, max_value=10**15)
    item = forms.ModelChoiceField(queryset=ActivityItem.objects.none(), required=False)

    def __init__(self, *args: Any, allocation: Allocation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allocation = allocation
        references = ReferenceItem.objects.filter(year=allocation.year)
        records_field(self, "detail").queryset = references.filter(kind=ReferenceKind.DETAIL)
        records_field(self, "unit").queryset = references.filter(kind=ReferenceKind.UNIT)
        records_field(self, "item").queryset = allocation.activity_items.all()


class ContractForm(AllocationChildForm[Contract]):
    class Meta:
        model = Contract
        fields = ["number", "date", "supplier", "value", "method", "start_date", "end_date", "handover_date"]
        widgets = {"date": DATE, "start_date": DATE, "end_date": DATE, "handover_date": DATE}


class DisbursementForm(AllocationChildForm[Disbursement]):
    """A disbursement of one of the allocation's stages; the stage's conditions are checked as at its date (#13)."""

    class Meta:
        model = Disbursement
        fields = ["rule", "amount", "date"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from allocations.services import rules_for

        super().__init__(*args, **kwargs)
        rules = rules_for(self.allocation)
        records_field(self, "rule").queryset = DisbursementRule.objects.filter(pk__in=[rule.pk for rule in rules])
        label_choices(records_field(self, "rule"), lambda rule: rule.name)
        style_fields(self)


class StageDocumentForm(AllocationChildForm[StageDocument]):
    """The region uploads a document one of the allocation's stages requires (#13)."""

    upload = forms.FileField(label=_("File (PDF, JPEG or PNG)"))

    class Meta:
        model = StageDocument
        fields = ["requirement", "submitted_on"]
        widgets = {"submitted_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from allocations.services import rules_for

        super().__init__(*args, **kwargs)
        rules = rules_for(self.allocation)
        requirements = (
            RequiredDocument.objects.filter(rule__in=rules).select_related("rule").order_by("rule__order", "order")
        )
        records_field(self, "requirement").queryset = requirements
        label_choices(records_field(self, "requirement"), lambda item: f"{item.rule.name} · {item.name}")
        self.fields["submitted_on"].required = False
        self.fields["submitted_on"].initial = timezone.localdate()
        style_fields(self)

    def clean_submitted_on(self) -> Any:
        return self.cleaned_data.get("submitted_on") or timezone.localdate()


class StageDocumentDecisionForm(forms.Form):
    """The ministry verifies a stage document, or rejects it with a reason (#13)."""

    decided_on = forms.DateField(
        label=_("Verified on"), widget=DateInput(), required=False,
        help_text=_("Today, unless you record an earlier verification."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class QuarterlyPlanForm(AllocationChildForm[QuarterlyPlan]):
    """The quarterly plan (rencana penarikan dana): cumulative funds and physical targets per quarter (#13.5)."""

    class Meta:
        model = QuarterlyPlan
        fields = [
            "funds_q1", "physical_q1", "funds_q2", "physical_q2", "funds_q3", "physical_q3", "funds_q4", "physical_q4",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class RealisationForm(AllocationChildForm[Realisation]):
    upload = forms.FileField(label=_("Photo of the work (JPEG or PNG)"), required=False)

    class Meta:
        model = Realisation
        fields = ["quarter", "spent", "physical_progress", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PlanDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required to return the plan)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

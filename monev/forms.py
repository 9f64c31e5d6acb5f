from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allocations.models import Allocation
from dakportal.forms import ScopedModelForm, style_fields
from dakportal.widgets import DateInput
from monev.choices import FollowUpClass
from monev.models import Finding, MonevReport
from sentra.models import Sentra

DATE = DateInput()


class MonevReportForm(ScopedModelForm):
    class Meta:
        model = MonevReport
        fields = [
            "sentra", "allocations", "period_kind", "year", "quarter", "visit_date", "operating_score",
            "operating_note", "compliance_score", "compliance_note", "sustainability_score", "sustainability_note",
            "active_units", "workers", "output",
        ]  # fmt: skip
        widgets = {
            "visit_date": DATE,
            "operating_note": forms.Textarea(attrs={"rows": 2}),
            "compliance_note": forms.Textarea(attrs={"rows": 2}),
            "sustainability_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sentra"].queryset = Sentra.objects.for_user(self.user, "change").select_related("regency")
        self.fields["allocations"].queryset = Allocation.objects.for_user(self.user).select_related("regency")
        self.fields["allocations"].required = False
        if self.instance.pk:
            self.fields["sentra"].disabled = True


class FindingForm(ScopedModelForm):
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_official = forms.CharField(label=_("Responsible official"), max_length=200)
    recommendation_due = forms.DateField(label=_("Recommendation due"), widget=DATE)
    recommendation_value = forms.IntegerField(label=_("Value (Rp)"), min_value=0, initial=0)

    class Meta:
        model = Finding
        fields = ["regency", "sentra", "allocation", "report", "assignment", "title", "category", "condition",
                  "criteria", "cause", "effect", "loss_value", "due_date"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("condition", "criteria", "cause", "effect")} | {
            "due_date": DATE}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sentra"].queryset = Sentra.objects.select_related("regency").order_by("regency", "name")
        self.fields["allocation"].queryset = Allocation.objects.select_related("regency").order_by("-year")
        self.fields["report"].queryset = MonevReport.objects.select_related("sentra")
        self.fields["due_date"].required = False
        self.fields["due_date"].help_text = _("Default: 60 days from today.")
        style_fields(self)


class FollowUpForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Supporting document (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class VerificationForm(forms.Form):
    verification = forms.ChoiceField(label=_("Class"), choices=FollowUpClass.choices)
    reason = forms.CharField(label=_("Note (required for belum sesuai and tidak dapat)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required to return)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("Photo or document (JPEG, PNG, PDF)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

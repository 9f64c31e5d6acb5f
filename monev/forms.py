from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from allocations.models import Allocation
from dakportal.forms import ScopedModelForm, style_fields
from dakportal.uploads import check_upload
from dakportal.widgets import DateInput
from monev.choices import FollowUpClass, Score
from monev.models import Finding, MonevReport
from sentra.models import Sentra

DATE = DateInput()


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos at once, each checked by content as any evidence is (`dakportal.uploads.check_upload`), so
    that a rejected photo is named beside the field and nothing is saved (#14)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        for upload in files:
            try:
                check_upload(upload, images_only=True)
            except ValidationError as error:
                raise ValidationError(f"{upload.name}: {' '.join(error.messages)}") from error
        return list(files)


# #14: what each score means, shown beside the choice so that officers in different regions score alike.
SCORE_GUIDANCE = {
    "operating_score": _(
        "Sesuai: the sentra produces and its facilities are in use. Sebagian: some units or facilities are idle. "
        "Tidak sesuai: the sentra does not operate."
    ),
    "compliance_score": _(
        "Sesuai: the work matches the plan, the contract and the rules. Sebagian: minor deviations (volume, "
        "timing, documents). Tidak sesuai: the work departs from the plan or the rules."
    ),
    "sustainability_score": _(
        "Sesuai: a management body with its decree runs the sentra and maintains it. Sebagian: management or "
        "maintenance is incomplete. Tidak sesuai: nobody manages or maintains it."
    ),
}


class MonevReportForm(ScopedModelForm):
    """The officer's report, made for a phone in the field (#14): scores as large choices with their meaning,
    funding sources as checkboxes, and photos (from the camera or the gallery) attached in the same save."""

    photos = MultiplePhotoField(
        label=_("Photos of the sentra"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "multiple": True}),
        help_text=_("Choose photos or take them with the camera; the place and time they were taken are checked."),
    )
    camera = MultiplePhotoField(
        label=_("Take a photo now"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    class Meta:
        model = MonevReport
        fields = [
            "sentra", "allocations", "period_kind", "year", "quarter", "visit_date", "operating_score",
            "operating_note", "compliance_score", "compliance_note", "sustainability_score", "sustainability_note",
            "active_units", "workers", "output",
        ]  # fmt: skip
        widgets = {
            "visit_date": DATE,
            "allocations": forms.CheckboxSelectMultiple,
            "operating_score": forms.RadioSelect,
            "compliance_score": forms.RadioSelect,
            "sustainability_score": forms.RadioSelect,
            "operating_note": forms.Textarea(attrs={"rows": 2}),
            "compliance_note": forms.Textarea(attrs={"rows": 2}),
            "sustainability_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sentra"].queryset = Sentra.objects.for_user(self.user, "change").select_related("regency")
        self.fields["allocations"].queryset = Allocation.objects.for_user(self.user).select_related("regency")
        self.fields["allocations"].required = False
        self.fields["allocations"].help_text = _("The DAK allocations that funded this sentra.")
        for name, guidance in SCORE_GUIDANCE.items():
            self.fields[name].choices = [("", _("Not scored yet")), *Score.choices]
            self.fields[name].help_text = guidance
        if self.instance.pk:
            self.fields["sentra"].disabled = True

    @property
    def all_photos(self) -> list[Any]:
        return [*self.cleaned_data.get("photos", []), *self.cleaned_data.get("camera", [])]


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
    file = forms.FileField(
        label=_("Photo or document (JPEG, PNG, PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf"}
        ),  # #14: the camera too
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

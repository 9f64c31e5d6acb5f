from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from allocations.models import Allocation
from dakportal.accounts.models import User
from dakportal.forms import ScopedModelForm, choice_field, records_field, style_fields
from dakportal.uploads import check_upload
from dakportal.widgets import AutocompleteSelectMultiple, DateInput
from monev.choices import DepositTarget, FollowUpClass, Indicator, Score, TeamRole
from monev.models import Assignment, Finding, MonevReport, Recommendation, RegistryCheck, RiskRule, Visit
from sentra.models import Sentra

DATE = DateInput()


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos at once, each checked by content as any evidence is (`dakportal.uploads.check_upload`), so
    that a rejected photo is named beside the field and nothing is saved (#14)."""

    images_only = True

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        for upload in files:
            try:
                check_upload(upload, images_only=self.images_only)
            except ValidationError as error:
                raise ValidationError(f"{upload.name}: {' '.join(error.messages)}") from error
        return list(files)


class MultipleDocumentField(MultiplePhotoField):
    """Several photos or PDF documents at once, each checked by content (#13: a follow-up's attachments)."""

    images_only = False


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


class MonevReportForm(ScopedModelForm[MonevReport]):
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
        records_field(self, "sentra").queryset = Sentra.objects.for_user(self.user, "change").select_related("regency")
        records_field(self, "allocations").queryset = Allocation.objects.for_user(self.user).select_related("regency")
        self.fields["allocations"].required = False
        self.fields["allocations"].help_text = _("The DAK allocations that funded this sentra.")
        for name, guidance in SCORE_GUIDANCE.items():
            choice_field(self, name).choices = [("", _("Not scored yet")), *Score.choices]
            self.fields[name].help_text = guidance
        if self.instance.pk:
            self.fields["sentra"].disabled = True

    @property
    def all_photos(self) -> list[Any]:
        return [*self.cleaned_data.get("photos", []), *self.cleaned_data.get("camera", [])]


class FindingForm(ScopedModelForm[Finding]):
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_official = forms.CharField(label=_("Responsible official"), max_length=200)
    recommendation_due = forms.DateField(label=_("Recommendation due"), widget=DATE)
    recommendation_amount = forms.IntegerField(label=_("Amount to recover (Rp)"), min_value=0, initial=0)

    class Meta:
        model = Finding
        fields = ["regency", "sentra", "allocation", "report", "assignment", "title", "category", "condition",
                  "criteria", "cause", "effect", "loss_value", "due_date"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("condition", "criteria", "cause", "effect")} | {
            "due_date": DATE}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records_field(self, "sentra").queryset = Sentra.objects.select_related("regency").order_by("regency", "name")
        records_field(self, "allocation").queryset = Allocation.objects.select_related("regency").order_by("-year")
        records_field(self, "report").queryset = MonevReport.objects.select_related("sentra")
        self.fields["due_date"].required = False
        self.fields["due_date"].help_text = _("Default: 60 days from today.")
        style_fields(self)


class FollowUpForm(forms.Form):
    """The region's follow-up of one recommendation (#13), made for a phone: the reply, documents from the files
    or the camera, and any money deposited to the treasury with its proof."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleDocumentField(
        label=_("Supporting documents (PDF, JPEG, PNG)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,application/pdf", "multiple": True}),
    )
    camera = MultiplePhotoField(
        label=_("Take a photo now"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    amount_deposited = forms.IntegerField(label=_("Amount deposited (Rp)"), min_value=0, required=False)
    deposit_to = forms.ChoiceField(label=_("Deposited to"), choices=[("", "–"), *DepositTarget.choices], required=False)
    deposit_reference = forms.CharField(label=_("Proof of deposit (NTPN / STS number)"), max_length=100,
                                        required=False)  # fmt: skip
    deposit_date = forms.DateField(label=_("Deposit date"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["attachments"] = [*(data.get("attachments") or []), *(data.pop("camera", None) or [])]  # both documents
        return data


class VerificationForm(forms.Form):
    """Itjen's verification of one follow-up (#13), based on the version of it that the auditor saw."""

    follow_up = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
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


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: assignments (surat tugas) and field visit reports (LHM), #13
# ---------------------------------------------------------------------------------------------------------------------
def itjen_users() -> QuerySet[User]:
    """The people a team may hold: active Itjen auditors."""
    from dakportal.accounts.choices import Role

    return User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("full_name", "username")


class AuditorChoices(forms.ModelMultipleChoiceField[User]):
    wrap_class = "columns-3"  # generic/form_field.html: the choices in columns

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class AuditorChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class YearChoices(forms.TypedMultipleChoiceField):
    wrap_class = "columns-3"  # generic/form_field.html: the choices in columns


# Where a team problem (`Assignment.check_team`, codes) is shown on the form.
TEAM_FIELDS = {"no_lead": "lead", "no_controller": "technical_controllers", "not_itjen": "team_members"}


def team_errors_on_fields(form: forms.BaseForm, error: ValidationError) -> ValidationError | None:
    """Put the service's errors beside the form's fields: the team's (`members`) on the team fields; what is left
    (a field the form does not show) is returned for the top of the form."""
    rest: dict[str, Any] = {}
    for field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]:
        for item in errors:
            target = TEAM_FIELDS.get(str(item.code), "team_members") if field == "members" else field
            if target in form.fields:
                form.add_error(target, item)
            else:
                rest.setdefault("__all__", []).append(item)
    return ValidationError(rest) if rest else None


class AssignmentForm(ScopedModelForm[Assignment]):
    """A surat tugas: number, date, period, years under review, kab/kota and sentra, and the team by role."""

    lead = AuditorChoice(queryset=None, label=_("Team lead (ketua tim)"), required=False)
    team_members = AuditorChoices(
        queryset=None, label=_("Members (anggota tim)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    technical_controllers = AuditorChoices(
        queryset=None, label=_("Technical controllers (pengendali teknis)"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    quality_controllers = AuditorChoices(
        queryset=None, label=_("Quality controllers (pengendali mutu)"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    fiscal_years = YearChoices(label=_("Fiscal years under review"), coerce=int, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Assignment
        fields = ["number", "date", "period_start", "period_end", "fiscal_years", "regencies", "sentra", "notes"]
        widgets = {
            "date": DATE, "period_start": DATE, "period_end": DATE, "notes": forms.Textarea(attrs={"rows": 2}),
            "regencies": AutocompleteSelectMultiple(url_name="regions:regency_choices"),
            "sentra": AutocompleteSelectMultiple(url_name="sentra:sentra_choices"),
        }  # fmt: skip
        help_texts = {
            "regencies": _("Type a name to search; hold Ctrl (or Cmd) to pick several."),
            "sentra": _("Only sentra in the kab/kota above."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from allocations.models import FiscalYear
        from dakportal.regions.models import Regency

        super().__init__(*args, **kwargs)
        auditors = itjen_users()
        for name in ("lead", "team_members", "technical_controllers", "quality_controllers"):
            records_field(self, name).queryset = auditors
        choice_field(self, "fiscal_years").choices = [
            (year, str(year)) for year in FiscalYear.objects.order_by("year").values_list("year", flat=True)
        ]
        records_field(self, "regencies").queryset = Regency.objects.filter(active=True, autonomous=True).order_by(
            "name"
        )
        records_field(self, "sentra").queryset = Sentra.objects.for_user(self.user).select_related("regency")
        self.fields["sentra"].required = False
        for name in ("date", "period_start", "period_end"):
            self.fields[name].widget.attrs["col"] = "col-md-4"
        if self.instance.pk:
            roles: dict[str, list[Any]] = {}
            for member in self.instance.members.select_related("user"):
                roles.setdefault(member.role, []).append(member.user)
            self.initial["lead"] = (roles.get(TeamRole.LEAD) or [None])[0]
            self.initial["team_members"] = roles.get(TeamRole.MEMBER, [])
            self.initial["technical_controllers"] = roles.get(TeamRole.TECHNICAL_CONTROLLER, [])
            self.initial["quality_controllers"] = roles.get(TeamRole.QUALITY_CONTROLLER, [])

    def team(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        members: list[tuple[Any, str]] = [(data["lead"], TeamRole.LEAD)] if data.get("lead") else []
        for name, role in (("team_members", TeamRole.MEMBER), ("technical_controllers", TeamRole.TECHNICAL_CONTROLLER),
                           ("quality_controllers", TeamRole.QUALITY_CONTROLLER)):  # fmt: skip
            members += [(user, role) for user in data.get(name) or []]
        return members

    def clean(self) -> dict[str, Any]:
        """The team and the places are checked here too (by the model's own rules), so that every problem shows
        at once beside its field."""
        cleaned = super().clean()
        checks: list[Callable[[], None]] = [lambda: Assignment.check_team(self.team())]
        if "regencies" in cleaned:  # (a kab/kota field already in error says so itself)
            checks.append(
                lambda: Assignment.check_places(list(cleaned["regencies"]), list(cleaned.get("sentra") or []))
            )
        for check in checks:
            try:
                check()
            except ValidationError as error:
                rest = team_errors_on_fields(self, error)
                if rest is not None:
                    self.add_error(None, rest)
        return cleaned


class VisitForm(ScopedModelForm[Visit]):
    """A field visit report: the sentra of one of the user's surat tugas, the visit date, the three indicators
    with their narratives, and the conclusion."""

    class Meta:
        model = Visit
        fields = [
            "assignment", "sentra", "visit_date", "operating_score", "operating_note", "compliance_score",
            "compliance_note", "sustainability_score", "sustainability_note", "conclusion",
        ]  # fmt: skip
        widgets = {"visit_date": DATE} | {
            name: forms.Textarea(attrs={"rows": 3, "col": "col-12"})
            for name in ("operating_note", "compliance_note", "sustainability_note", "conclusion")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = Assignment.objects.with_member(self.user)
        records_field(self, "assignment").queryset = mine.order_by("-date")
        records_field(self, "sentra").queryset = (
            Sentra.objects.filter(assignments__in=mine).distinct().select_related("regency").order_by("name")
        )
        self.fields["visit_date"].widget.attrs["col"] = "col-md-4"
        for name in ("assignment", "sentra"):
            self.fields[name].widget.attrs["col"] = "col-md-4"
        if self.instance.pk:
            self.fields["assignment"].disabled = self.fields["sentra"].disabled = True


class RegistryCheckForm(forms.ModelForm[RegistryCheck]):
    class Meta:
        model = RegistryCheck
        fields = ["result", "observed", "proposed_value", "proposed_quantity", "proposed_condition"]
        widgets = {"observed": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject = self.instance.subject
        if subject != "legality":
            del self.fields["proposed_value"]
        else:
            self.fields["proposed_value"].help_text = legality_help(self.instance.field)
        if subject != "facility":
            del self.fields["proposed_quantity"], self.fields["proposed_condition"]
        style_fields(self)


def legality_help(field_name: str) -> str:
    """What a proposed legality value may be: the choices of the registry's field, or yes / no."""
    field: Any = Sentra._meta.get_field(field_name)
    if isinstance(field, models.BooleanField):
        return str(_("ya / tidak"))
    if field.choices:
        return ", ".join(f"{code} ({label})" for code, label in field.choices)
    return ""


RegistryCheckFormSet = forms.modelformset_factory(RegistryCheck, form=RegistryCheckForm, extra=0)


class VisitFindingForm(forms.ModelForm[Finding]):
    """A finding of a visit report (condition, criteria, cause, effect); its recommendations in a formset."""

    class Meta:
        model = Finding
        fields = ["title", "category", "condition", "criteria", "cause", "effect", "loss_value"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("condition", "criteria", "cause", "effect")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=self.instance.version)
        style_fields(self)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # django-stubs omits BaseModelForm._post_clean
        if self.cleaned_data.get("version"):
            self.instance.version = self.cleaned_data["version"]


class RecommendationForm(forms.ModelForm[Recommendation]):
    class Meta:
        model = Recommendation
        fields = ["text", "responsible_official", "amount_to_recover"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


RecommendationFormSet = forms.inlineformset_factory(
    Finding, Recommendation, form=RecommendationForm, extra=2, can_delete=True
)


class VisitEvidenceForm(EvidenceForm):
    indicator = forms.ChoiceField(choices=Indicator.choices, widget=forms.HiddenInput)


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("LHM number"), max_length=100, required=False, help_text=_("Empty: the next number of the year.")
    )
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DATE, help_text=_("Empty: today."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class RiskRuleForm(ScopedModelForm[RiskRule]):
    """#17: what ministry staff and Itjen may change of a rule; its code, what it looks at and the unit of its
    threshold belong to its SQL."""

    class Meta:
        model = RiskRule
        fields = ["label", "description", "threshold", "weight", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.instance.get_threshold_unit_display() if self.instance.threshold_unit else ""
        self.fields["threshold"].help_text = unit or _("This rule takes no threshold.")

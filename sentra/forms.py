from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dakportal.forms import ScopedModelForm, records_field, style_fields
from dakportal.regions.models import Village
from dakportal.widgets import DateInput
from sentra.choices import DocumentKind, SentraStatus
from sentra.models import Facility, IKMUnit, Sentra


class VillageSelect(forms.Select):
    """Renders only the desa/kelurahan of the chosen kab/kota (grouped by kecamatan); `sentra/sentra-form.js`
    reloads them when the kab/kota changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regency_code: str | None = None

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        villages = Village.objects.none()
        if self.regency_code:
            villages = Village.objects.filter(district__regency_id=self.regency_code, active=True).select_related(
                "district"
            )
        groups: dict[str, list[tuple[str, str]]] = {}
        for village in villages.order_by("district__name", "name"):
            groups.setdefault(village.district.name, []).append((village.code, village.name))
        self.choices = [("", "---------")] + [(district, options) for district, options in groups.items()]
        return super().optgroups(name, value, attrs)


class SentraForm(ScopedModelForm[Sentra]):
    reason = forms.CharField(
        label=_("Reason for a status change"),
        required=False,
        widget=forms.TextInput(),
        help_text=_("Required when you change the operating status."),
    )

    class Meta:
        model = Sentra
        fields = [
            "name",
            "regency",
            "village",
            "address",
            "latitude",
            "longitude",
            "commodity_group",
            "kbli",
            "products",
            "unit_count",
            "workers",
            "production_capacity",
            "capacity_unit",
            "production_value",
            "investment_value",
            "sk_number",
            "sk_date",
            "sk_issuer",
            "land_status",
            "land_certificate",
            "land_area",
            "building_permit",
            "environmental_document",
            "ded_available",
            "management_body",
            "management_name",
            "management_sk",
            "asset_owner",
            "status",
            "reason",
        ]
        widgets = {"village": VillageSelect, "sk_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_regencies = self.scope.regencies()
        records_field(self, "village").queryset = Village.objects.filter(district__regency__in=scope_regencies)
        regency = self.data.get("regency") or self.initial.get("regency") or self.instance.regency_id
        if not regency and scope_regencies.count() == 1:
            regency = scope_regencies.get().code
            self.initial["regency"] = regency
        self.fields["village"].widget.regency_code = str(regency) if regency else None
        self.fields["village"].widget.attrs["data-villages-url"] = "/regions/villages/"
        self.fields["regency"].widget.attrs["data-role"] = "regency"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and "status" in self.changed_data and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the status changes."))
        return cleaned


class IKMUnitForm(ScopedModelForm[IKMUnit]):
    class Meta:
        model = IKMUnit
        fields = [
            "sentra",
            "nib",
            "business_name",
            "owner_name",
            "owner_nik",
            "contact",
            "legal_form",
            "kbli",
            "products",
            "workers_male",
            "workers_female",
            "investment_value",
            "halal_certified",
            "sni_certified",
            "trademark_registered",
            "year_joined",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records_field(self, "sentra").queryset = Sentra.objects.for_user(self.user, "change").select_related("regency")


class FacilityForm(ScopedModelForm[Facility]):
    class Meta:
        model = Facility
        fields = ["sentra", "kind", "description", "quantity", "unit", "condition", "year_built"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records_field(self, "sentra").queryset = Sentra.objects.for_user(self.user, "change")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (JPEG, PNG or PDF)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SentraStatus.choices)
    effective_date = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

"""The Sentra IKM registry (#3).

A sentra is a cluster of small industry units (IKM) at one location making similar products (PP 29/2018: at
least 5 units). The DAK builds or revitalises it; monev checks that it operates. The seed article names its
three weaknesses, which the completeness profile makes visible: facilities (sarana dan prasarana), legality
(legalitas) and institution (kelembagaan); see `querysets.CHECKLIST`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower, Upper
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dakportal.models import BaseModel, MoneyField
from dakportal.validators import LATITUDE_RANGE, LONGITUDE_RANGE, validate_kbli, validate_nib, validate_nik
from sentra.choices import (
    CommodityGroup,
    DocumentKind,
    EnvironmentalDocument,
    FacilityCondition,
    FacilityKind,
    LandStatus,
    LegalForm,
    ManagementBody,
    SentraStatus,
    SizeClass,
)
from sentra.querysets import SentraQuerySet

MINIMUM_MEMBERS = 5  # PP 29/2018: a sentra has at least 5 business units


class Sentra(BaseModel):
    """A Sentra IKM in one desa/kelurahan. Its kab/kota is the desa's, kept here for scoping and reports."""

    name = models.CharField(_("name"), max_length=200)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="sentra", verbose_name=_("kab/kota")
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, related_name="sentra", verbose_name=_("desa/kelurahan")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    commodity_group = models.CharField(_("commodity group"), max_length=20, choices=CommodityGroup)
    kbli = models.CharField(_("KBLI"), max_length=5, validators=[validate_kbli], help_text=_("5 digits"))
    products = models.CharField(_("main products"), max_length=300, blank=True)
    unit_count = models.PositiveIntegerField(
        _("number of member units"), help_text=_("PP 29/2018 requires at least 5; fewer is allowed but flagged.")
    )
    workers = models.PositiveIntegerField(_("workers"), default=0)
    production_capacity = models.DecimalField(
        _("production capacity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True, help_text=_("e.g. kg/month"))
    production_value = MoneyField(_("production value per year (Rp)"), default=0)
    investment_value = MoneyField(_("investment value (Rp)"), default=0)
    # Legality
    sk_number = models.CharField(_("SK penetapan number"), max_length=100, blank=True)
    sk_date = models.DateField(_("SK penetapan date"), null=True, blank=True)
    sk_issuer = models.CharField(_("SK issued by"), max_length=150, blank=True)
    land_status = models.CharField(_("land status"), max_length=20, choices=LandStatus, default=LandStatus.UNCLEAR)
    land_certificate = models.CharField(_("land certificate number"), max_length=100, blank=True)
    land_area = models.DecimalField(_("land area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    building_permit = models.CharField(_("building permit (PBG/IMB)"), max_length=100, blank=True)
    environmental_document = models.CharField(
        _("environmental document"), max_length=10, choices=EnvironmentalDocument, default=EnvironmentalDocument.NONE
    )
    ded_available = models.BooleanField(_("DED available"), default=False)
    # Institution
    management_body = models.CharField(
        _("management body"), max_length=10, choices=ManagementBody, default=ManagementBody.NONE
    )
    management_name = models.CharField(_("management body name"), max_length=200, blank=True)
    management_sk = models.CharField(_("management SK number"), max_length=100, blank=True)
    asset_owner = models.CharField(_("asset owner"), max_length=200, blank=True)
    # Operation
    status = models.CharField(_("operating status"), max_length=15, choices=SentraStatus, default=SentraStatus.PLANNED)
    status_since = models.DateField(_("status since"), default=timezone.localdate)

    objects = SentraQuerySet.as_manager()  # type: ignore[misc]  # a subclass of BaseModel's scoped manager

    class Meta:
        ordering = ["regency", "name"]
        verbose_name = _("sentra")
        verbose_name_plural = _("sentra")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "village",
                name="sentra_unique_name_per_village",
                violation_error_message=_("A sentra with this name already exists in this desa/kelurahan."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="sentra_latitude_in_indonesia",
                violation_error_message=_("The latitude is outside Indonesia (between -11.5 and 6.5)."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="sentra_longitude_in_indonesia",
                violation_error_message=_("The longitude is outside Indonesia (between 94.5 and 141.5)."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="sentra_coordinates_together",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_since"]),
            models.Index(fields=["commodity_group"]),
            # #14: the search box finds "rajut" inside a name among 20,000 sentra from an index (pg_trgm), not a scan
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="sentra_name_trgm"),  # as icontains asks
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sentra:sentra_detail", args=[self.pk])

    def clean_fields(self, exclude: Any = None) -> None:
        """The kab/kota follows the desa: a sentra cannot claim one kab/kota and sit in another."""
        if self.village_id:
            regency_code = self.village_id.rsplit(".", 2)[0]
            if self.regency_id and self.regency_id != regency_code:
                raise ValidationError({"village": _("This desa/kelurahan is not in the chosen kab/kota.")})
            self.regency_id = regency_code
        super().clean_fields(exclude=exclude)

    @property
    def below_minimum_members(self) -> bool:
        return self.unit_count < MINIMUM_MEMBERS

    def get_warnings(self) -> list[tuple[str, str]]:
        """Fewer than 5 member units is allowed but flagged (#12; PP 29/2018 asks for at least 5)."""
        if self.unit_count is not None and self.below_minimum_members:
            return [("unit_count", _("Fewer than %(minimum)d member units: PP 29/2018 asks for at least %(minimum)d.")
                     % {"minimum": MINIMUM_MEMBERS})]  # fmt: skip
        return []


class SentraStatusChange(models.Model):
    """One change of a sentra's operating status: who, when, why (#3). Written by `services.change_status`."""

    scope_exempt = "shown only through its scoped sentra"

    sentra = models.ForeignKey(Sentra, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=15, choices=SentraStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=15, choices=SentraStatus)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history_parent = "sentra"
    history_region_lookups = ("sentra__regency",)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self) -> str:
        return f"{self.sentra}: {self.from_status or '–'} → {self.to_status}"


def _size_class() -> Case:
    """Permenperin 64/2016: small = up to 19 workers and investment under Rp 1 miliar; medium = up to 19
    workers and Rp 1 miliar or more, or 20+ workers and at most Rp 15 miliar; otherwise large."""
    up_to_19_workers = LessThanOrEqual(F("workers_male") + F("workers_female"), 19)
    return Case(
        When(up_to_19_workers & Q(investment_value__lt=1_000_000_000), then=Value(SizeClass.SMALL.value)),
        When(up_to_19_workers, then=Value(SizeClass.MEDIUM.value)),
        When(investment_value__lte=15_000_000_000, then=Value(SizeClass.MEDIUM.value)),
        default=Value(SizeClass.LARGE.value),
        output_field=models.CharField(max_length=10),
    )


class IKMUnit(BaseModel):
    """A member business of a sentra (one sentra at a time). The owner's NIK is personal data (#3)."""

    sentra = models.ForeignKey(Sentra, on_delete=models.PROTECT, related_name="units", verbose_name=_("sentra"))
    nib = models.CharField(_("NIB"), max_length=13, unique=True, validators=[validate_nib], help_text=_("13 digits"))
    business_name = models.CharField(_("business name"), max_length=200)
    owner_name = models.CharField(_("owner"), max_length=150)
    owner_nik = models.CharField(_("owner's NIK"), max_length=16, blank=True, validators=[validate_nik])
    contact = models.CharField(_("contact (phone)"), max_length=30, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm, default=LegalForm.INDIVIDUAL)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True, validators=[validate_kbli])
    products = models.CharField(_("products"), max_length=300, blank=True)
    workers_male = models.PositiveIntegerField(_("male workers"), default=0)
    workers_female = models.PositiveIntegerField(_("female workers"), default=0)
    investment_value = MoneyField(_("investment value (Rp)"), default=0)
    size_class = models.GeneratedField(
        expression=_size_class(),
        output_field=models.CharField(max_length=10, choices=SizeClass),
        db_persist=True,
        verbose_name=_("size class"),
    )
    halal_certified = models.BooleanField(_("halal certificate"), default=False)
    sni_certified = models.BooleanField(_("SNI certificate"), default=False)
    trademark_registered = models.BooleanField(_("registered trademark"), default=False)
    year_joined = models.PositiveSmallIntegerField(_("year joined"), null=True, blank=True)

    region_lookup = "sentra__regency"
    history_parent = "sentra"
    personal_fields = ("owner_nik", "contact")  # masked outside the ministry and the unit's own region (#3)

    class Meta:
        ordering = ["sentra", "business_name"]
        verbose_name = _("IKM unit")
        verbose_name_plural = _("IKM units")
        indexes = [GinIndex(OpClass(Upper("business_name"), name="gin_trgm_ops"), name="sentra_ikmunit_name_trgm")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_joined__isnull=True) | Q(year_joined__gte=1945, year_joined__lte=2100),
                name="sentra_ikmunit_year_joined_sane",
                violation_error_message=_("The year joined must be a real year."),
            )
        ]

    def __str__(self) -> str:
        return self.business_name

    def get_absolute_url(self) -> str:
        return reverse("sentra:sentra_detail", args=[self.sentra_id]) + f"#unit-{self.pk}"

    @property
    def workers(self) -> int:
        return self.workers_male + self.workers_female

    def get_size_class_display(self) -> str:
        return str(SizeClass(self.size_class).label) if self.size_class else ""


class Facility(BaseModel):
    """A facility of a sentra (production building, machines, IPAL, ...), with its quantity and condition."""

    sentra = models.ForeignKey(Sentra, on_delete=models.PROTECT, related_name="facilities")
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=20, default="unit", help_text=_("e.g. unit, m², paket"))
    condition = models.CharField(
        _("condition"), max_length=15, choices=FacilityCondition, default=FacilityCondition.GOOD
    )
    year_built = models.PositiveSmallIntegerField(_("year built or bought"), null=True, blank=True)

    region_lookup = "sentra__regency"
    history_parent = "sentra"

    class Meta:
        ordering = ["sentra", "kind"]
        indexes = [models.Index(fields=["sentra", "kind"])]  # #11: the completeness checks probe it per sentra
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="sentra_facility_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{': ' + self.description if self.description else ''}"

    def get_absolute_url(self) -> str:
        return reverse("sentra:sentra_detail", args=[self.sentra_id]) + "#facilities"


def _document_path(instance: SentraDocument, filename: str) -> str:
    return filename  # the service names the file (dakportal.uploads.random_name); never the user's name


class SentraDocument(BaseModel):
    """A document or photo of a sentra (SK, certificate, DED, photo). Served only to users who may see the sentra."""

    sentra = models.ForeignKey(Sentra, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=15, choices=DocumentKind)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    region_lookup = "sentra__regency"
    history_parent = "sentra"

    class Meta:
        ordering = ["sentra", "-created"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sentra:document_download", args=[self.sentra_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

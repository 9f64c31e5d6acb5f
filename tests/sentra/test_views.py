"""Sentra pages (#3): the generated permission matrix, forms, uploads, delete."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from dakportal.testing.cases import ViewTestCases
from dakportal.testing.files import image_bytes, pdf_bytes
from sentra.models import IKMUnit, Sentra, SentraDocument
from sentra.testing import VILLAGE_A, VILLAGE_B, make_sentra, make_unit


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


class SentraData:
    model = Sentra

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.own_object = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        cls.other_object = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        for i in range(30):
            make_sentra(cls.cast.ministry_staff, name=f"Sentra Isi {i:02}", village=VILLAGE_B)


class SentraViewTestCase(SentraData, ViewTestCases.ListView, ViewTestCases.DetailView):
    url_prefix = "sentra:sentra"
    wrong_role = None  # every role reads the registry


class IKMUnitListTestCase(ViewTestCases.ListView):
    model = IKMUnit
    url_prefix = "sentra:ikmunit"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_unit(cls.cast.officer_a, make_sentra(cls.cast.officer_a), nib="9120000000001")
        sleman = make_sentra(cls.cast.officer_b, village=VILLAGE_B)
        cls.other_object = make_unit(cls.cast.officer_b, sleman, nib="9120000000002", business_name="Usaha Sleman")
        for i in range(30):
            make_unit(cls.cast.officer_b, sleman, nib=f"91200000001{i:02}")


pytestmark = pytest.mark.django_db


def sentra_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Sentra Kopi Baru", "regency": "32.73", "village": VILLAGE_A, "commodity_group": "pangan",
        "kbli": "10761", "unit_count": "7", "workers": "20", "production_value": "0", "investment_value": "150000000",
        "land_status": "pemda", "environmental_document": "none", "management_body": "none", "status": "planned",
    }  # fmt: skip
    return data | overrides


def test_an_officer_creates_a_sentra_in_their_region(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_add"), sentra_form())
    sentra = Sentra.objects.get(name="Sentra Kopi Baru")
    assert response.status_code == 302 and response["Location"] == sentra.get_absolute_url()
    assert sentra.regency_id == "32.73" and sentra.status_changes.count() == 1


def test_an_officer_cannot_create_a_sentra_in_another_region(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_add"), sentra_form(regency="34.04", village=VILLAGE_B))
    assert response.status_code == 200
    assert not Sentra.objects.exists()
    assert response.context["form"].errors


def test_the_form_shows_errors_in_indonesian_and_saves_nothing(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_add"), sentra_form(kbli="12", workers="-1"))
    html = response.content.decode()
    # #16: both messages, in Indonesian, beside their fields (an `or` here once let an English page pass)
    assert "Kode KBLI terdiri dari tepat 5 digit." in response.context["form"].errors["kbli"]
    assert "Kode KBLI terdiri dari tepat 5 digit." in html
    assert any("lebih besar dari atau sama dengan 0" in e for e in response.context["form"].errors["workers"])
    assert "lebih besar dari atau sama dengan 0" in html and "Ensure this value" not in html
    assert not Sentra.objects.exists()


def test_changing_the_status_in_the_form_needs_a_reason(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    url = reverse("sentra:sentra_edit", args=[sentra.pk])
    response = client.post(url, sentra_form(name=sentra.name, status="operating", version=sentra.version))
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(
        url, sentra_form(name=sentra.name, status="operating", reason="Mulai produksi", version=sentra.version)
    )
    assert response.status_code == 302
    assert sentra.status_changes.first().reason == "Mulai produksi"


def test_other_regions_cannot_edit_or_delete(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_b)
    assert client.get(reverse("sentra:sentra_edit", args=[sentra.pk])).status_code == 404
    assert client.post(reverse("sentra:sentra_delete", args=[sentra.pk])).status_code == 404
    client.force_login(cast.analyst)
    assert client.get(reverse("sentra:sentra_edit", args=[sentra.pk])).status_code == 403


def test_delete_asks_for_confirmation_first(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    page = client.get(reverse("sentra:sentra_delete", args=[sentra.pk]))
    assert page.status_code == 200 and Sentra.objects.filter(pk=sentra.pk).exists()
    assert client.post(reverse("sentra:sentra_delete", args=[sentra.pk])).status_code == 302
    assert not Sentra.objects.filter(pk=sentra.pk).exists()


def test_a_photo_is_uploaded_and_served_only_in_scope(client: Client, cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    upload = SimpleUploadedFile("foto depan.png", png_bytes(), content_type="image/png")
    client.post(reverse("sentra:document_add", args=[sentra.pk]), {"kind": "photo", "title": "Depan", "file": upload})
    document = SentraDocument.objects.get()
    assert document.content_type == "image/png" and "depan" not in document.file.name
    url = document.get_absolute_url()
    assert client.get(url).status_code == 200
    client.force_login(cast.officer_b)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapor.pdf", b"MZ\x90\x00 an executable", "bukan JPEG, PNG, PDF"),
        ("foto.jpg", png_bytes(), "dinamai sebagai jenis lain"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"broken", "rusak"),
        # #10: the whole file is checked, not just its first bytes
        ("foto.jpg", image_bytes() + b"<html><script>alert(1)</script></html>", "disisipi data lain"),
        ("foto.png", image_bytes("PNG")[:-40] + image_bytes("PNG")[-12:], "rusak"),
        ("scan.pdf", b"%PDF-1.4\n" + b"0" * 5000, "PDF ini rusak"),
        ("scan.pdf", pdf_bytes() + b"<html>surprise</html>", "disisipi data lain"),
    ],
)
def test_a_forged_or_damaged_file_is_refused(
    client: Client, cast: Any, settings: Any, tmp_path: Any, name: str, content: bytes, message: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("sentra:document_add", args=[sentra.pk]), {"kind": "photo", "file": upload}, follow=True
    )
    assert message in response.content.decode()
    assert not SentraDocument.objects.exists()


def test_a_real_pdf_and_photo_are_accepted(client: Client, cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    for name, content, kind in (("sk.pdf", pdf_bytes(), "sk"), ("depan.jpg", image_bytes(), "photo")):
        upload = SimpleUploadedFile(name, content)
        client.post(reverse("sentra:document_add", args=[sentra.pk]), {"kind": kind, "file": upload})
    assert SentraDocument.objects.count() == 2


def test_an_oversized_file_is_refused(client: Client, cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1000
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    response = client.post(
        reverse("sentra:document_add", args=[sentra.pk]), {"kind": "sk", "file": upload}, follow=True
    )
    assert "batasnya" in response.content.decode()
    assert not SentraDocument.objects.exists()


def test_the_detail_page_masks_the_nik_for_analysts(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    make_unit(cast.officer_a, sentra)
    client.force_login(cast.officer_a)
    assert "3273014105900001" in client.get(sentra.get_absolute_url()).content.decode()
    client.force_login(cast.analyst)
    html = client.get(sentra.get_absolute_url()).content.decode()
    assert "3273014105900001" not in html and "327301**********" in html


def test_the_list_filters_by_completeness_and_idle(client: Client, cast: Any) -> None:
    make_sentra(cast.officer_a, name="Lengkap Tidak")
    client.force_login(cast.ministry_staff)
    response = client.get(reverse("sentra:sentra_list"), {"completeness": "low", "idle": "false"})
    assert [s.name for s in response.context["object_list"]] == ["Lengkap Tidak"]
    assert client.get(reverse("sentra:sentra_list"), {"completeness": "complete"}).context["object_list"].count() == 0


def test_delete_is_refused_while_records_point_at_the_sentra(client: Client, cast: Any) -> None:
    """A monev report on the sentra (PROTECT) keeps it; the refusal names what points at it (#16: a real record,
    not a stand-in model)."""
    from monev.models import MonevReport
    from monev.testing import make_report

    sentra = make_sentra(cast.officer_a)
    make_report(cast.officer_a, sentra)
    with translation.override("id"):
        reports = str(MonevReport._meta.verbose_name_plural)
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_delete", args=[sentra.pk]), follow=True)
    assert reports in response.content.decode()
    assert Sentra.objects.filter(pk=sentra.pk).exists()
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    answer = api.delete(f"/api/v1/sentra/{sentra.pk}/")
    assert answer.status_code == 409 and reports in answer.json()["detail"]

"""#12: the registry's other datasets through the API: facilities/, documents/ (multipart upload through the page's
checks, download through the record's scope) and sentra/{id}/status-changes/."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dakportal.testing.cases import APIViewTestCases
from dakportal.testing.files import image_bytes, pdf_bytes
from sentra import services
from sentra.models import Facility, SentraDocument
from sentra.testing import VILLAGE_B, make_facility, make_sentra


class FacilityAPITestCase(APIViewTestCases.Full):
    model = Facility
    api_basename = "api:facility"
    wrong_role = None
    update_data = {"quantity": 3, "condition": "light_damage"}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.own_object = make_facility(cls.cast.officer_a, bandung, description="Gedung produksi")
        cls.other_object = make_facility(cls.cast.officer_b, sleman, description="Gudang")
        for i in range(12):
            make_facility(cls.cast.officer_b, sleman, kind="machines", description=f"Mesin {i}")
        cls.create_data = {"sentra": bandung.pk, "kind": "ipal", "quantity": 1, "unit": "unit"}
        cls.other_region_data = {"sentra": sleman.pk, "kind": "ipal", "quantity": 1, "unit": "unit"}


def document(user: Any, sentra: Any, title: str = "SK penetapan") -> SentraDocument:
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    return services.add_document(sentra, upload=upload, kind="sk", title=title, acting_user=user)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="dak-api-docs-"))
class SentraDocumentAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve, APIViewTestCases.Delete):
    model = SentraDocument
    api_basename = "api:sentradocument"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        cls.sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.own_object = document(cls.cast.officer_a, cls.bandung)
        cls.other_object = document(cls.cast.officer_b, cls.sleman)
        for i in range(5):
            document(cls.cast.officer_b, cls.sleman, title=f"Foto {i}")

    def upload(self, user: Any, sentra: Any, name: str, content: bytes, **extra: Any) -> Any:
        data = {
            "sentra": sentra.pk,
            "kind": "photo",
            "title": "Tampak depan",
            "file": SimpleUploadedFile(name, content),
        }
        return self.api(user).post(self.list_url(), data | extra, format="multipart", HTTP_ACCEPT_LANGUAGE="en")

    def test_an_officer_uploads_a_photo_and_downloads_it_through_the_api(self) -> None:
        response = self.upload(self.cast.officer_a, self.bandung, "depan.jpg", image_bytes())
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["content_type"] == "image/jpeg" and body["sentra"] == self.bandung.pk
        download = self.api(self.cast.officer_a).get(body["download"])
        assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
        assert b"".join(download.streaming_content) == image_bytes()
        assert download["X-Content-Type-Options"] == "nosniff"
        assert self.api(self.cast.officer_b).get(body["download"]).status_code == 404  # another region

    def test_the_page_checks_apply_to_an_upload(self) -> None:
        """The same checks as the page (#10): content, not name; an image with a page glued on is refused."""
        response = self.upload(self.cast.officer_a, self.bandung, "depan.jpg", b"<html>not a photo</html>")
        assert response.status_code == 400 and list(response.json()) == ["file"], response.content
        response = self.upload(self.cast.officer_a, self.bandung, "depan.jpg", image_bytes() + b"<html>")
        assert response.status_code == 400 and "appended" in response.json()["file"][0]
        response = self.upload(self.cast.officer_a, self.bandung, "depan.pdf", image_bytes())
        assert response.status_code == 400 and list(response.json()) == ["file"]
        assert not SentraDocument.objects.filter(title="Tampak depan").exists()

    def test_an_upload_to_another_region_or_by_a_reader_is_refused(self) -> None:
        response = self.upload(self.cast.officer_a, self.sleman, "depan.jpg", image_bytes())
        assert response.status_code == 400 and list(response.json()) == ["sentra"]
        assert self.upload(self.cast.analyst, self.bandung, "depan.jpg", image_bytes()).status_code == 403

    def test_the_other_regions_file_answers_404(self) -> None:
        url = f"/api/v1/documents/{self.other_object.pk}/file/"
        assert self.api(self.cast.officer_a).get(url).status_code == 404
        assert self.api(self.cast.analyst).get(url, HTTP_ACCEPT="application/json").status_code == 200


pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def test_a_sentras_status_history_is_read_and_written_in_scope(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, name="Sentra Batik")
    other = make_sentra(cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
    url = f"/api/v1/sentra/{sentra.pk}/status-changes/"
    officer = client(cast.officer_a)
    response = officer.post(url, {"status": "operating", "reason": "Mulai produksi"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "operating" and response.json()["changed_by"] == "officer_a"
    body = client(cast.analyst).get(url).json()
    assert [row["status"] for row in body["results"]] == ["operating", "planned"]  # newest first
    assert body["results"][0]["from_status"] == "planned" and body["results"][0]["reason"] == "Mulai produksi"
    assert officer.post(url, {"status": "inactive", "reason": ""}, format="json").status_code == 400
    assert officer.post(url, {"status": "nope", "reason": "x"}, format="json").status_code == 400
    assert client(cast.analyst).post(url, {"status": "inactive", "reason": "x"}, format="json").status_code == 403
    foreign = f"/api/v1/sentra/{other.pk}/status-changes/"
    assert officer.get(foreign).status_code == 404
    assert officer.post(foreign, {"status": "inactive", "reason": "x"}, format="json").status_code == 404
    csv = officer.get(url, {"format": "csv"})
    assert csv.status_code == 200 and b"Mulai produksi" in b"".join(csv.streaming_content)
    assert APIClient().get(url).status_code == 401


def test_the_status_history_runs_a_fixed_number_of_queries(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    for number in range(6):
        services.change_status(sentra, status="operating" if number % 2 else "inactive", reason=f"#{number}",
                               acting_user=cast.officer_a)  # fmt: skip
    api = client(cast.ministry_staff)
    counts = []
    for size in (2, 1000):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/sentra/{sentra.pk}/status-changes/", {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts == [3, 3], counts

"""#12: monev's other datasets through the API: monev/evidence/ (photos uploaded by multipart through the page's
content and EXIF checks), monev/reports/{id}/transitions/, and notifications/ (the user's own, mark as read)."""

from __future__ import annotations

import io
import tempfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dakportal.accounts.services import create_token
from dakportal.testing.cases import APIViewTestCases
from dakportal.testing.files import image_bytes, pdf_bytes
from monev import services
from monev.models import Evidence, Notification
from monev.testing import make_report
from sentra.testing import VILLAGE_B, make_sentra


def photo_with_exif(taken: str = "2019:01:05 10:00:00") -> bytes:
    """A JPEG whose EXIF says when it was taken (no position)."""
    from PIL import Image

    image = Image.new("RGB", (32, 24), "green")
    exif = image.getexif()
    exif[0x0132] = taken  # DateTime
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="dak-api-evidence-"))
class EvidenceAPITestCase(APIViewTestCases.List, APIViewTestCases.Retrieve):
    model = Evidence
    api_basename = "api:evidence"
    wrong_role = None  # every role reads the evidence of the reports it sees

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.report = make_report(cls.cast.officer_a, bandung)
        cls.other_report = make_report(cls.cast.officer_b, sleman)
        add = services.add_evidence
        cls.own_object = add(upload=upload("a.pdf", pdf_bytes()), title="BA", acting_user=cls.cast.officer_a,
                             report=cls.report)  # fmt: skip
        cls.other_object = add(upload=upload("b.pdf", pdf_bytes()), title="BA", acting_user=cls.cast.officer_b,
                               report=cls.other_report)  # fmt: skip
        for i in range(4):
            add(upload=upload(f"c{i}.jpg", image_bytes()), title=f"Foto {i}", acting_user=cls.cast.officer_b,
                report=cls.other_report)  # fmt: skip

    def post(self, user: Any, report: Any, name: str, content: bytes) -> Any:
        data = {"report": report.pk, "title": "Tampak depan", "file": upload(name, content)}
        return self.api(user).post(self.list_url(), data, format="multipart", HTTP_ACCEPT_LANGUAGE="en")

    def test_a_photo_is_uploaded_read_for_its_exif_and_flagged_not_refused(self) -> None:
        response = self.post(self.cast.officer_a, self.report, "depan.jpg", photo_with_exif())
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["report"] == self.report.pk and body["taken_at"].startswith("2019-01-05")
        assert body["flags"] == ["outside_period"]  # the report is for Q2 2021
        assert body["warnings"] == [{"field": "file", "message": "taken outside the period"}]
        download = self.api(self.cast.officer_a).get(body["download"])
        assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
        assert self.api(self.cast.officer_b).get(body["download"]).status_code == 404
        assert self.api(self.cast.officer_a).get(self.list_url(), {"flagged": "true"}).json()["count"] == 1

    def test_the_page_checks_apply_and_the_region_is_kept(self) -> None:
        response = self.post(self.cast.officer_a, self.report, "depan.jpg", b"GIF89a not allowed")
        assert response.status_code == 400 and list(response.json()) == ["file"]
        response = self.post(self.cast.officer_a, self.other_report, "depan.jpg", image_bytes())
        assert response.status_code == 400 and list(response.json()) == ["report"]
        assert self.post(self.cast.analyst, self.report, "depan.jpg", image_bytes()).status_code == 403
        services.submit_report(self.report, acting_user=self.cast.officer_a)
        response = self.post(self.cast.officer_a, self.report, "depan.jpg", image_bytes())
        assert response.status_code == 400  # only while the report is a draft or returned


pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def test_a_reports_steps_are_listed_in_order_in_scope(cast: Any) -> None:
    report = make_report(cast.officer_a, make_sentra(cast.officer_a))
    services.submit_report(report, acting_user=cast.officer_a)
    services.return_report(report, reason="Foto kurang", acting_user=cast.ministry_staff)
    url = f"/api/v1/monev/reports/{report.pk}/transitions/"
    rows = client(cast.officer_a).get(url).json()["results"]
    assert [(r["from_status"], r["to_status"]) for r in rows] == [("", "draft"), ("draft", "submitted"),
                                                                  ("submitted", "returned")]  # fmt: skip
    assert rows[-1]["reason"] == "Foto kurang" and rows[-1]["by"] == "ministry"
    assert client(cast.officer_b).get(url).status_code == 404
    assert client(cast.analyst).get(url).status_code == 200
    api = client(cast.ministry_staff)
    counts = []
    for size in (1, 1000):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts == [3, 3], counts


def test_notifications_are_the_users_own_and_are_marked_read(cast: Any) -> None:
    mine = Notification.objects.create(user=cast.officer_a, text="Laporan dikembalikan")
    Notification.objects.create(user=cast.officer_a, text="Temuan baru")
    theirs = Notification.objects.create(user=cast.officer_b, text="Rahasia Sleman")
    api = client(cast.officer_a)
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 2 and {row["read"] for row in body["results"]} == {False}
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True and response.json()["read_at"]
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(user=cast.officer_a, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    _token, key = create_token(cast.officer_b, name="ro", read_only=True, acting_user=cast.officer_b)
    read_only = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert read_only.get("/api/v1/notifications/").json()["count"] == 1
    assert read_only.post("/api/v1/notifications/read-all/").status_code == 403
    assert APIClient().get("/api/v1/notifications/").status_code == 401
    counts = []
    for size in (1, 1000):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/notifications/", {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts == [2, 2], counts

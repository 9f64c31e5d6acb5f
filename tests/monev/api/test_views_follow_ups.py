"""Follow-up per recommendation through the API (#13): `monev/recommendations/` and its follow-ups, with the
region matrix (own region, other region 404, roles) and every bad input as a 400 in the client's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from dakportal.testing.files import pdf_bytes
from monev.models import Evidence, FollowUp, Recommendation
from monev.testing import make_finding
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


def api(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.fixture
def recommendation(cast: Any) -> Recommendation:
    recommendation = make_finding(cast.auditor, make_sentra(cast.officer_a)).recommendations.get()
    Recommendation.objects.filter(pk=recommendation.pk).update(amount_to_recover=5_000_000)
    return Recommendation.objects.get(pk=recommendation.pk)


def url(recommendation: Recommendation) -> str:
    return f"/api/v1/monev/recommendations/{recommendation.pk}/follow-ups/"


def test_the_region_follows_up_with_an_attachment_and_itjen_verifies(cast: Any, recommendation: Any, settings: Any,
                                                                    tmp_path: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    data = {
        "reply": "Kelebihan bayar disetor ke kas daerah", "amount_deposited": 5_000_000, "deposit_to": "kas_daerah",
        "deposit_reference": "STS-77/2022", "deposit_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "attachments": [SimpleUploadedFile("bukti-setor.pdf", pdf_bytes(), content_type="application/pdf")],
    }  # fmt: skip
    response = api(cast.officer_a).post(url(recommendation), data, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount_deposited"] == 5_000_000 and len(body["evidence"]) == 1
    assert Evidence.objects.get(follow_up_id=body["id"]).content_type == "application/pdf"
    verify = f"{url(recommendation)}{body['id']}/verify/"
    done = api(cast.auditor).post(verify, {"verification": "sesuai", "version": body["version"]}, format="json")
    assert done.status_code == 200 and done.json()["verification"] == "sesuai"
    detail = api(cast.officer_a).get(f"/api/v1/monev/recommendations/{recommendation.pk}/").json()
    assert (detail["status"], detail["amount_recovered"], detail["amount_remaining"]) == ("sesuai", 5_000_000, 0)
    listed = api(cast.auditor).get("/api/v1/monev/recommendations/", {"status": "sesuai", "regency": "32.73"}).json()
    assert [row["id"] for row in listed["results"]] == [recommendation.pk]


def test_the_region_matrix(cast: Any, recommendation: Any) -> None:
    follow_up = api(cast.officer_a).post(url(recommendation), {"reply": "Sudah"}, format="json").json()
    assert api(cast.officer_a).get(url(recommendation)).status_code == 200
    assert api(cast.officer_b).get(url(recommendation)).status_code == 404  # another region: not there at all
    assert api(cast.officer_b).post(url(recommendation), {"reply": "x"}, format="json").status_code == 404
    assert api(cast.officer_b).get(f"/api/v1/monev/recommendations/{recommendation.pk}/").status_code == 404
    for reader in (cast.auditor, cast.ministry_staff, cast.analyst, cast.provincial):
        assert api(reader).get(url(recommendation)).status_code == 200, reader
        assert api(reader).post(url(recommendation), {"reply": "x"}, format="json").status_code == 403, reader
    verify = f"{url(recommendation)}{follow_up['id']}/verify/"
    for other in (cast.officer_a, cast.ministry_staff, cast.analyst):
        assert api(other).post(verify, {"verification": "sesuai", "version": 1}, format="json").status_code == 403
    assert APIClient().get(url(recommendation)).status_code == 401
    assert FollowUp.objects.count() == 1


def test_bad_input_is_a_400_with_nothing_saved(cast: Any, recommendation: Any) -> None:
    too_much = {"reply": "Setor", "amount_deposited": 6_000_000, "deposit_to": "kas_daerah",
                "deposit_reference": "STS-1", "deposit_date": timezone.localdate().isoformat()}  # fmt: skip
    response = api(cast.officer_a).post(url(recommendation), too_much, format="json")
    assert response.status_code == 400 and "amount_deposited" in response.json()
    assert "remains to recover" in str(response.json())
    assert api(cast.officer_a).post(url(recommendation), {"reply": " "}, format="json").status_code == 400
    follow_up = api(cast.officer_a).post(url(recommendation), {"reply": "Sudah"}, format="json").json()
    verify = f"{url(recommendation)}{follow_up['id']}/verify/"
    itjen = api(cast.auditor)
    no_reason = itjen.post(verify, {"verification": "belum_sesuai", "version": follow_up["version"]}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert itjen.post(verify, {"verification": "sesuai"}, format="json").status_code == 400  # no version
    stale = itjen.post(verify, {"verification": "sesuai", "version": follow_up["version"] + 5}, format="json")
    assert stale.status_code == 409
    assert not FollowUp.objects.exclude(verification="").exists()  # nothing verified by any of these


def test_the_overdue_and_year_filters(cast: Any, recommendation: Any) -> None:
    Recommendation.objects.filter(pk=recommendation.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    sleman = make_finding(cast.auditor, make_sentra(cast.officer_b, village=VILLAGE_B)).recommendations.get()
    Recommendation.objects.filter(pk=sleman.pk).update(due_date=timezone.localdate() + timedelta(days=10))
    itjen = api(cast.auditor)
    overdue = itjen.get("/api/v1/monev/recommendations/", {"overdue": "true"}).json()
    assert [row["id"] for row in overdue["results"]] == [recommendation.pk]
    year = timezone.localdate().year
    assert itjen.get("/api/v1/monev/recommendations/", {"year": year}).json()["count"] == 2
    assert itjen.get("/api/v1/monev/recommendations/", {"year": year - 3}).json()["count"] == 0

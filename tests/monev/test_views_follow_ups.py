"""Follow-up per recommendation on the pages (#13): the region follows up each recommendation of the finding's
page with an attachment, Itjen verifies each; the TLHP monitoring page, scoped to the user's region."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from dakportal.testing.files import pdf_bytes
from monev import services
from monev.models import FollowUp
from monev.testing import make_finding
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_region_follows_up_and_itjen_verifies_on_the_finding_page(cast: Any, english: Client, settings: Any,
                                                                     tmp_path: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    finding = make_finding(cast.auditor, make_sentra(cast.officer_a))
    recommendation = finding.recommendations.get()
    english.force_login(cast.officer_a)
    page = english.get(finding.get_absolute_url())
    assert page.status_code == 200 and b'data-testid="follow-up-form"' in page.content
    assert b'capture="environment"' in page.content  # the camera on a phone
    prefix = f"rec{recommendation.pk}"
    response = english.post(f"/monev/findings/{finding.pk}/follow-up/", {
        f"{prefix}-recommendation": recommendation.pk, f"{prefix}-reply": "Mesin sudah dioperasikan",
        f"{prefix}-attachments": SimpleUploadedFile("bukti.pdf", pdf_bytes(), content_type="application/pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(recommendation=recommendation)
    assert follow_up.evidence.count() == 1
    page = english.get(finding.get_absolute_url())
    assert b"Mesin sudah dioperasikan" in page.content and b'data-testid="attachment"' in page.content
    assert english.get(follow_up.evidence.get().get_absolute_url()).status_code == 200

    english.force_login(cast.auditor)
    prefix = f"fu{follow_up.pk}"
    verify = f"/monev/findings/{finding.pk}/verify/"
    english.post(verify, {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-version": follow_up.version,
                          f"{prefix}-verification": "belum_sesuai", f"{prefix}-reason": ""})  # fmt: skip
    follow_up.refresh_from_db()
    assert follow_up.verification == ""  # no reason: refused, nothing saved
    page = english.post(verify, {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-version": follow_up.version,
                                 f"{prefix}-verification": "sesuai", f"{prefix}-reason": ""}, follow=True)  # fmt: skip
    assert b"The follow-up was verified." in page.content
    finding.refresh_from_db()
    assert (finding.status, finding.follow_up_class) == ("closed", "sesuai")


def test_another_region_cannot_follow_up(cast: Any, client: Client) -> None:
    finding = make_finding(cast.auditor, make_sentra(cast.officer_a))
    recommendation = finding.recommendations.get()
    client.force_login(cast.officer_b)
    prefix = f"rec{recommendation.pk}"
    response = client.post(f"/monev/findings/{finding.pk}/follow-up/",
                           {f"{prefix}-recommendation": recommendation.pk, f"{prefix}-reply": "x"})  # fmt: skip
    assert response.status_code == 404 and not FollowUp.objects.exists()
    client.force_login(cast.ministry_staff)
    assert client.post(f"/monev/findings/{finding.pk}/follow-up/").status_code == 403


def test_the_monitoring_page_is_scoped_and_shows_every_class(cast: Any, english: Client) -> None:
    bandung = make_finding(cast.auditor, make_sentra(cast.officer_a), loss_value=0).recommendations.get()
    sleman = make_finding(cast.auditor, make_sentra(cast.officer_b, village=VILLAGE_B)).recommendations.get()
    follow_up = services.submit_follow_up(bandung, reply="Sudah", acting_user=cast.officer_a)
    services.verify_follow_up(follow_up, verification="belum_sesuai", reason="Kurang", acting_user=cast.auditor)
    url = "/reports/follow-up-monitoring/"
    assert english.get(url).status_code == 302  # to the login
    english.force_login(cast.officer_a)
    page = english.get(url)
    assert page.status_code == 200 and b"Kota Bandung" in page.content and b"Sleman" not in page.content
    rows = rows_of(cast.officer_a)
    assert [(row["label"][:12], row["belum_sesuai"], row["recommendations"]) for row in rows] == [
        ("Kota Bandung", 1, 1)
    ]
    assert [row["label"][:16] for row in rows_of(cast.officer_b)] == ["Kabupaten Sleman"]
    rows = rows_of(cast.auditor)
    assert len(rows) == 2 and sum(row["belum_ditindaklanjuti"] for row in rows) == 1
    assert len(rows_of(cast.auditor, group_by="province")) == 2
    assert rows_of(cast.auditor, year=2001) == []
    assert sleman.pk
    assert b"Follow-up monitoring (TLHP)" in english.get("/reports/").content


def rows_of(user: Any, **params: Any) -> list[dict[str, Any]]:
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/v1/reports/follow-up-monitoring/", params).json()["rows"]  # type: ignore[no-any-return]

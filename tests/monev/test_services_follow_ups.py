"""Follow-up per recommendation (#13, Peraturan BPK 2/2017): each recommendation followed up on its own, with
attachments and money deposited; Itjen's verification into the four classes; a finding closing when all its
recommendations are settled; and every bad input refused with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from dakportal.services import Conflict
from dakportal.testing.files import pdf_bytes
from monev import services
from monev.models import Evidence, Finding, FollowUp, Recommendation
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def finding_with(user: Any, sentra: Any, *amounts: int) -> Finding:
    """A finding (not from a visit report) with one recommendation per amount to recover."""
    finding = Finding(sentra=sentra, title="Kelebihan pembayaran", category="volume_shortfall", condition="Kurang")
    recommendations = [
        Recommendation(text=f"Rekomendasi {n}", responsible_official="PPK", amount_to_recover=amount)
        for n, amount in enumerate(amounts, start=1)
    ]
    return services.record_finding(finding, acting_user=user, recommendations=recommendations)


def deposit(amount: int) -> dict[str, Any]:
    return {"amount_deposited": amount, "deposit_to": "kas_daerah", "deposit_reference": "STS-001/2022",
            "deposit_date": timezone.localdate() - timedelta(days=1)}  # fmt: skip


@pytest.fixture
def two(cast: Any) -> tuple[Finding, Recommendation, Recommendation]:
    finding = finding_with(cast.auditor, make_sentra(cast.officer_a), 10_000_000, 0)
    first, second = finding.recommendations.order_by("id")
    return finding, first, second


def test_each_recommendation_is_followed_up_and_verified_on_its_own(cast: Any, two: Any, settings: Any,
                                                                     tmp_path: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    finding, first, second = two
    attachment = SimpleUploadedFile("bukti-setor.pdf", pdf_bytes())
    follow_up = services.submit_follow_up(first, reply="Sudah disetor sebagian", acting_user=cast.officer_a,
                                          attachments=[attachment], **deposit(4_000_000))  # fmt: skip
    assert Evidence.objects.get(follow_up=follow_up).content_type == "application/pdf"
    assert Recommendation.objects.with_amounts().get(pk=first.pk).amount_recovered == 0  # not verified yet
    services.verify_follow_up(follow_up, verification="belum_sesuai", reason="Sisa belum disetor",
                              acting_user=cast.auditor, version=follow_up.version)  # fmt: skip
    first = Recommendation.objects.with_amounts().get(pk=first.pk)
    assert (first.status, first.amount_recovered, first.amount_remaining) == ("belum_sesuai", 4_000_000, 6_000_000)
    assert Recommendation.objects.get(pk=second.pk).status == "belum_ditindaklanjuti"
    finding.refresh_from_db()
    assert (finding.status, finding.follow_up_class) == ("open", "belum_sesuai")

    rest = services.submit_follow_up(first, reply="Sisa disetor", acting_user=cast.officer_a, **deposit(6_000_000))
    services.verify_follow_up(rest, verification="sesuai", reason="", acting_user=cast.auditor)
    other = services.submit_follow_up(second, reply="Tidak dapat: penyedia pailit", acting_user=cast.officer_a)
    services.verify_follow_up(other, verification="tidak_dapat", reason="Penyedia pailit", acting_user=cast.auditor)
    finding.refresh_from_db()
    assert (finding.status, finding.follow_up_class) == ("closed", "tidak_dapat") and finding.closed_at
    amounts = Recommendation.objects.with_amounts().get(pk=first.pk)
    assert (amounts.amount_recovered, amounts.amount_remaining) == (10_000_000, 0)


def test_the_finding_class_follows_from_its_recommendations() -> None:
    assert services.finding_class([]) == "belum_ditindaklanjuti"
    assert services.finding_class(["belum_ditindaklanjuti", "belum_ditindaklanjuti"]) == "belum_ditindaklanjuti"
    assert services.finding_class(["sesuai", "belum_ditindaklanjuti"]) == "belum_sesuai"
    assert services.finding_class(["sesuai", "sesuai"]) == "sesuai"
    assert services.finding_class(["sesuai", "tidak_dapat"]) == "tidak_dapat"


def test_a_settled_recommendation_takes_no_more_follow_up(cast: Any, two: Any) -> None:
    _finding, first, _second = two
    follow_up = services.submit_follow_up(first, reply="Sudah", acting_user=cast.officer_a, **deposit(10_000_000))
    services.verify_follow_up(follow_up, verification="sesuai", reason="", acting_user=cast.auditor)
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        services.submit_follow_up(first, reply="Lagi", acting_user=cast.officer_a)
    assert "sesuai" in " ".join(caught.value.messages)
    assert FollowUp.objects.filter(recommendation=first).count() == 1


@pytest.mark.parametrize("verification", ["belum_sesuai", "tidak_dapat"])
def test_these_classes_need_a_reason(cast: Any, two: Any, verification: str) -> None:
    _finding, first, _second = two
    follow_up = services.submit_follow_up(first, reply="Sudah", acting_user=cast.officer_a)
    with pytest.raises(ValidationError) as caught:
        services.verify_follow_up(follow_up, verification=verification, reason="  ", acting_user=cast.auditor)
    assert "reason" in caught.value.message_dict
    follow_up.refresh_from_db()
    assert follow_up.verification == "" and Recommendation.objects.get(pk=first.pk).status == "belum_ditindaklanjuti"


def test_a_deposit_above_what_remains_to_recover_is_refused(cast: Any, two: Any) -> None:
    _finding, first, second = two
    services.submit_follow_up(first, reply="Sebagian", acting_user=cast.officer_a, **deposit(7_000_000))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.submit_follow_up(first, reply="Lagi", acting_user=cast.officer_a, **deposit(3_000_001))
    assert "Rp 3.000.000" in " ".join(caught.value.message_dict["amount_deposited"])  # what remains
    with pytest.raises(ValidationError) as caught:
        services.submit_follow_up(second, reply="Setor", acting_user=cast.officer_a, **deposit(1_000))
    assert "amount_deposited" in caught.value.message_dict  # nothing to recover there
    assert FollowUp.objects.count() == 1


def test_a_deposit_needs_its_proof_and_date(cast: Any, two: Any) -> None:
    _finding, first, _second = two
    with pytest.raises(ValidationError) as caught:
        services.submit_follow_up(first, reply="Setor", acting_user=cast.officer_a, amount_deposited=1_000_000)
    assert {"deposit_date", "deposit_reference", "deposit_to"} <= set(caught.value.message_dict)
    assert not FollowUp.objects.exists()


def test_only_the_officers_of_the_kab_kota_follow_up(cast: Any, two: Any) -> None:
    _finding, first, _second = two
    for outsider in (cast.officer_b, cast.auditor, cast.ministry_staff, cast.provincial):
        with pytest.raises(PermissionDenied):
            services.submit_follow_up(first, reply="Dari luar", acting_user=outsider)
    assert not FollowUp.objects.exists()


def test_only_itjen_verifies(cast: Any, two: Any) -> None:
    _finding, first, _second = two
    follow_up = services.submit_follow_up(first, reply="Sudah", acting_user=cast.officer_a)
    with pytest.raises(PermissionDenied):
        services.verify_follow_up(follow_up, verification="sesuai", reason="", acting_user=cast.officer_a)


def test_a_verification_on_a_stale_version_is_a_conflict(cast: Any, two: Any) -> None:
    _finding, first, _second = two
    follow_up = services.submit_follow_up(first, reply="Sudah", acting_user=cast.officer_a)
    with pytest.raises(Conflict):
        services.verify_follow_up(follow_up, verification="sesuai", reason="", acting_user=cast.auditor,
                                  version=follow_up.version + 1)  # fmt: skip
    services.verify_follow_up(follow_up, verification="sesuai", reason="", acting_user=cast.auditor,
                              version=follow_up.version)  # fmt: skip
    with pytest.raises(ValidationError):  # verified once
        services.verify_follow_up(follow_up, verification="belum_sesuai", reason="x", acting_user=cast.auditor)


def test_open_overdue_and_amounts_for_the_dashboard(cast: Any, two: Any) -> None:
    _finding, first, second = two
    Recommendation.objects.filter(pk=first.pk).update(due_date=date(2022, 1, 31))
    Recommendation.objects.filter(pk=second.pk).update(due_date=date(2022, 3, 31))
    assert set(Recommendation.objects.open().values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(Recommendation.objects.overdue(date(2022, 2, 15)).values_list("pk", flat=True)) == [first.pk]
    follow_up = services.submit_follow_up(second, reply="Sudah", acting_user=cast.officer_a)
    services.verify_follow_up(follow_up, verification="sesuai", reason="", acting_user=cast.auditor)
    assert list(Recommendation.objects.open().values_list("pk", flat=True)) == [first.pk]
    totals = {r.pk: (r.amount_to_recover, r.amount_recovered) for r in Recommendation.objects.with_amounts()}
    assert totals == {first.pk: (10_000_000, 0), second.pk: (0, 0)}


def test_a_finding_needs_a_recommendation(cast: Any) -> None:
    with pytest.raises(ValidationError):
        finding_with(cast.auditor, make_sentra(cast.officer_a))
    assert not Finding.objects.exists()

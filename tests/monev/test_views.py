"""Monev pages (#5): the generated permission matrix, the review queue, the findings register filters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dakportal.testing.cases import ViewTestCases
from monev import services
from monev.models import Finding, MonevReport
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra


class MonevReportViewTestCase(ViewTestCases.ListView, ViewTestCases.DetailView):
    model = MonevReport
    url_prefix = "monev:report"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_report(cls.cast.officer_a, make_sentra(cls.cast.officer_a, name="Sentra Bandung"))
        sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.other_object = make_report(cls.cast.officer_b, sleman)
        for quarter in (1, 3, 4):
            make_report(cls.cast.officer_b, sleman, quarter=quarter)

    def csv_marker(self, obj: Any) -> str:
        return str(obj.sentra.name)


class FindingViewTestCase(ViewTestCases.ListView, ViewTestCases.DetailView):
    model = Finding
    url_prefix = "monev:finding"
    wrong_role = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_finding(cls.cast.auditor, make_sentra(cls.cast.officer_a), title="Temuan Bandung")
        sleman = make_sentra(cls.cast.officer_b, village=VILLAGE_B)
        cls.other_object = make_finding(cls.cast.auditor, sleman, title="Temuan Sleman")
        for i in range(5):
            make_finding(cls.cast.auditor, sleman, title=f"Temuan {i}")


pytestmark = pytest.mark.django_db


def test_the_ministry_accepts_many_reports_at_once(client: Client, cast: Any) -> None:
    reports = [make_report(cast.officer_a, make_sentra(cast.officer_a, name=f"S{i}")) for i in range(3)]
    for report in reports:
        services.submit_report(report, acting_user=cast.officer_a)
    client.force_login(cast.ministry_staff)
    assert len(client.get(reverse("monev:review_queue")).context["object_list"]) == 3
    client.post(reverse("monev:review_queue"), {"report": [r.pk for r in reports[:2]]})
    assert sorted(MonevReport.objects.values_list("status", flat=True)) == ["accepted", "accepted", "submitted"]


def test_bulk_acceptance_is_all_or_nothing(client: Client, cast: Any) -> None:
    submitted = make_report(cast.officer_a, make_sentra(cast.officer_a, name="A"))
    services.submit_report(submitted, acting_user=cast.officer_a)
    draft = make_report(cast.officer_a, make_sentra(cast.officer_a, name="B"))
    client.force_login(cast.ministry_staff)
    client.post(reverse("monev:review_queue"), {"report": [submitted.pk, draft.pk]})
    assert MonevReport.objects.get(pk=submitted.pk).status == "submitted"


def test_only_the_ministry_reviews(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    assert client.get(reverse("monev:review_queue")).status_code == 403
    report = make_report(cast.officer_a, make_sentra(cast.officer_a))
    services.submit_report(report, acting_user=cast.officer_a)
    assert client.post(reverse("monev:report_action", args=[report.pk, "accept"])).status_code == 403


def test_the_findings_register_filters_by_status_and_age(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    overdue = make_finding(cast.auditor, sentra, title="Lewat", due_date=timezone.localdate() - timedelta(days=3))
    make_finding(cast.auditor, sentra, title="Baru")
    client.force_login(cast.auditor)
    listed = client.get(reverse("monev:finding_list"), {"overdue": "true"}).context["object_list"]
    assert list(listed) == [overdue]
    assert client.get(reverse("monev:finding_list"), {"older_than_days": 30}).context["object_list"].count() == 0


def test_the_inbox_shows_what_is_returned_and_overdue(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    returned = make_report(cast.officer_a, sentra, quarter=1)
    services.submit_report(returned, acting_user=cast.officer_a)
    services.return_report(returned, reason="Kurang foto", acting_user=cast.ministry_staff)
    make_report(cast.officer_a, sentra, quarter=2, deadline=timezone.localdate() - timedelta(days=2))
    client.force_login(cast.officer_a)
    context = client.get(reverse("monev:inbox")).context
    assert list(context["returned"]) == [MonevReport.objects.get(pk=returned.pk)]
    assert context["overdue"].count() == 2


def test_the_inbox_lists_are_bounded_with_their_count_and_a_link_to_all(
    client: Client, cast: Any, monkeypatch: Any
) -> None:
    """#11: at national scale each list shows its first rows, the number of all, and a link to the full list."""
    from monev import views

    monkeypatch.setattr(views, "INBOX_ROWS", 2)
    for quarter in (1, 2, 3):
        make_report(cast.officer_a, make_sentra(cast.officer_a, name=f"Sentra {quarter}"), quarter=quarter,
                    deadline=timezone.localdate() + timedelta(days=quarter))  # fmt: skip
    client.force_login(cast.officer_a)
    response = client.get(reverse("monev:inbox"))
    assert len(response.context["due"]) == 2 and response.context["counts"]["due"] == 3
    assert b'data-testid="more-due"' in response.content and b"?status=draft" in response.content


def test_the_monev_figures_are_computed_and_scoped(client: Client, cast: Any) -> None:
    bandung = make_sentra(cast.officer_a, status="operating")
    report = make_report(cast.officer_a, bandung, deadline=timezone.localdate() + timedelta(days=5))
    services.submit_report(report, acting_user=cast.officer_a)
    make_report(cast.officer_b, make_sentra(cast.officer_b, village=VILLAGE_B, status="operating"))
    make_finding(cast.auditor, bandung)
    client.force_login(cast.officer_a)
    context = client.get(reverse("monev:dashboard")).context
    rows = [
        (r["regency"], r["reports"], r["submitted"], r["on_time"], r["expected"], r["completeness"])
        for r in context["timeliness"]
    ]
    assert rows == [("32.73", 1, 1, 1, 1, Decimal("100.00"))]  # #16: completeness in SQL, by the `percent` rule
    assert context["closure"] == {"total": 1, "closed": 0, "closure_rate": Decimal("0.00"), "overdue": 0}
    client.force_login(cast.ministry_staff)
    assert len(client.get(reverse("monev:dashboard")).context["timeliness"]) == 2


def test_the_monev_summary_filters_pages_and_heads_each_quarter(client: Client, cast: Any, monkeypatch: Any) -> None:
    """#14: filters (year, quarter, province, kab/kota, status), a headline per quarter whose numbers lead to the
    report list showing as many, and a page of kab/kota at a time instead of one long table."""
    from monev import views

    monkeypatch.setattr(views, "SUMMARY_ROWS", 1)
    bandung = make_sentra(cast.officer_a, status="operating")
    late = make_report(cast.officer_a, bandung, quarter=1, deadline=timezone.localdate() - timedelta(days=5))
    on_time = make_report(cast.officer_a, bandung, quarter=2, deadline=timezone.localdate() + timedelta(days=5))
    services.submit_report(on_time, acting_user=cast.officer_a)
    services.accept_report(on_time, acting_user=cast.ministry_staff)
    make_report(cast.officer_b, make_sentra(cast.officer_b, village=VILLAGE_B, status="operating"), quarter=2)
    client.force_login(cast.ministry_staff)
    page = client.get(reverse("monev:dashboard"))
    quarters = [(q["year"], q["quarter"], q["due"], q["submitted"], q["accepted"], q["late"])
                for q in page.context["quarters"]]  # fmt: skip
    assert quarters == [(2021, 2, 2, 1, 1, 1), (2021, 1, 1, 0, 0, 1)]  # Sleman's TW 2 draft is late too
    assert page.context["page_obj"].paginator.count == 3 and len(page.context["timeliness"]) == 1
    assert b'data-testid="pages"' in page.content
    for q in page.context["quarters"]:
        for key, url in (("due", "url"), ("submitted", "submitted_url"), ("accepted", "accepted_url"),
                         ("late", "late_url")):  # fmt: skip
            assert client.get(q[url]).context["paginator"].count == q[key], (key, q[url])
    filtered = client.get(reverse("monev:dashboard"), {"regency": "32.73", "quarter": "1", "status": "draft"})
    assert [(r["regency"], r["quarter"], r["late"]) for r in filtered.context["timeliness"]] == [("32.73", 1, 1)]
    assert [late.pk] == [r.pk for r in client.get(filtered.context["quarters"][0]["url"]).context["object_list"]]


def test_the_bell_counts_the_unread_and_the_list_marks_them_read(client: Client, cast: Any) -> None:
    """#14: a notification shows in the bell and the inbox before it is marked read."""
    from monev.models import Notification

    Notification.objects.create(user=cast.officer_a, text="Laporan dikembalikan", url="/monev/")
    client.force_login(cast.officer_a)
    page = client.get(reverse("sentra:sentra_list"))
    assert page.context["unread_notifications"] == 1 and b'data-testid="bell-count"' in page.content
    inbox = client.get(reverse("monev:inbox"))
    assert [n.text for n in inbox.context["notifications"]] == ["Laporan dikembalikan"]  # shown, then marked read
    assert b"Laporan dikembalikan" in inbox.content
    Notification.objects.create(user=cast.officer_a, text="Temuan baru")
    listed = client.get(reverse("monev:notification_list"))
    assert [n.text for n in listed.context["notifications"]] == ["Temuan baru", "Laporan dikembalikan"]
    client.post(reverse("monev:notification_list"))
    assert not Notification.objects.filter(user=cast.officer_a, read_at__isnull=True).exists()


def test_photos_are_attached_when_the_report_is_first_saved(
    client: Client, cast: Any, settings: Any, tmp_path: Any
) -> None:
    """#14: the field officer attaches photos in the same save; a rejected one is named beside its field and
    nothing at all is saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dakportal.testing.files import image_bytes

    settings.MEDIA_ROOT = tmp_path
    sentra = make_sentra(cast.officer_a, status="built")
    client.force_login(cast.officer_a)
    data = {"sentra": sentra.pk, "period_kind": "quarter", "year": 2021, "quarter": 2, "operating_score": "sesuai"}
    fake = SimpleUploadedFile("mesin.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(reverse("monev:report_add"), data | {"photos": [fake]})
    assert response.status_code == 200
    assert "mesin.jpg" in " ".join(response.context["form"].errors["photos"])
    assert not MonevReport.objects.exists()

    photos = [SimpleUploadedFile(f"foto-{n}.jpg", image_bytes(), content_type="image/jpeg") for n in (1, 2)]
    response = client.post(reverse("monev:report_add"), data | {"photos": photos})
    report = MonevReport.objects.get()
    assert response.status_code == 302 and report.evidence.count() == 2 and report.has_photo


def test_a_return_without_a_reason_is_named_beside_the_field(client: Client, cast: Any) -> None:
    """#14: the review form comes back with its error on the reason field, status 400, nothing changed."""
    report = make_report(cast.officer_a, make_sentra(cast.officer_a, status="built"))
    services.submit_report(report, acting_user=cast.officer_a)
    client.force_login(cast.ministry_staff)
    url = reverse("monev:report_action", args=[report.pk, "return"])
    response = client.post(url, {"reason": " ", "version": report.version + 1})
    assert response.status_code == 400
    assert response.context["reason_form"].errors["reason"]
    assert b'data-testid="reason-error"' in response.content
    assert MonevReport.objects.get(pk=report.pk).status == "submitted"


def test_an_unknown_workflow_action_is_404_on_every_record(client: Client, cast: Any) -> None:
    """#16: one action table per workflow: a name not in it is 404, whatever the user or the form sent."""
    from allocations.testing import make_allocation

    sentra = make_sentra(cast.officer_a)
    report = make_report(cast.officer_a, sentra)
    finding = make_finding(cast.auditor, sentra)
    allocation = make_allocation(cast.ministry_staff)
    client.force_login(cast.ministry_staff)
    for name, pk in (
        ("allocations:plan_action", allocation.pk),
        ("monev:report_action", report.pk),
        ("monev:finding_action", finding.pk),
        ("monev:visit_action", 999_999),
        ("monev:correction_decision", 999_999),
    ):
        kwarg = "decision" if name == "monev:correction_decision" else "action"
        url = reverse(name, kwargs={"pk": pk, kwarg: "typo"})
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    client.force_login(cast.officer_a)
    assert client.post(reverse("monev:report_action", args=[report.pk, "submit"])).status_code == 302
    assert MonevReport.objects.get(pk=report.pk).status == "submitted"

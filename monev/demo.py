"""Demo monev data (#5): reports in every state for the sentra of Kota Bandung, Kab. Sleman and others, and Itjen
findings in all four follow-up classes, created through the services the app uses. Loaded once."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dakportal.accounts.models import User
from monev import services
from monev.choices import FindingCategory, FollowUpClass
from monev.models import Finding, MonevReport, Recommendation
from sentra.models import Sentra

SEED = 2021
TITLES = {
    "volume_shortfall": "Kekurangan volume bangunan produksi",
    "late_penalty": "Denda keterlambatan belum dipungut",
    "asset_unused": "Mesin bantuan belum dimanfaatkan",
    "administration": "SK pengelola belum ditetapkan",
    "other": "Papan identitas sentra belum dipasang",
}
NOTES = {
    "operating": ["Produksi berjalan setiap hari", "Produksi musiman", "Sebagian mesin belum dipakai"],
    "compliance": ["Sesuai DED dan kontrak", "Volume bangunan kurang 5 m²", "BAST belum lengkap"],
    "sustainability": ["Koperasi mengelola jadwal pemakaian", "Belum ada SK pengelola", "Anggota aktif berkurang"],
}


def load(ministry: Any) -> int:
    if MonevReport.objects.exists():
        return 0
    rng = random.Random(SEED)
    auditor = User.objects.get(username="itjen")
    created = 0
    with transaction.atomic():
        sentra = list(
            Sentra.objects.filter(status__in=["operating", "built", "inactive"])
            .select_related("regency")
            .order_by("regency", "pk")
        )
        chosen = [s for s in sentra if s.regency_id in ("32.73", "34.04")] + rng.sample(sentra, min(40, len(sentra)))
        outcomes = ["draft", "submitted", "returned", "resubmitted", "accepted", "accepted", "accepted"]
        for index, place in enumerate(dict.fromkeys(chosen)):
            officer = User.objects.filter(role="regional", regencies=place.regency).first() or ministry
            for quarter in (1, 2):
                report = MonevReport(sentra=place, year=2021, quarter=quarter, **_scores(rng, place))
                report.output = f"{rng.randint(50, 900)} kg/bulan"
                report = services.create_report(report, acting_user=officer)
                report.allocations.set(place.regency.allocations.filter(year=2021))
                _advance(report, outcomes[(index + quarter) % len(outcomes)], officer, ministry)
                created += 1
            if index % 3 == 0:
                _finding(rng, place, report, auditor, officer, index)
    return created


def _scores(rng: random.Random, place: Sentra) -> dict[str, Any]:
    good = place.status == "operating"
    pick = (
        (lambda: rng.choice(["sesuai", "sesuai", "sebagian"])) if good else (lambda: rng.choice(["sebagian", "tidak"]))
    )  # noqa: E731
    return {
        "operating_score": pick(), "operating_note": rng.choice(NOTES["operating"]),
        "compliance_score": pick(), "compliance_note": rng.choice(NOTES["compliance"]),
        "sustainability_score": pick(), "sustainability_note": rng.choice(NOTES["sustainability"]),
        "active_units": max(place.unit_count - rng.randint(0, 3), 0), "workers": place.workers,
    }  # fmt: skip


def _advance(report: MonevReport, outcome: str, officer: Any, ministry: Any) -> None:
    if outcome == "draft":
        return
    services.submit_report(report, acting_user=officer)
    if outcome == "submitted":
        return
    services.return_report(
        report, reason="Lengkapi foto kegiatan produksi dan daftar hadir anggota", acting_user=ministry
    )
    if outcome == "returned":
        return
    services.submit_report(report, acting_user=officer)
    if outcome == "accepted":
        services.accept_report(report, acting_user=ministry)


def _finding(rng: random.Random, place: Sentra, report: MonevReport, auditor: Any, officer: Any, index: int) -> None:
    category = list(FindingCategory)[index % len(FindingCategory)]
    finding = Finding(
        sentra=place, report=report, allocation=place.regency.allocations.filter(year=2021).first(),
        title=TITLES[category],
        category=category, condition="Hasil pemeriksaan fisik tim Itjen", criteria="Juknis DAK Fisik dan kontrak",
        cause="Pengawasan pelaksanaan kurang", effect="Manfaat sentra belum optimal",
        loss_value=rng.choice([0, 0, 12_500_000, 48_000_000, 150_000_000]),
        due_date=timezone.localdate() + timedelta(days=rng.choice([-20, 10, 45])),
    )  # fmt: skip
    recommendation = Recommendation(
        text="Tindak lanjuti sesuai ketentuan dan laporkan buktinya",
        responsible_official="Kepala Dinas",
        due_date=finding.due_date,
    )
    finding = services.record_finding(finding, acting_user=auditor, recommendations=[recommendation])
    outcome = list(FollowUpClass)[(index // 3) % 4]
    if outcome == FollowUpClass.BELUM_DITINDAKLANJUTI:
        return
    follow_up = services.submit_follow_up(finding, reply="Telah ditindaklanjuti; bukti terlampir.", acting_user=officer)
    reason = (
        ""
        if outcome == FollowUpClass.SESUAI
        else "Bukti belum memadai"
        if outcome == FollowUpClass.BELUM_SESUAI
        else "Penyedia pailit"
    )
    services.verify_follow_up(follow_up, verification=outcome, reason=reason, acting_user=auditor)
    if outcome in (FollowUpClass.SESUAI, FollowUpClass.TIDAK_DAPAT) and index % 2 == 0:
        services.close_finding(finding, acting_user=auditor)

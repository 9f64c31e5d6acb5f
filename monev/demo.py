"""Demo monev data (#5): reports in every state for the sentra of Kota Bandung, Kab. Sleman and others, and Itjen
findings whose recommendations are followed up into all four classes, with money recovered (#13); Itjen's surat
tugas and field visit reports in every state (#13), an issued one for Kota Bandung with its findings and
recommendations, followed up by the region. Created through the services the app uses; each part
loaded once."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dakportal.accounts.models import User
from monev import services
from monev.choices import CheckResult, FindingCategory, FollowUpClass
from monev.models import Finding, MonevReport, Recommendation
from sentra.choices import SentraStatus
from sentra.models import Sentra

SEED = 2021
TITLES = {
    "volume_shortfall": "Kekurangan volume bangunan produksi",
    "late_penalty": "Denda keterlambatan belum dipungut",
    "asset_unused": "Mesin bantuan belum dimanfaatkan",
    "administration": "SK pengelola belum ditetapkan",
    "other": "Papan identitas sentra belum dipasang",
}
# #13: each score with notes that say the same thing (no "sesuai" beside "Sebagian mesin belum dipakai").
NOTES = {
    "operating": {
        "sesuai": ["Produksi berjalan setiap hari", "Seluruh mesin dipakai untuk produksi rutin"],
        "sebagian": ["Produksi musiman", "Sebagian mesin belum dipakai"],
        "tidak": ["Sentra belum berproduksi", "Mesin masih terbungkus, belum ada operator"],
    },
    "compliance": {
        "sesuai": ["Sesuai DED dan kontrak", "Volume dan spesifikasi sesuai kontrak; BAST lengkap"],
        "sebagian": ["Volume bangunan kurang 5 m²", "BAST belum lengkap"],
        "tidak": ["Pekerjaan tidak sesuai DED", "Spesifikasi mesin tidak sesuai kontrak"],
    },
    "sustainability": {
        "sesuai": ["Koperasi mengelola jadwal pemakaian", "UPTD menetapkan jadwal dan tarif pemakaian"],
        "sebagian": ["Anggota aktif berkurang", "SK pengelola masih dalam proses"],
        "tidak": ["Belum ada SK pengelola", "Tidak ada pengelola; aset tidak terawat"],
    },
}


def load(ministry: Any) -> int:
    created = load_reports(ministry)
    return created + load_itjen()


def load_reports(ministry: Any) -> int:
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
                funded_by = place.regency.allocations.filter(year=2021)
                report = services.create_report(report, acting_user=officer, allocations=funded_by)  # #16: one save
                if index == 0 and quarter == 1:  # #17: a photo from another year, flagged by the checks
                    upload = SimpleUploadedFile("foto-produksi.jpg", _photo("tan", taken="2019:08:17 09:00:00"),
                                                content_type="image/jpeg")  # fmt: skip
                    services.add_evidence(upload=upload, title="Foto kegiatan produksi", acting_user=officer,
                                          report=report)  # fmt: skip
                _advance(report, outcomes[(index + quarter) % len(outcomes)], officer, ministry)
                created += 1
            if index % 3 == 0:
                _finding(rng, place, report, auditor, officer, index)
    return created


def _scores(rng: random.Random, place: Sentra) -> dict[str, Any]:
    good = place.status == SentraStatus.OPERATING
    values: dict[str, Any] = {}
    for indicator, notes in NOTES.items():
        score = rng.choice(["sesuai", "sesuai", "sebagian"]) if good else rng.choice(["sebagian", "tidak"])
        values[f"{indicator}_score"], values[f"{indicator}_note"] = score, rng.choice(notes[score])
    values["active_units"] = max(place.unit_count - rng.randint(0, 3), 0)
    values["workers"] = place.workers
    return values


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
    outcome = list(FollowUpClass)[(index // 3) % 4]
    if outcome == FollowUpClass.SESUAI and not finding.loss_value:  # #13: money recovered in full, on the TLHP page
        finding.loss_value = 12_500_000
    recommendation = Recommendation(
        text="Tindak lanjuti sesuai ketentuan dan laporkan buktinya"
        if not finding.loss_value
        else "Menyetorkan kerugian ke kas daerah dan menyampaikan bukti setor",
        responsible_official="Kepala Dinas",
        due_date=finding.due_date,
        amount_to_recover=finding.loss_value,
    )
    finding = services.record_finding(finding, acting_user=auditor, recommendations=[recommendation])
    if outcome == FollowUpClass.BELUM_DITINDAKLANJUTI or not services.may_follow_up(finding, officer):
        return  # a kab/kota without a demo officer has nobody to follow up
    # #13: money to recover is deposited in full when the follow-up is sesuai, half of it when belum sesuai
    share = {FollowUpClass.SESUAI: 1, FollowUpClass.BELUM_SESUAI: 0.5}.get(outcome, 0)
    _follow_up(recommendation, officer, auditor, outcome, int(recommendation.amount_to_recover * share), index)


REASONS = {
    FollowUpClass.SESUAI: "",
    FollowUpClass.BELUM_SESUAI: "Bukti belum memadai; sisa kerugian belum disetor.",
    FollowUpClass.TIDAK_DAPAT: "Penyedia pailit; penagihan diserahkan kepada KPKNL.",
}


def _follow_up(recommendation: Recommendation, officer: Any, auditor: Any, outcome: FollowUpClass, deposit: int,
               index: int) -> None:  # fmt: skip
    """#13: the region's follow-up of one recommendation, with a proof of deposit when money is returned, and
    Itjen's verification into `outcome`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    deposit_fields: dict[str, Any] = {}
    attachments = [SimpleUploadedFile("dokumen-tindak-lanjut.jpg", _photo("lightgray"), content_type="image/jpeg")]
    if deposit:
        deposit_fields = {
            "amount_deposited": deposit, "deposit_to": "kas_daerah", "deposit_reference": f"STS-{1000 + index}/2022",
            "deposit_date": timezone.localdate() - timedelta(days=5),
        }  # fmt: skip
        attachments.append(SimpleUploadedFile("bukti-setor.jpg", _photo("white"), content_type="image/jpeg"))
    follow_up = services.submit_follow_up(recommendation, reply="Telah ditindaklanjuti; bukti terlampir.",
                                          acting_user=officer, attachments=attachments, **deposit_fields)  # fmt: skip
    services.verify_follow_up(follow_up, verification=outcome, reason=REASONS[outcome], acting_user=auditor)


def _follow_up_issued(visit: Any) -> None:
    """#13: Kota Bandung follows up the recommendations of its issued report: the machines' schedule and training
    (verified sesuai), part of the overpayment deposited to the kas daerah (belum sesuai: the rest is still due);
    the quarterly report on the machines is not followed up yet."""
    officer = User.objects.filter(role="regional", regencies=visit.sentra.regency_id).order_by("pk").first()
    auditor = User.objects.filter(username="itjen").first()
    if officer is None or auditor is None:
        return
    schedule, _quarterly, overpayment = Recommendation.objects.filter(finding__visit=visit).order_by("finding_id", "id")
    _follow_up(schedule, officer, auditor, FollowUpClass.SESUAI, 0, 1)
    _follow_up(overpayment, officer, auditor, FollowUpClass.BELUM_SESUAI, 10_000_000, 2)


# ---------------------------------------------------------------------------------------------------------------------
# Itjen: surat tugas and field visit reports in every state (#13)
# ---------------------------------------------------------------------------------------------------------------------
TEAM = {
    "itjen.ketua": "lead",
    "itjen.anggota": "member",
    "itjen": "member",
    "itjen.dalnis": "technical_controller",
    "itjen.daltu": "quality_controller",
}


def load_itjen() -> int:
    """Three surat tugas: Kota Bandung in March 2022 (one report issued with findings and recommendations, one
    returned), Kab. Sleman in June 2022 (one submitted and approved, one draft), and one in the field this month
    (Kota Bandung and two other kab/kota) for the calendar. Returns the number of visit reports made."""
    from dakportal.regions.models import Regency
    from monev.models import Assignment

    if Assignment.objects.exists() or User.objects.filter(username__in=TEAM).count() != len(TEAM):
        return 0
    users = {user.username: user for user in User.objects.filter(username__in=TEAM)}
    team = [(users[name], role) for name, role in TEAM.items()]
    lead, member, dalnis, daltu = (users[n] for n in ("itjen.ketua", "itjen.anggota", "itjen.dalnis", "itjen.daltu"))
    bandung, sleman = _operating("32.73"), _operating("34.04")
    if len(bandung) < 2 or len(sleman) < 2:
        return 0
    with transaction.atomic():
        march = _assignment("ST-014/IJ/2022", date(2022, 3, 1), (date(2022, 3, 7), date(2022, 3, 11)), [2020, 2021],
                            ["32.73"], bandung, team, lead)  # fmt: skip
        issued = _visit(march, bandung[0], date(2022, 3, 8), member, _issued_scores(bandung[0]))
        _check(issued, member, differences=True)
        for finding, recommendations in _bandung_findings(bandung[0]):
            services.record_visit_finding(issued, Finding(**finding), acting_user=lead,
                                          recommendations=[Recommendation(**r) for r in recommendations])  # fmt: skip
        services.submit_visit(issued, acting_user=lead)
        services.return_visit(issued, reason="Uraikan sebab kekurangan volume dan lampirkan foto bergeotag.",
                              acting_user=dalnis)  # fmt: skip
        services.submit_visit(issued, acting_user=lead)
        services.approve_visit(issued, acting_user=dalnis)
        services.issue_visit(issued, acting_user=daltu, issued_on=date(2022, 3, 25))
        _follow_up_issued(issued)
        returned = _visit(march, bandung[1], date(2022, 3, 9), member, _scores_of(bandung[1]))
        _check(returned, member)
        services.submit_visit(returned, acting_user=lead)
        services.return_visit(returned, reason="Lengkapi daftar hadir anggota dan foto papan nama sentra.",
                              acting_user=daltu)  # fmt: skip
        june = _assignment("ST-031/IJ/2022", date(2022, 6, 2), (date(2022, 6, 13), date(2022, 6, 17)), [2021],
                           ["34.04"], sleman, team, lead)  # fmt: skip
        submitted = _visit(june, sleman[0], date(2022, 6, 14), member, _scores_of(sleman[0]))
        _check(submitted, member)
        services.submit_visit(submitted, acting_user=lead)
        services.approve_visit(submitted, acting_user=dalnis)
        draft = _visit(june, sleman[1], date(2022, 6, 15), member, {})  # a draft, just started
        for visit in (issued, returned, submitted, draft):
            _backdate(visit)
        today = timezone.localdate()
        others = list(
            Regency.objects.filter(code__in=Sentra.objects.exclude(regency__in=["32.73", "34.04"]).values("regency"))
            .order_by("code")[:2]
        )  # fmt: skip
        places = [bandung[0], *(Sentra.objects.filter(regency=r).order_by("pk").first() for r in others)]
        _assignment(f"ST-007/IJ/{today.year}", today - timedelta(days=10),
                    (today - timedelta(days=2), today + timedelta(days=4)), [today.year - 1],
                    ["32.73", *(r.code for r in others)], [p for p in places if p is not None], team, lead)  # fmt: skip
    return 4


def _backdate(visit: Any) -> None:
    """The steps of a demo report on the days they would have happened: from the visit on, two days apart, the
    issue on its issue date."""
    from datetime import datetime, time

    from monev.models import Visit, VisitTransition

    visit = Visit.objects.get(pk=visit.pk)
    for n, step in enumerate(visit.transitions.order_by("id")):
        day = visit.issued_on if step.step == "issue" else visit.visit_date + timedelta(days=2 * n)
        at = timezone.make_aware(datetime.combine(day, time(9 + n % 6, 15)))
        VisitTransition.objects.filter(pk=step.pk).update(at=at)
        if step.step == "submit":
            Visit.objects.filter(pk=visit.pk).update(submitted_at=at)
        elif step.step == "approve":
            Visit.objects.filter(pk=visit.pk).update(approved_at=at)


def _operating(code: str) -> list[Sentra]:
    """The two operating sentra of a kab/kota with the most machines: those an Itjen team would visit first."""
    machines = Sum("facilities__quantity", filter=Q(facilities__kind="machines"))
    return list(
        Sentra.objects.filter(regency=code, status=SentraStatus.OPERATING, unit_count__gte=5)
        .annotate(machines=Coalesce(machines, 0))
        .order_by("-machines", "pk")[:2]
    )


def _assignment(number: str, dated: date, period: tuple[date, date], years: list[int], codes: list[str],
                places: list[Any], team: list[Any], lead: Any) -> Any:  # fmt: skip
    from dakportal.regions.models import Regency
    from monev.models import Assignment

    note = "Monev DAK Fisik Bidang IKM: pengawalan Itjen Kemenperin."
    assignment = Assignment(number=number, date=dated, period_start=period[0], period_end=period[1],
                            fiscal_years=years, notes=note)  # fmt: skip
    return services.save_assignment(assignment, acting_user=lead, members=team,
                                    regencies=list(Regency.objects.filter(code__in=codes)), sentra=places)  # fmt: skip


def _scores_of(place: Sentra) -> dict[str, Any]:
    """Scores that say what the registry says: damaged or unused facilities make operation "sebagian"."""
    worn = place.facilities.filter(condition__in=["heavy_damage", "unused"]).exists()
    operating = (
        ("sebagian", "Produksi berjalan, tetapi sebagian sarana rusak berat atau belum dipakai.")
        if worn
        else ("sesuai", f"Produksi berjalan setiap hari; {place.unit_count} unit IKM aktif.")
    )
    return {
        "operating_score": operating[0], "operating_note": operating[1],
        "compliance_score": "sesuai", "compliance_note": "Volume dan spesifikasi sesuai kontrak; BAST lengkap.",
        "sustainability_score": "sesuai", "sustainability_note": "Pengelola menetapkan jadwal dan tarif pemakaian.",
    }  # fmt: skip


def _idle_machines(place: Sentra) -> tuple[int, int]:
    machines = getattr(place, "machines", 0) or 0
    return max(1, machines // 3), max(machines, 1)


def _issued_scores(place: Sentra) -> dict[str, Any]:
    idle, machines = _idle_machines(place)
    return {
        "operating_score": "sebagian",
        "operating_note": f"Produksi berjalan, tetapi {idle} dari {machines} unit mesin bantuan belum dipakai.",
        "compliance_score": "sebagian",
        "compliance_note": "Luas lantai bangunan produksi terpasang 142 m², kontrak 150 m².",
        "sustainability_score": "sesuai",
        "sustainability_note": "Pengelola sentra memegang SK Kepala Dinas dan menetapkan jadwal pemakaian.",
        "conclusion": "Sentra beroperasi; pemanfaatan mesin dan volume bangunan perlu ditindaklanjuti.",
    }


def _bandung_findings(place: Sentra) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    idle, machines = _idle_machines(place)
    dinas = "Kepala Dinas KUMKM dan Perindustrian Kota Bandung"
    return [
        (
            {"title": "Mesin bantuan belum dimanfaatkan optimal", "category": "asset_unused",
             "condition": f"{idle} dari {machines} unit mesin bantuan TA 2021 belum dioperasikan dan masih terbungkus.",
             "criteria": "Juknis DAK Fisik Bidang IKM: sarana yang dibangun atau diadakan wajib dimanfaatkan.",
             "cause": "Operator belum dilatih; pengelola belum menetapkan jadwal pemakaian mesin tersebut.",
             "effect": "Manfaat DAK belum optimal dan mesin berisiko rusak."},
            [
                {"text": "Memerintahkan pengelola sentra menyusun jadwal pemakaian mesin dan melatih operator.",
                 "responsible_official": dinas},
                {"text": "Melaporkan pemanfaatan mesin setiap triwulan dengan foto bergeotag.",
                 "responsible_official": dinas},
            ],
        ),
        (
            {"title": "Kekurangan volume pekerjaan bangunan produksi", "category": "volume_shortfall",
             "condition": "Luas lantai bangunan produksi terpasang 142 m², sedangkan kontrak 150 m².",
             "criteria": "Kontrak pekerjaan dan DED bangunan produksi.",
             "cause": "Pengawasan konsultan dan PPK kurang cermat.",
             "effect": "Kelebihan pembayaran kepada penyedia Rp 24.800.000.", "loss_value": 24_800_000},
            [
                {"text": "Memproses penyetoran kelebihan pembayaran Rp 24.800.000 ke kas daerah.",
                 "responsible_official": "PPK Dinas KUMKM dan Perindustrian Kota Bandung",
                 "amount_to_recover": 24_800_000},
            ],
        ),
    ]  # fmt: skip


def _visit(assignment: Any, place: Sentra, day: date, member: Any, scores: dict[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monev.models import Visit

    visit = services.create_visit(Visit(assignment=assignment, sentra=place, visit_date=day, **scores),
                                  acting_user=member)  # fmt: skip
    if scores:
        for key, colour in (("operating", "olive"), ("compliance", "steelblue"), ("sustainability", "peru")):
            upload = SimpleUploadedFile(f"{key}.jpg", _photo(colour), content_type="image/jpeg")
            services.add_evidence(upload=upload, title=f"Foto {place.name}", acting_user=member, visit=visit,
                                  indicator=key)  # fmt: skip
    return visit


def _photo(colour: str, taken: str = "") -> bytes:
    """A plain photo; `taken` ("2019:08:17 09:00:00") writes the EXIF time the camera would."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    if taken:
        exif[0x0132] = taken  # DateTime
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _check(visit: Any, member: Any, differences: bool = False) -> None:
    """Every registry item as registered; with `differences`, a management SK the registry lacks and a facility
    found out of use, each proposed to the region as a correction."""
    checks = list(visit.checks.select_related("facility"))
    minor = ("ipal", "warehouse", "packaging", "showroom", "office")
    out_of_use = next((c for c in checks if c.facility and c.facility.kind in minor), None)
    for check in checks:
        check.result = CheckResult.AS_REGISTERED
        if differences and check.field == "management_sk" and not check.registered:
            check.result, check.observed = "different", "SK Kepala Dinas tentang pengelola sentra sudah terbit."
            check.proposed_value = "500/123-Diskop/2021"
        elif differences and out_of_use is not None and check is out_of_use:
            check.result, check.observed = "different", "Tidak berfungsi: belum dipakai sejak serah terima."
            check.proposed_condition = "unused"
    services.save_registry_checks(visit, checks, acting_user=member)

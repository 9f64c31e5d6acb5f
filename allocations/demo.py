"""Demo allocations (#4): the six published years, loaded through the same import as the ministry's annexes.

Yearly totals and kab/kota counts equal the published figures exactly (the reference file
fixtures/reference/national_totals.yaml, loaded before: `PublishedTotal`, #18); Kota Bandung and
Kab. Sleman are funded every year; the split between kab/kota is synthetic (`synthetic=True`, and the UI says
so). Before 2022 the Papua kab/kota are named by their old codes, as the annexes of those years did. The kab/kota
with demo sentra are funded first, and their allocations get plans with quarterly targets, contracts, stages
disbursed in their windows with their documents verified, and realisation (#13.6)."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from allocations import services
from allocations.choices import ContractMethod, DocumentStatus, PlanStatus, ReferenceKind, StageFormula
from allocations.imports import import_allocations
from allocations.models import (
    ActivityItem,
    Allocation,
    Contract,
    Disbursement,
    DisbursementRule,
    PublishedTotal,
    QuarterlyPlan,
    Realisation,
    ReferenceItem,
    StageDocument,
)
from allocations.reference import ensure_reference_data
from allocations.stages import evaluate
from dakportal.accounts.models import User
from dakportal.history.context import history_context
from dakportal.regions.choices import ChangeKind
from dakportal.regions.models import Regency, RegencyFormerCode
from dakportal.spreadsheets import Table
from sentra.models import Sentra

SEED = 2016
LATE_CONTRACT_EVERY = 19  # #17: the kab/kota (by code) whose year ends with a December addendum
ALWAYS = ["32.73", "34.04"]  # Kota Bandung and Kab. Sleman: funded every year
STEP = 1_000_000  # the synthetic shares are whole millions


def load(acting_user: Any) -> int:
    """Create the demo allocations unless they are there; returns how many were created."""
    if Allocation.objects.filter(synthetic=True).exists():
        return 0
    ensure_reference_data()
    rng = random.Random(SEED)
    old_codes = dict(RegencyFormerCode.objects.filter(kind=ChangeKind.RECODED).values_list("regency_id", "code"))
    published = list(PublishedTotal.objects.order_by("year").values_list("year", "amount", "regency_count"))
    if not published:
        raise RuntimeError("demo allocations: no published totals; run manage.py load_reference first")
    candidates = list(
        Regency.objects.autonomous().exclude(code__in=ALWAYS).order_by("code").values_list("code", flat=True)
    )
    with_sentra = set(Sentra.objects.values_list("regency_id", flat=True))
    # #13.6: the kab/kota with sentra of the registry first, so that most allocations can plan at a sentra
    preferred = [code for code in candidates if code in with_sentra]
    others = [code for code in candidates if code not in with_sentra]
    created = 0
    with transaction.atomic():
        for year, total, count in published:
            wanted = count - len(ALWAYS)
            picked = rng.sample(preferred, min(len(preferred), wanted))
            codes = ALWAYS + picked + rng.sample(others, wanted - len(picked))
            amounts = _split(rng, total, count)
            rows = []
            for number, (code, amount) in enumerate(zip(codes, amounts, strict=True), start=2):
                annex_code = old_codes.get(code, code) if year < 2022 else code
                rows.append((number, {"year": year, "regency_code": annex_code, "amount": amount,
                                      "legal_basis": f"Lampiran Perpres TA {year}"}))  # fmt: skip
            result = import_allocations(
                Table(["year", "regency_code", "amount", "legal_basis"], rows),
                acting_user=acting_user, dry_run=False, synthetic=True,
            )  # fmt: skip
            if not result.ok:
                raise RuntimeError(f"demo allocations {year}: {result.errors[:3]}")
            created += len(result.created)
        through_services, bulk, lookups = _Services(), _Rows(acting_user), _Lookups()
        officers = set(User.objects.filter(regencies__isnull=False).values_list("regencies", flat=True))
        for allocation in Allocation.objects.filter(synthetic=True, regency__in=with_sentra).order_by(
            "year", "regency"
        ):
            writer = through_services if _through_services(allocation.regency_id, officers) else bulk
            _execute(rng, allocation, acting_user, writer, lookups)
        bulk.write()
    return created


def _through_services(regency: str, officers: set[str]) -> bool:
    """The kab/kota whose years go through the services one write at a time: Kota Bandung and Kab. Sleman, those
    of the demo's regional officers and one in five of the rest. The others are written in bulk (`_Rows`): the
    same rows, about forty times faster, so that `./scripts/run` is up in a minute or two."""
    return regency in ALWAYS or regency in officers or int(regency.replace(".", "")) % 5 == 0


def _split(rng: random.Random, total: int, count: int) -> list[int]:
    """`count` amounts in whole millions, each at least Rp 300 juta, adding up to `total` exactly."""
    weights = [rng.uniform(0.4, 2.2) for _ in range(count)]
    scale = sum(weights)
    amounts = [max(300 * STEP, int(total * w / scale) // STEP * STEP) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


# #17.4: the usual unit cost of a plan line in 2016 (it rises 4% a year); a kab/kota pays 0,8 to 1,25 times it, and
# now and then far more or far less (`_unit_cost`), so that the national median has outliers to flag.
UNIT_COSTS = {"bangunan_produksi": 4_000_000, "mesin": 60_000_000, "rumah_kemasan": 5_000_000}
JUSTIFICATIONS = {
    True: "Lokasi di lahan rawa: perlu pondasi tiang pancang dan timbunan tanah.",
    False: "Sebagian bahan bangunan hibah dari CSR; harga satuan hanya untuk upah dan bahan sisanya.",
}


def _unit_cost(year: int, detail: str, draw: int, outliers: bool = True) -> int:
    """The unit cost of a line, in thousands of rupiah, from the draw that once gave its volume (one draw per line,
    so the draws after it are those of earlier demos): 80-400 for an m² line, 1, 2 or 4 for a package. One in 23
    m² lines costs 2,2 times the usual, one in 29 only 0,4 times."""
    usual = Decimal(UNIT_COSTS[detail]) * Decimal("1.04") ** (year - 2016)
    factor = {1: Decimal("0.85"), 2: Decimal(1), 4: Decimal("1.2")}.get(draw) or Decimal("0.8") + Decimal(
        draw - 80
    ) / 320 * Decimal("0.45")
    if outliers and draw >= 80 and draw % 23 == 0:
        factor *= Decimal("2.2")
    elif outliers and draw >= 80 and draw % 29 == 0:
        factor *= Decimal("0.4")
    return int(usual * factor) // 1000 * 1000


SUPPLIERS = [  # (supplier, method): self-managed work is the Dinas's own (#13.6)
    ("CV Karya Mandiri", ContractMethod.CONTRACTUAL),
    ("PT Bangun Sentosa", ContractMethod.CONTRACTUAL),
    ("CV Sinar Jaya", ContractMethod.CONTRACTUAL),
    ("PT Mesin Nusantara", ContractMethod.CONTRACTUAL),
    ("Swakelola Dinas Perindustrian", ContractMethod.SELF_MANAGED),
]
REJECTIONS = ["Belum direviu APIP daerah", "Tanda tangan kepala daerah belum ada", "Halaman lampiran tidak lengkap"]


class _Services:
    """Writes a year's execution through the services, each write validated and its stage evaluated as at its
    date, as a region and the ministry would."""

    def item(self, item: ActivityItem, user: Any) -> None:
        services.save_item(item, acting_user=user)

    def quarterly_plan(self, plan: QuarterlyPlan, user: Any) -> None:
        services.save_quarterly_plan(plan, acting_user=user)

    def decide_plan(self, allocation: Allocation, user: Any, at: datetime, reason: str = "") -> None:
        services.submit_plan(allocation, acting_user=user)
        services.decide_plan(allocation, approve=not reason, reason=reason, acting_user=user, at=at)
        allocation.refresh_from_db()

    def contract(self, contract: Contract, user: Any) -> None:
        services.save_contract(contract, acting_user=user)

    def document(self, document: StageDocument, uploader: Any, user: Any, on: date, reason: str = "") -> None:
        upload = SimpleUploadedFile(f"{document.requirement.code}.pdf", DEMO_PDF, content_type="application/pdf")
        document = services.upload_stage_document(document, upload=upload, acting_user=uploader)
        services.decide_stage_document(document, verify=not reason, reason=reason, decided_on=on, acting_user=user)

    def remaining_need(self, allocation: Allocation, rule: DisbursementRule, day: date, received: int) -> int:
        return int(evaluate(allocation, rule.pk, day).amount)

    def disbursement(self, disbursement: Disbursement, user: Any) -> None:
        services.record_disbursement(disbursement, acting_user=user)

    def realisation(self, realisation: Realisation, user: Any) -> None:
        services.record_realisation(realisation, acting_user=user)


class _Rows:
    """The same rows as `_Services` writes, kept in memory and written in one bulk insert per model (`write`);
    the history triggers record them with the ministry's demo user. A disbursement keeps no conditions: its
    stage page evaluates them as at its date. tests/allocations/test_demo.py holds the two writers equal."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.file = ""
        self.rows: dict[type[Any], list[Any]] = {}
        self.decided: list[Allocation] = []

    def add(self, row: Any) -> None:
        self.rows.setdefault(type(row), []).append(row)

    def item(self, item: ActivityItem, user: Any) -> None:
        self.add(item)

    def quarterly_plan(self, plan: QuarterlyPlan, user: Any) -> None:
        self.add(plan)

    def decide_plan(self, allocation: Allocation, user: Any, at: datetime, reason: str = "") -> None:
        allocation.plan_status = PlanStatus.RETURNED if reason else PlanStatus.APPROVED
        allocation.plan_return_reason, allocation.plan_decided_by, allocation.plan_decided_at = reason, user, at
        self.decided.append(allocation)

    def contract(self, contract: Contract, user: Any) -> None:
        self.add(contract)

    def document(self, document: StageDocument, uploader: Any, user: Any, on: date, reason: str = "") -> None:
        if not self.file:  # one stored file serves every bulk-written document
            self.file = default_storage.save("stage-documents/demo/dokumen.pdf", ContentFile(DEMO_PDF))
        document.file, document.uploaded_by = self.file, uploader
        document.status = DocumentStatus.REJECTED if reason else DocumentStatus.VERIFIED
        document.reject_reason, document.decided_by, document.decided_on = reason, user, on
        document.decided_at = timezone.now()
        self.add(document)

    def remaining_need(self, allocation: Allocation, rule: DisbursementRule, day: date, received: int) -> int:
        """As the stages compute it (DisbursementRuleQuerySet.evaluated): the contract, at most the pagu, less what
        the earlier stages disbursed."""
        contracted = sum(int(c.value) for c in self.rows.get(Contract, []) if c.allocation_id == allocation.pk)
        return max(0, min(int(allocation.amount), contracted) - received)

    def disbursement(self, disbursement: Disbursement, user: Any) -> None:
        self.add(disbursement)

    def realisation(self, realisation: Realisation, user: Any) -> None:
        self.add(realisation)

    def write(self) -> None:
        with history_context(user=self.user, source="command:setup_portal"):
            fields = ["plan_status", "plan_return_reason", "plan_decided_by", "plan_decided_at"]
            Allocation.objects.bulk_update(self.decided, fields, batch_size=500)
            for model in (ActivityItem, QuarterlyPlan, Contract, StageDocument, Disbursement, Realisation):
                model.objects.bulk_create(self.rows.get(model, []), batch_size=500)
        self.rows.clear()
        self.decided.clear()


def _execute(
    rng: random.Random, allocation: Allocation, user: Any, writer: _Services | _Rows, lookups: _Lookups
) -> None:
    """A year's execution as the rules have it (#13.6): the plan at the kab/kota's sentra with its quarterly targets,
    approved in February (now and then returned, to be corrected); a contract; each stage disbursed in its window
    once its documents are verified (now and then one rejected first) and, mostly, its conditions met; and the
    quarterly realisation. Some regions lag behind and stop short of a stage."""
    year = allocation.year
    always = allocation.regency_id in ALWAYS
    sentra = list(Sentra.objects.filter(regency=allocation.regency).order_by("pk")[:3])
    refs = lookups.references(year)
    budget = int(allocation.amount * rng.uniform(0.88, 0.99))
    lines = [("bangunan_produksi", "m2"), ("mesin", "paket"), ("rumah_kemasan", "m2")][: len(sentra)]
    planned = 0
    for (detail, unit), place in zip(lines, sentra, strict=False):
        share = budget // len(lines)
        draw = rng.choice([1, 2, 4]) if unit == "paket" else rng.randint(80, 400)
        unit_cost = min(_unit_cost(year, detail, draw), share // 1000 * 1000)
        item = ActivityItem(
            allocation=allocation, menu=refs[(ReferenceKind.MENU, "revitalisasi")],
            detail=refs[(ReferenceKind.DETAIL, detail)], sentra=place, volume=Decimal(max(1, share // unit_cost)),
            unit=refs[(ReferenceKind.UNIT, unit)], unit_cost=unit_cost,
        )  # fmt: skip
        check = item.unit_cost_check() if unit_cost != _unit_cost(year, detail, draw, outliers=False) else None
        if check is not None and check.outlier:  # asked for a justification, as the form asks a region (#17.4)
            item.unit_cost_justification = JUSTIFICATIONS[check.too_high]
        writer.item(item, user)
        planned += item.computed_value
    if not planned:
        return
    # Funds follow the stages: Tahap III arrives in the fourth quarter, so the third stays near 70% of the pagu.
    targets = [(Decimal("0.2"), 15), (Decimal("0.55"), 45), (Decimal("0.68"), 65), (Decimal("0.95"), 100)]
    writer.quarterly_plan(
        QuarterlyPlan(
            allocation=allocation,
            **{f"funds_q{q}": int(planned * share) for q, (share, _physical) in enumerate(targets, start=1)},
            **{f"physical_q{q}": Decimal(physical) for q, (_share, physical) in enumerate(targets, start=1)},
        ),
        user,
    )
    decided = timezone.make_aware(datetime(year, 2, rng.randint(3, 20), 10, 0))
    if not always and rng.random() < 0.08:
        writer.decide_plan(allocation, user, decided, reason="Volume belum sesuai DED")
        return  # stays returned: the region has to correct and resubmit
    writer.decide_plan(allocation, user, decided)
    signed = decided.date() + timedelta(days=rng.randint(5, 20))
    supplier, method = rng.choice(SUPPLIERS)
    contract_value = int(planned * rng.uniform(0.88, 0.99))
    writer.contract(
        Contract(
            allocation=allocation, number=f"027/{rng.randint(100, 999)}/DISPERINDAG/{year}", date=signed,
            supplier=supplier, method=method, value=contract_value, start_date=signed,
            end_date=signed + timedelta(days=200), handover_date=signed + timedelta(days=210) if rng.random() < 0.8
            else None,
        ),
        user,
    )  # fmt: skip
    _Year(rng, allocation, contract_value, signed, user, always, writer, lookups.rules(allocation)).run()
    if not always and int(allocation.regency_id.replace(".", "")) % LATE_CONTRACT_EVERY == 0:
        # #17: now and then an addendum in December for exactly what the plan had left: the contracts then equal
        # the plan to the rupiah and one was signed in the last quarter (two rules of the risk register fire).
        writer.contract(
            Contract(
                allocation=allocation, number=f"027/ADD/DISPERINDAG/{year}", date=date(year, 12, 20),
                supplier=supplier, method=method, value=planned - contract_value,
            ),
            user,
        )  # fmt: skip


class _Lookups:
    """The reference items and the stages with their required documents, read once per year (and kind of pagu)."""

    def __init__(self) -> None:
        self._references: dict[int, dict[tuple[str, str], ReferenceItem]] = {}
        self._rules: dict[tuple[int, bool], list[DisbursementRule]] = {}

    def references(self, year: int) -> dict[tuple[str, str], ReferenceItem]:
        if year not in self._references:
            self._references[year] = {(i.kind, i.code): i for i in ReferenceItem.objects.filter(year=year)}
        return self._references[year]

    def rules(self, allocation: Allocation) -> list[DisbursementRule]:
        rules = services.rules_for(allocation)
        key = (allocation.year, bool(rules and rules[0].single_payment))
        if key not in self._rules:
            ids = [rule.pk for rule in rules]
            self._rules[key] = list(
                DisbursementRule.objects.filter(pk__in=ids).order_by("order").prefetch_related("documents")
            )
        return self._rules[key]


class _Year:
    """The stages and quarters of one allocation's year, in the order they happen."""

    def __init__(
        self, rng: random.Random, allocation: Allocation, contract: int, signed: date, user: Any, always: bool,
        writer: _Services | _Rows, rules: list[DisbursementRule],
    ) -> None:  # fmt: skip
        self.rng, self.allocation, self.contract, self.signed, self.user = rng, allocation, contract, signed, user
        self.always, self.writer = always, writer
        self.lagging = not always and rng.random() < 0.15  # spends slowly all year
        self.received = self.spent = 0
        self.progress = Decimal(0)
        self.rules = rules
        self.uploader = _officer_of(allocation.regency_id) or user

    def run(self) -> None:
        year = self.allocation.year
        if self.rules and self.rules[0].single_payment:
            plan = [(0, date(year, 4, self.rng.randint(8, 28)))]
        elif self.rules and self.rules[0].code.startswith("triwulan"):
            plan = [(i, date(year, 3 * i + 2, self.rng.randint(10, 25))) for i in range(4)]
        else:
            plan = [
                (0, max(self.signed + timedelta(days=5), date(year, 3, self.rng.randint(5, 25)))),
                (1, date(year, 4, self.rng.randint(15, 30))),
                (2, date(year, 10, self.rng.randint(6, 25))),
            ]
        stopped = False
        for quarter in range(1, 5):
            for index, day in plan:
                if not stopped and (day.month - 1) // 3 + 1 == quarter:
                    stopped = not self.disburse(self.rules[index], day)
            self.realise(quarter)

    def disburse(self, rule: DisbursementRule, day: date) -> bool:
        """The stage's documents, then the stage: False when the region stops short of it. A lagging region waits
        at Tahap II or III (its spending is below the thresholds); now and then one is paid all the same, and the
        disbursement keeps its conditions as not met."""
        if self.lagging and rule.order > 1 and self.rng.random() < 0.85:
            return False
        self.documents(rule, day)
        if rule.formula == StageFormula.SHARE:
            share = rule.share_percent or Decimal(0)
            amount = int((Decimal(self.allocation.amount) * share / 100).quantize(Decimal(1)))
        else:  # the remaining need, as the rules compute it
            amount = self.writer.remaining_need(self.allocation, rule, day, self.received)
        amount = min(amount, self.allocation.amount - self.received)
        if amount <= 0:
            return True
        self.writer.disbursement(
            Disbursement(allocation=self.allocation, rule=rule, amount=amount, date=day), self.user
        )
        self.received += amount
        return True

    def documents(self, rule: DisbursementRule, day: date) -> None:
        for requirement in rule.documents.all():
            submitted = day - timedelta(days=self.rng.randint(8, 15))
            if not self.always and self.rng.random() < 0.05:  # sent back once, then corrected
                first = StageDocument(
                    allocation=self.allocation, requirement=requirement, submitted_on=submitted - timedelta(days=10)
                )
                self.writer.document(
                    first, self.uploader, self.user, submitted - timedelta(days=7), reason=self.rng.choice(REJECTIONS)
                )
            document = StageDocument(allocation=self.allocation, requirement=requirement, submitted_on=submitted)
            verified_on = submitted + timedelta(days=self.rng.randint(1, 6))
            self.writer.document(document, self.uploader, self.user, verified_on)

    def realise(self, quarter: int) -> None:
        """Spending follows the funds received and the contract; physical progress follows spending."""
        if self.rng.random() < (0.35 if self.lagging else 0.05):
            share = Decimal(0)  # nothing more spent this quarter
        elif quarter == 4:
            share = Decimal(str(round(self.rng.uniform(0.95, 1.0), 3)))
        else:
            low, high = (0.45, 0.7) if self.lagging else (0.8, 0.97)
            share = Decimal(str(round(self.rng.uniform(low, high), 3)))
        self.spent = max(self.spent, int(min(self.received, self.contract) * share))
        done = Decimal(self.spent * 100) / max(self.contract, 1) + Decimal(self.rng.randint(0, 6))
        self.progress = max(self.progress, min(Decimal(100), done).quantize(Decimal("0.01")))
        self.writer.realisation(
            Realisation(allocation=self.allocation, quarter=quarter, spent=self.spent, physical_progress=self.progress),
            self.user,
        )


def _officer_of(regency: str) -> Any:
    """The demo's regional officer of the kab/kota, who uploads its documents (the ministry's user otherwise)."""
    return User.objects.filter(regencies__code=regency, is_active=True).order_by("pk").first()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DEMO_PDF = _pdf()

"""The monev demo (#13.6): Itjen's surat tugas and visit reports in every state, an issued one for Kota Bandung
with findings and recommendations; monev scores that say what their notes say."""

from __future__ import annotations

import random
from typing import Any

import pytest

from dakportal.accounts.services import ensure_demo_users
from monev import demo
from monev.models import Assignment, Finding, Visit
from sentra.models import Sentra
from sentra.testing import VILLAGE_B, make_facility, make_sentra

pytestmark = pytest.mark.django_db


def test_the_itjen_demo_holds_every_state(cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = settings.DATA_DIR = tmp_path
    ensure_demo_users()
    for n, (officer, village) in enumerate([(cast.officer_a, None), (cast.officer_a, None), (cast.officer_b, VILLAGE_B),
                                            (cast.officer_b, VILLAGE_B)]):  # fmt: skip
        place = make_sentra(officer, name=f"Sentra Demo {n}", status="operating",
                            **({"village": village} if village else {}))  # fmt: skip
        make_facility(officer, place, kind="machines", quantity=6 + n)
        make_facility(officer, place, kind="ipal")
    assert demo.load_itjen() == 4
    assert sorted(Visit.objects.values_list("status", flat=True)) == ["draft", "issued", "returned", "submitted"]
    issued = Visit.objects.get(status="issued")
    assert issued.sentra.regency_id == "32.73" and issued.number == "LHM-001/IJ/2022"
    findings = Finding.objects.filter(visit=issued)
    assert findings.count() == 2 and sum(f.recommendations.count() for f in findings) == 3
    assert issued.checks.filter(correction="proposed").exists()
    assert Assignment.objects.count() == 3
    assert demo.load_itjen() == 0  # loaded once


def test_demo_scores_match_their_notes(cast: Any) -> None:
    """#13: no "sesuai" beside "Sebagian mesin belum dipakai" or "Belum ada SK pengelola"."""
    rng = random.Random(1)
    place = Sentra(unit_count=8, workers=20, status="operating")
    for _ in range(50):
        values = demo._scores(rng, place)
        for indicator, notes in demo.NOTES.items():
            assert values[f"{indicator}_note"] in notes[values[f"{indicator}_score"]]
    assert "Sebagian mesin belum dipakai" not in demo.NOTES["operating"]["sesuai"]
    assert "Belum ada SK pengelola" not in demo.NOTES["sustainability"]["sesuai"]

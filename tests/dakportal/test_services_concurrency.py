"""#9: two people editing the same record at once: exactly one change is saved, the other gets 409, and the two
are never silently merged."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from dakportal.testing.users import make_cast
from monev.models import MonevReport
from monev.testing import make_report
from sentra.models import Sentra
from sentra.testing import make_sentra


def patch_at_once(user: Any, url: str, bodies: list[dict[str, Any]]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def run(body: dict[str, Any]) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            statuses.append(client.patch(url, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


@pytest.mark.parametrize("attempt", range(3))
def test_two_parallel_edits_of_a_report_save_one_and_refuse_the_other(portal_data: None, attempt: int) -> None:
    cast = make_cast()
    report = make_report(cast.officer_a, make_sentra(cast.officer_a))
    bodies = [{"output": "100 kg", "version": report.version}, {"workers": 9, "version": report.version}]
    assert patch_at_once(cast.officer_a, f"/api/v1/monev/reports/{report.pk}/", bodies) == [200, 409]
    report = MonevReport.objects.get(pk=report.pk)
    assert report.version == 2
    assert (report.output == "100 kg") != (report.workers == 9)  # one change, never both merged silently


def test_two_parallel_edits_of_a_sentra_save_one_and_refuse_the_other(portal_data: None) -> None:
    cast = make_cast()
    sentra = make_sentra(cast.officer_a)
    bodies = [{"workers": 10, "version": 1}, {"products": "Batik", "version": 1}]
    assert patch_at_once(cast.ministry_staff, f"/api/v1/sentra/{sentra.pk}/", bodies) == [200, 409]
    sentra = Sentra.objects.get(pk=sentra.pk)
    assert sentra.version == 2 and (sentra.workers == 10) != (sentra.products == "Batik")

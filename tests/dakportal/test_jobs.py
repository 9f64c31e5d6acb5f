"""Background jobs (#11, #15): a large export becomes a job that replays the request as its user and is downloaded
when ready; the task worker keeps a heartbeat, puts back the tasks of a worker that died (so a job survives a
restart), never runs a finished task again, and enqueues the schedule once however many workers run it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from dakportal.jobs.models import Job, JobStatus, ScheduleRun, WorkerHeartbeat
from dakportal.jobs.worker import beat, requeue_orphans, run_schedule
from sentra.testing import make_sentra, make_unit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def units(user: Any, count: int) -> None:
    sentra = make_sentra(user)
    for n in range(count):
        make_unit(user, sentra, nib=f"91200000{n:05d}", business_name=f"Usaha {n:03d}")


@pytest.mark.django_db
@override_settings(EXPORT_INLINE_MAX_ROWS=3)
def test_a_large_page_export_is_a_job_with_the_same_file(cast: Any) -> None:
    units(cast.officer_a, 5)
    client = login(cast.officer_a)
    response = client.get("/sentra/units/", {"export": "csv"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.rows == 5 and job.progress == 5
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and b'data-testid="job-download"' in page.content
    download = client.get(f"/jobs/{job.pk}/download/")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download["Content-Disposition"].startswith('attachment; filename="')
    assert body.count("\n") == 6 and "Usaha 004" in body
    with override_settings(EXPORT_INLINE_MAX_ROWS=100):
        inline = client.get("/sentra/units/", {"export": "csv"})
    assert b"".join(inline.streaming_content).decode("utf-8-sig") == body  # the job's file is the page's file
    api = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["status"] == "done" and api["download"].endswith(f"/jobs/{job.pk}/download/")


@pytest.mark.django_db
@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_a_job_is_its_users_alone(cast: Any) -> None:
    units(cast.officer_a, 2)
    login(cast.officer_a).get("/sentra/units/", {"export": "xlsx"})
    job = Job.objects.get()
    other = login(cast.officer_b)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert other.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert other.get("/api/v1/jobs/").json()["count"] == 0


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_of_a_worker_that_died_goes_back_to_the_queue_and_a_finished_one_never(cast: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from dakportal.jobs.tasks import prune_jobs

    long_ago = timezone.now() - timedelta(minutes=5)
    dead, alive, done = (DBTaskResult.objects.get(id=prune_jobs.enqueue().id) for _ in range(3))
    DBTaskResult.objects.filter(id=dead.id).update(status="RUNNING", started_at=long_ago, worker_ids=["gone"])
    DBTaskResult.objects.filter(id=alive.id).update(status="RUNNING", started_at=long_ago, worker_ids=["busy"])
    DBTaskResult.objects.filter(id=done.id).update(status="SUCCESSFUL", started_at=long_ago, worker_ids=["gone"])
    beat("busy", long_ago)  # a worker still beating keeps its task, however long it runs
    assert requeue_orphans() == 1
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses == {dead.id: "READY", alive.id: "RUNNING", done.id: "SUCCESSFUL"}


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE, TASK_SCHEDULE={"dakportal.jobs.tasks.prune_jobs": 3600})
def test_the_schedule_enqueues_a_task_once_per_interval(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    assert run_schedule(now) == ["dakportal.jobs.tasks.prune_jobs"]
    assert run_schedule(now + timedelta(minutes=30)) == []  # another worker, or the next beat
    assert run_schedule(now + timedelta(minutes=61)) == ["dakportal.jobs.tasks.prune_jobs"]
    assert DBTaskResult.objects.count() == 2 and ScheduleRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_export_left_half_done_by_a_killed_worker_is_finished_by_the_next(portal_data: Any) -> None:
    """A job whose worker was killed mid-way (its task still marked running, no heartbeat) is run to the end by a
    worker started afterwards: a real `manage.py db_worker` process on the test database."""
    from django_tasks_db.models import DBTaskResult

    from dakportal.accounts.models import User
    from dakportal.jobs.tasks import run_export

    ditjen = User.objects.get(username="ditjen")
    units(ditjen, 4)
    job = Job.objects.create(user=ditjen, title="Unit IKM", path="/sentra/units/?export=csv", rows=4)
    with override_settings(TASKS=DATABASE_QUEUE):
        task_id = run_export.enqueue(job.pk).id
    half_way = timezone.now() - timedelta(minutes=2)
    DBTaskResult.objects.filter(id=task_id).update(status="RUNNING", started_at=half_way, worker_ids=["killed"])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=half_way, progress=2, attempts=1)

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="dakportal.settings", **_database_env())
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 4 and job.attempts == 2
    assert DBTaskResult.objects.get(id=task_id).status == "SUCCESSFUL"
    assert not WorkerHeartbeat.objects.exists()  # the worker said goodbye


def _database_env() -> dict[str, str]:
    """The environment that points a subprocess at this test database."""
    settings = connection.settings_dict
    if "DATA_DIR" in settings:
        return {"DATABASE_NAME": settings["NAME"], "DATA_DIR": str(Path(settings["DATA_DIR"]).parent)}
    user, host, port = settings.get("USER") or "postgres", settings.get("HOST") or "127.0.0.1", settings.get("PORT")
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port or 5432}/{settings['NAME']}"}


@pytest.mark.django_db
@override_settings(IMPORT_INLINE_MAX_ROWS=1)
def test_a_large_import_is_checked_and_then_applied_by_the_worker(cast: Any) -> None:
    """#15: the page hands a file of more than IMPORT_INLINE_MAX_ROWS rows to the worker, shows the job's result
    as it shows its own, and applies the checked file in a second job."""
    from sentra.models import Sentra

    rows = [
        "name,village_code,commodity_group,kbli,unit_count",
        "Sentra Satu,32.73.01.1001,pangan,10710,6",
        "Sentra Dua,32.73.01.1001,kerajinan,16291,7",
    ]
    client = login(cast.officer_a)
    upload = SimpleUploadedFile("sentra.csv", "\n".join(rows).encode(), content_type="text/csv")
    response = client.post("/sentra/import/", {"file": upload})
    check = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert check.status == JobStatus.DONE and check.payload["dry_run"] and not Sentra.objects.exists()
    assert b'data-testid="job-result"' in client.get(check.get_absolute_url()).content
    page = client.get(f"/sentra/import/?job={check.pk}")
    assert page.context["result"].ok and len(page.context["result"].created) == 2
    assert b'name="job"' in page.content
    assert login(cast.officer_b).get(f"/sentra/import/?job={check.pk}").status_code == 404  # one's own jobs only

    applied = client.post("/sentra/import/", {"confirm": "1", "job": check.pk})
    apply = Job.objects.exclude(pk=check.pk).get()
    assert applied["Location"] == apply.get_absolute_url() and not apply.payload["dry_run"]
    assert sorted(Sentra.objects.values_list("name", flat=True)) == ["Sentra Dua", "Sentra Satu"]
    assert len(client.get(f"/sentra/import/?job={apply.pk}").context["result"].created) == 2

"""`/readyz` (#15): whether this app server can do its work. `/healthz` (dakportal/views.py) answers whether the
process and its database are up; `/readyz` checks each dependency and names the one that fails:

- database: `SELECT 1`;
- storage: a small file written and deleted through the default storage (MEDIA_ROOT, or shared storage later);
- worker: the task queue can be read, and a task worker beat recently (`worker_alive()`).

200 `{"status": "ready", "checks": {...}}`, or 503 `{"status": "unavailable", "checks": {...}}` when a check fails.
Each check is `{"status": "ok" | "failing" | "unknown", "detail"?}`; unknown does not fail readiness.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A worker that has not beaten for this long is taken for dead.
WORKER_HEARTBEAT_MAX_AGE = timedelta(minutes=2)

Check = dict[str, Any]


def _ok() -> Check:
    return {"status": "ok"}


def _failing(detail: str) -> Check:
    logger.warning("Readiness check failing: %s", detail)
    return {"status": "failing", "detail": detail}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, OSError, RuntimeError) as error:
        return _failing(f"database: {error.__class__.__name__}")
    return _ok()


def check_storage() -> Check:
    try:
        name = default_storage.save(f".readyz-{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError as error:
        return _failing(f"storage: {error.__class__.__name__}: {error.strerror or error}")
    return _ok()


def worker_alive() -> bool | None:
    """Whether a task worker beat within WORKER_HEARTBEAT_MAX_AGE (dakportal.jobs.models.WorkerHeartbeat: every
    `manage.py db_worker` beats every few seconds and removes its row when it stops). The one place that knows how
    the worker shows it is alive."""
    from dakportal.jobs.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.filter(seen__gte=timezone.now() - WORKER_HEARTBEAT_MAX_AGE).exists()


def check_worker() -> Check:
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.values_list("id").first()
        alive = worker_alive()
    except DatabaseError as error:
        return _failing(f"task queue: {error.__class__.__name__}")
    if alive is None:
        return {"status": "unknown", "detail": "the task queue answers; no worker heartbeat is recorded"}
    return _ok() if alive else _failing(f"worker: no task worker beat within {WORKER_HEARTBEAT_MAX_AGE.seconds} s")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database()}
    # The worker's check reads the database: when that is down it would only repeat its failure.
    database_up = checks["database"]["status"] == "ok"
    checks["worker"] = check_worker() if database_up else {"status": "unknown", "detail": "needs the database"}
    checks["storage"] = check_storage()
    ready = all(check["status"] != "failing" for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)

"""What the task worker does beside running tasks (#15), in a thread of `manage.py db_worker`:

- a heartbeat: `WorkerHeartbeat.seen` every HEARTBEAT seconds, which /readyz reads;
- recovery: a task marked running by a worker that has stopped beating (killed, out of memory, its machine gone)
  goes back to the queue, so a job survives a worker restart; a task that finished is never run again, and a
  running one is never taken twice (the queue hands each task out under a row lock);
- the schedule: each task of `settings.TASK_SCHEDULE` is enqueued when its interval has passed, by one worker
  (the schedule's row is locked while a worker decides), so reminders need no outside cron.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dakportal.jobs.models import ScheduleRun, WorkerHeartbeat

logger = logging.getLogger("dakportal.worker")
HEARTBEAT = 5  # seconds between heartbeats
STALE = timedelta(seconds=30)  # a worker not seen for this long is gone


def alive_workers() -> int:
    """How many workers beat within STALE (0: none is running)."""
    return WorkerHeartbeat.objects.filter(seen__gte=timezone.now() - STALE).count()


def beat(worker_id: str, started: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:200], "pid": os.getpid(), "started": started, "seen": now},
    )
    WorkerHeartbeat.objects.filter(seen__lt=now - timedelta(hours=1)).delete()


def requeue_orphans() -> int:
    """Put back in the queue the tasks still marked running by workers that stopped beating."""
    from django_tasks_db.models import DBTaskResult

    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} t SET status = 'READY', started_at = NULL
                WHERE t.status = 'RUNNING' AND t.started_at < now() - make_interval(secs => %s)
                  AND NOT EXISTS (SELECT 1 FROM {WorkerHeartbeat._meta.db_table} h
                                  WHERE h.worker_id = t.worker_ids ->> -1
                                    AND h.seen >= now() - make_interval(secs => %s))""",  # noqa: S608
            [STALE.total_seconds(), STALE.total_seconds()],
        )
        count: int = cursor.rowcount
    if count:
        logger.warning("requeued %d task(s) of workers that stopped", count)
    return count


def run_schedule(now: datetime | None = None) -> list[str]:
    """Enqueue the scheduled tasks that are due; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for name, seconds in settings.TASK_SCHEDULE.items():
        ScheduleRun.objects.get_or_create(name=name, defaults={"last_run": now - timedelta(seconds=seconds)})
        with transaction.atomic():
            row = ScheduleRun.objects.select_for_update(skip_locked=True).filter(name=name).first()
            if row is None or row.last_run + timedelta(seconds=seconds) > now:
                continue
            import_string(name).enqueue()
            row.last_run = now
            row.save(update_fields=["last_run"])
            enqueued.append(name)
    return enqueued


class Housekeeper(threading.Thread):
    """The heartbeat, recovery and schedule, every HEARTBEAT seconds until stopped."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="dakportal-housekeeper", daemon=True)
        self.worker_id, self.started = worker_id, timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id, self.started)
                requeue_orphans()
                run_schedule()
            except Exception:  # the database may be restarting: try again at the next beat
                logger.exception("worker housekeeping failed")
            self.stopping.wait(HEARTBEAT)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=HEARTBEAT * 2)

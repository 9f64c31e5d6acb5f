"""`manage.py db_worker`: django-tasks-db's worker plus the portal's housekeeping (dakportal/jobs/worker.py): a
heartbeat, recovery of tasks left running by a worker that stopped, and the schedule (#15)."""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from dakportal.jobs.worker import Housekeeper, requeue_orphans


class Command(DatabaseWorkerCommand):
    help = "Run the task worker: exports, e-mails and the schedule (reminders), with a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload, the parent process only watches files: the child that runs tasks keeps house.
        runs_tasks = not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        housekeeper = Housekeeper(options["worker_id"]) if runs_tasks else None
        if housekeeper is not None:
            requeue_orphans()
            housekeeper.start()
        try:
            super().handle(*args, **options)
        finally:
            if housekeeper is not None:
                housekeeper.stop()

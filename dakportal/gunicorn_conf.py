"""gunicorn's settings for DAK Portal (#15): `gunicorn -c python:dakportal.gunicorn_conf --bind HOST:PORT`.

./scripts/run starts it so (dakportal/supervisor.py); a production host does the same. Overrides: WEB_CONCURRENCY
(processes), WEB_THREADS (threads each), WEB_TIMEOUT (seconds).
"""

from __future__ import annotations

import os
from typing import Any

from dakportal.env import envint

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dakportal.settings")
wsgi_app = "dakportal.wsgi:application"
# Never all interfaces by accident (gunicorn binds 0.0.0.0 when PORT is set and --bind is not).
bind = [f"127.0.0.1:{envint('PORT', 8000, minimum=1, maximum=65535)}"]

# A request spends much of its time waiting on PostgreSQL: threads fill that wait, processes use the cores
# (Python runs one thread at a time per process). Two processes per core, four threads each.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = envint("WEB_CONCURRENCY", max(2, min(2 * _cores, 8)), minimum=1)
threads = envint("WEB_THREADS", 4, minimum=1)
worker_class = "gthread"
# The portal is loaded once, then the processes are forked from it: they start at once and share memory. No
# database connection is opened while loading (each process opens its own).
preload_app = True
# The slowest page, a PDF report, takes ~22 s on the benchmark machine; big exports run in the task worker.
timeout = envint("WEB_TIMEOUT", 120, minimum=10)
graceful_timeout = 20  # Ctrl-C waits at most this long for requests under way
keepalive = 5
max_requests, max_requests_jitter = 5000, 500  # a process that leaks memory is replaced now and then

# No control socket: its default path ($HOME/.gunicorn/gunicorn.ctl) is one per user, and two portals would share it.
control_socket_disable = True
# No access log: dakportal.observability's middleware writes one line per request, with more in it.
accesslog = None


def _logconfig() -> dict[str, Any]:
    """gunicorn's own lines (start, worker timeouts) in the portal's log format (LOG_FORMAT, settings)."""
    from django.conf import settings

    formatter = f"dakportal.observability.logs.{settings.LOG_FORMAT.capitalize()}Formatter"
    return {
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "portal", "stream": "ext://sys.stderr"}
        },
        "formatters": {"portal": {"()": formatter}},
    }


logconfig_dict = _logconfig()


def child_exit(server: Any, worker: Any) -> None:
    """A worker process is gone: its live gauges leave the metrics (prometheus_client's multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]

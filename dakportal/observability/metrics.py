"""`/metrics` (#15): Prometheus metrics for the portal's allowed scrapers only.

- requests by view, method and status, and their latency by view (counted by observability.middleware);
- database queries, their duration and errors, by connection (a wrapper on every connection, from apps.py);
- the task queue, read from django-tasks-db's table at scrape time: tasks waiting, running and failed, by queue,
  and the age of the oldest one due.

The names are django-prometheus's, so its dashboards work. django-prometheus itself is not used: 2.5, the latest,
declares `Django<6.1` and pip refuses to install it beside Django 6.1.

gunicorn serves with several processes, each with its own counters. With PROMETHEUS_MULTIPROC_DIR set (./scripts/run
sets it under DATA_DIR and empties it at start; gunicorn_conf.py marks exited workers), each process writes its
values there and a scrape adds up all of them. Without it (runserver alone, tests) a scrape shows the one process.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

# The multi-process directory is made by ./scripts/run before it serves; a management command run with the same
# environment (`check --deploy`, a query timed before any serving) would otherwise fail on the missing folder.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------------------
# Requests and queries
# ---------------------------------------------------------------------------------------------------------------------
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, float("inf"))
_responses = Counter(
    "django_http_responses_total_by_status_view_method",
    "Responses by status, view and method.",
    ["status", "view", "method"],
)
_latency = Histogram(
    "django_http_requests_latency_seconds_by_view_method",
    "Time from the request to its response, by view and method.",
    ["view", "method"],
    buckets=_LATENCY_BUCKETS,
)
_queries = Counter("django_db_execute_total", "Database queries run, by connection.", ["alias", "vendor"])
_query_seconds = Histogram(
    "django_db_query_duration_seconds", "Time the database queries took, by connection.", ["alias", "vendor"]
)
_query_errors = Counter(
    "django_db_errors_total", "Database queries that failed, by connection and error.", ["alias", "vendor", "type"]
)
# Only real methods become labels: a made-up one must not grow the metrics without bound.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def count_request(view: str | None, method: str, status: int, seconds: float) -> None:
    """One answered request. `view` is the URL name (None when no URL matched: static files, 404s)."""
    view_label = view or "<unresolved>"
    method_label = method if method in _METHODS else "<other>"
    _responses.labels(str(status), view_label, method_label).inc()
    _latency.labels(view_label, method_label).observe(seconds)


def count_queries(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Every new database connection counts and times its queries (connected to `connection_created`)."""
    if _timed not in connection.execute_wrappers:
        connection.execute_wrappers.append(_timed)


def _timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    connection = context["connection"]
    labels = (connection.alias, connection.vendor)
    _queries.labels(*labels).inc(len(params) if many and hasattr(params, "__len__") else 1)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception as error:
        _query_errors.labels(*labels, type(error).__name__).inc()
        raise
    finally:
        _query_seconds.labels(*labels).observe(time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------------------------------
# Scraping
# ---------------------------------------------------------------------------------------------------------------------

# Headers a reverse proxy adds: a request carrying one came through a proxy, so its REMOTE_ADDR (the proxy's,
# often 127.0.0.1) says nothing about the caller. Such a request needs the token.
_FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def may_scrape(request: HttpRequest) -> bool:
    """A caller may read the metrics with `Authorization: Bearer <METRICS_TOKEN>`, or directly (not through a
    proxy) from an address in METRICS_ALLOWED_IPS (default: this machine)."""
    token = settings.METRICS_TOKEN
    authorization = request.headers.get("Authorization", "")
    if token and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization.removeprefix("Bearer ").strip().encode(), token.encode())
    if any(header in request.headers for header in _FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_IPS)


class TaskQueueCollector:
    """The task queue (django-tasks-db's DBTaskResult), read when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        from django.tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        depth = GaugeMetricFamily("dakportal_task_queue_depth", "Tasks waiting to run, by queue.", labels=["queue"])
        running = GaugeMetricFamily("dakportal_tasks_running", "Tasks running now, by queue.", labels=["queue"])
        failed = GaugeMetricFamily(
            "dakportal_tasks_failed", "Failed tasks whose results are kept, by queue.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "dakportal_task_oldest_ready_age_seconds", "Age of the oldest task due to run and waiting, by queue.",
            labels=["queue"],
        )  # fmt: skip
        up = GaugeMetricFamily("dakportal_task_queue_up", "1 when the task queue could be read.")
        now = timezone.now()
        try:
            rows = list(
                DBTaskResult.objects.values("queue_name").annotate(
                    ready=Count("id", filter=Q(status=TaskResultStatus.READY)),
                    running=Count("id", filter=Q(status=TaskResultStatus.RUNNING)),
                    failed=Count("id", filter=Q(status=TaskResultStatus.FAILED)),
                    oldest_due=Min("run_after", filter=Q(status=TaskResultStatus.READY, run_after__lte=now)),
                )
            )
        except DatabaseError:
            logger.warning("The task queue could not be read for the metrics.", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        for row in rows:
            queue = [row["queue_name"]]
            depth.add_metric(queue, row["ready"])
            running.add_metric(queue, row["running"])
            failed.add_metric(queue, row["failed"])
            due = row["oldest_due"]
            oldest.add_metric(queue, (now - due).total_seconds() if due else 0)
        up.add_metric([], 1)
        yield from (depth, running, failed, oldest, up)


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format; 404 for a caller that may not scrape (the address does not give itself away)."""
    if not may_scrape(request):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every gunicorn process's values, added up
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REGISTRY)  # this process's own
    registry.register(TaskQueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

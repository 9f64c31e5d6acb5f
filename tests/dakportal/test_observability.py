"""Observability (#15): the request id and its JSON log line, /metrics for allowed callers only, /readyz."""

from __future__ import annotations

import ipaddress
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from dakportal.observability import current_request_id, request_id_context
from dakportal.observability.logs import JsonFormatter, TextFormatter

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------------------------
# Request id and log lines
# ---------------------------------------------------------------------------------------------------------------------
def request_line(caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    (record,) = [record for record in caplog.records if record.name == "dakportal.request"]
    return json.loads(JsonFormatter().format(record))


def test_each_request_is_one_json_log_line_with_its_id(client: Client, cast: Any, caplog: Any) -> None:
    client.force_login(cast.analyst)
    with caplog.at_level(logging.INFO, logger="dakportal.request"):
        response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c")
    line = request_line(caplog)
    assert response["X-Request-ID"] == "lb-7f3a9c"
    assert line["request_id"] == "lb-7f3a9c" and line["level"] == "INFO" and line["message"] == "GET / 200"
    assert (line["method"], line["path"], line["status"], line["view"]) == ("GET", "/", 200, "dashboard")
    assert line["user_id"] == cast.analyst.pk and line["duration_ms"] > 0


@pytest.mark.parametrize("given", ["", "has space", "x" * 200, "new\nline", '{"json": 1}'])
def test_a_missing_or_odd_request_id_is_replaced(client: Client, caplog: Any, given: str) -> None:
    with caplog.at_level(logging.INFO, logger="dakportal.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    generated = response["X-Request-ID"]
    assert generated != given and len(generated) == 32 and int(generated, 16) >= 0
    line = request_line(caplog)
    assert line["request_id"] == generated and line["user_id"] is None  # /healthz never looks the user up


def test_the_request_id_is_known_while_the_request_runs(client: Client) -> None:
    seen = []
    with mock.patch("dakportal.observability.metrics.count_request", side_effect=lambda *a: seen.append(
        current_request_id())):  # fmt: skip
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert seen == ["abc-123"] and response["X-Request-ID"] == "abc-123"
    assert current_request_id() is None  # and forgotten after it


def test_other_log_lines_carry_the_request_id_in_both_formats() -> None:
    record = logging.LogRecord("monev.tasks", logging.WARNING, __file__, 1, "export %s done", ("42",), None)
    with request_id_context("task-req-1"):
        as_json = json.loads(JsonFormatter().format(record))
        as_text = TextFormatter().format(record)
    assert as_json["request_id"] == "task-req-1" and as_json["message"] == "export 42 done"
    assert "WARNING monev.tasks [task-req-1] export 42 done" in as_text


def test_a_server_error_is_logged_as_an_error_with_its_traceback_field(caplog: Any) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /x/", extra={"status_code": 500})
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["level"] == "ERROR" and line["status_code"] == 500 and "ValueError: boom" in line["exc"]


# ---------------------------------------------------------------------------------------------------------------------
# /metrics
# ---------------------------------------------------------------------------------------------------------------------
def sample(body: str, series: str) -> float:
    """The value of one series (`name{labels}`) in a scrape; 0 when absent."""
    values = [float(line.rsplit(" ", 1)[1]) for line in body.splitlines() if line.startswith(series + " ")]
    return values[0] if values else 0.0


def test_metrics_count_requests_by_view_and_status_and_the_database_queries(client: Client) -> None:
    responses = 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="healthz"}'
    latency = 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="healthz"}'
    queries = 'django_db_execute_total{alias="default",vendor="postgresql"}'
    before = client.get("/metrics").content.decode()
    client.get("/healthz")  # SELECT 1
    after = client.get("/metrics").content.decode()
    assert sample(after, responses) == sample(before, responses) + 1
    assert sample(after, latency) == sample(before, latency) + 1
    assert sample(after, queries) >= sample(before, queries) + 1


def test_metrics_show_the_task_queue(client: Client) -> None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()

    def result(status: str, queue: str = "default", **fields: Any) -> None:
        DBTaskResult.objects.create(
            status=status, queue_name=queue, backend_name="default", task_path="monev.tasks.export",
            args_kwargs={"args": [], "kwargs": {}}, run_after=now - timedelta(minutes=5), exception_class_path="",
            traceback="", **fields,
        )  # fmt: skip

    for _ in range(3):
        result(TaskResultStatus.READY)
    result(TaskResultStatus.READY, queue="exports")
    result(TaskResultStatus.RUNNING)
    result(TaskResultStatus.FAILED, queue="exports")
    result(TaskResultStatus.SUCCESSFUL)
    body = client.get("/metrics").content.decode()
    assert 'dakportal_task_queue_depth{queue="default"} 3.0' in body
    assert 'dakportal_task_queue_depth{queue="exports"} 1.0' in body
    assert 'dakportal_tasks_running{queue="default"} 1.0' in body
    assert 'dakportal_tasks_failed{queue="exports"} 1.0' in body
    age = next(
        line for line in body.splitlines() if line.startswith('dakportal_task_oldest_ready_age_seconds{queue="d')
    )
    assert 290 < float(age.split()[-1]) < 400
    assert "dakportal_task_queue_up 1.0" in body


@pytest.mark.parametrize(
    ("address", "headers", "status"),
    [
        ("127.0.0.1", {}, 200),
        ("::1", {}, 200),
        ("203.0.113.5", {}, 404),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}, 404),  # came through a proxy: the token is needed
        ("203.0.113.5", {"HTTP_AUTHORIZATION": "Bearer metrics-token-0123456789"}, 200),
        ("203.0.113.5", {"HTTP_AUTHORIZATION": "Bearer wrong"}, 404),
        ("127.0.0.1", {"HTTP_AUTHORIZATION": "Bearer wrong"}, 404),  # a wrong token is not rescued by the address
        ("10.1.2.3", {}, 200),
    ],
    ids=["loopback", "loopback-v6", "elsewhere", "proxied", "token", "wrong-token", "wrong-token-local", "network"],
)
def test_metrics_answer_only_allowed_addresses_or_the_token(
    client: Client, settings: Any, address: str, headers: dict[str, str], status: int
) -> None:
    settings.METRICS_TOKEN = "metrics-token-0123456789"
    settings.METRICS_ALLOWED_IPS = [*settings.METRICS_ALLOWED_IPS, ipaddress.ip_network("10.0.0.0/8")]
    response = client.get("/metrics", REMOTE_ADDR=address, **headers)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/plain")


def test_without_a_token_setting_no_bearer_header_opens_the_metrics(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_settings_refuse_what_is_not_an_address(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from dakportal.env import envnetworks

    monkeypatch.setenv("METRICS_ALLOWED_IPS", "127.0.0.1, 10.0.0.0/8, ::1")
    assert [str(n) for n in envnetworks("METRICS_ALLOWED_IPS", [])] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    monkeypatch.setenv("METRICS_ALLOWED_IPS", "127.0.0.1, prometheus.internal")
    with pytest.raises(ImproperlyConfigured, match="'prometheus.internal', which is not an IP address or network"):
        envnetworks("METRICS_ALLOWED_IPS", [])


# ---------------------------------------------------------------------------------------------------------------------
# /readyz
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_readyz_is_ready_when_database_storage_and_a_worker_answer(client: Client, media: Path) -> None:
    from dakportal.jobs.worker import beat

    beat("w1", timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"database": {"status": "ok"}, "worker": {"status": "ok"}, "storage": {"status": "ok"}}
    assert list(media.iterdir()) == []  # the probe's file is gone


def test_readyz_is_503_when_the_database_does_not_answer(client: Client, media: Path) -> None:
    with mock.patch("dakportal.observability.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert response.json()["status"] == "unavailable"
    assert checks["database"] == {"status": "failing", "detail": "database: OperationalError"}
    assert checks["worker"]["status"] == "unknown" and checks["storage"] == {"status": "ok"}


def test_readyz_is_503_when_the_storage_cannot_be_written(client: Client, media: Path) -> None:
    error = PermissionError(13, "Permission denied")
    with mock.patch("dakportal.observability.health.default_storage.save", side_effect=error):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "failing"


@pytest.mark.parametrize(
    ("beat_ago", "status"), [(timedelta(seconds=20), 200), (timedelta(minutes=30), 503), (None, 503)]
)
def test_readyz_follows_the_worker_heartbeat(
    client: Client, media: Path, beat_ago: timedelta | None, status: int
) -> None:
    """A worker that beat lately: ready; one that stopped beating, or none running: not ready."""
    from dakportal.jobs.models import WorkerHeartbeat

    if beat_ago is not None:
        seen = timezone.now() - beat_ago
        WorkerHeartbeat.objects.create(worker_id="w1", host="app1", pid=1, started=seen, seen=seen)
    response = client.get("/readyz")
    assert response.status_code == status
    assert response.json()["checks"]["worker"]["status"] == ("ok" if status == 200 else "failing")


def test_healthz_keeps_its_contract(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}

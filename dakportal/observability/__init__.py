"""Observability (#15): request ids, structured logs, Prometheus metrics, the readiness probe.

Every request gets an id: the caller's `X-Request-ID` when it is sane, else a new one. It is echoed in the
response and carried by every log line written while the request runs. Code that enqueues a task passes
`current_request_id()` along; the task runs inside `request_id_context(that_id)`, so the worker's lines carry it too.

- `logs.py`: the JSON (production) and text (development) log formats;
- `middleware.py`: the request id and one log line per request;
- `metrics.py`: `/metrics` (django-prometheus, plus the task queue read at scrape time), for allowed callers only;
- `health.py`: `/readyz` (database, file storage, task worker).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request or a task that carries one)."""
    return _request_id.get()


@contextmanager
def request_id_context(request_id: str | None) -> Iterator[None]:
    """Run a block (a request, a task) under `request_id`: log lines written inside carry it."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)

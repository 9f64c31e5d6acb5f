"""Reads that may be a little behind go to the read replica; everything else goes to the primary (#15).

The rule, in one place: a read goes to the `replica` database only
- in a GET or HEAD request (pages, lists, reports, exports, the API's reads), or in code that opted in with
  `replica_reads()` (a task building a large export);
- that has not written (the router's `db_for_write` marks the request), outside any transaction;
- from a browser that has not written in the last REPLICA_PIN_SECONDS (a cookie set by the writing response): after
  a POST and its redirect the user sees what they just saved, however far the replica lags;
- and never for sessions, users, permissions, login throttling or the task queue: who someone is and what they
  may do is never read stale.
Everything else (POSTs, commands, the task worker, the shell, migrations) uses the primary. The router and the
middleware are installed only when DATABASE_REPLICA_URL is set (settings.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

PRIMARY, REPLICA = "default", "replica"
PIN_COOKIE = "dak_primary"
# App labels whose reads always go to the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "django_tasks_database", "jobs"})


@dataclass
class _Reads:
    replica: bool  # reads may go to the replica
    wrote: bool = False  # something was written: every later read goes to the primary


_reads: ContextVar[_Reads | None] = ContextVar("dakportal_reads", default=None)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if (
            reads is None
            or not reads.replica
            or reads.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block  # a transaction reads what it is about to write
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica receives the primary's schema by streaming replication


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads of this block (outside a request) go to the replica, until the block writes."""
    token = _reads.set(_Reads(replica=True))
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaMiddleware:
    """Marks GET and HEAD requests of browsers that have not just written as free to read the replica; pins a
    browser to the primary for REPLICA_PIN_SECONDS after a request that wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = _Reads(replica=request.method in ("GET", "HEAD") and PIN_COOKIE not in request.COOKIES)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote and settings.REPLICA_PIN_SECONDS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        if isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse):
            # An export streams after this returns: its queries keep this request's choice.
            response.streaming_content = _streaming(response.streaming_content, reads)
        return response


def _streaming(content: Iterator[Any], reads: _Reads) -> Iterator[Any]:
    _reads.set(reads)  # not a token: the server may close an abandoned stream from another context
    try:
        yield from content
    finally:
        _reads.set(None)

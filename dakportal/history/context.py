"""Who changed a row, from where and why (#9): the context that the history triggers record with each event.

The portal keeps the current context in a context variable. Entering `history_context(...)` adds to it; the
request middleware opens one per request (user, web/api/admin, path), `manage.py` one per command, and every
service one with its `acting_user` (`dakportal.services.service`). Each INSERT, UPDATE or DELETE that Django
sends is prefixed with `SELECT set_config('dakportal.history', <json>, true)`: a setting local to that
statement's transaction, which the trigger reads (empty when no context is open). A change made outside the
portal (psql) has no context and is recorded with the database session's application name as its source.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from psycopg2.extensions import QuotedString

SETTING = "dakportal.history"
_current: ContextVar[dict[str, Any] | None] = ContextVar("dakportal_history", default=None)
WRITES = ("INSERT", "UPDATE", "DELETE", "WITH")


@contextmanager
def history_context(**values: Any) -> Iterator[dict[str, Any]]:
    """Open (or narrow) the context: `user`, `source` ("web", "api", "admin", "command:<name>"), `reason`, `url`.
    Values given as None keep what the enclosing context says."""
    merged = {**(_current.get() or {}), **{key: value for key, value in values.items() if value is not None}}
    token = _current.set(merged)
    try:
        yield merged
    finally:
        _current.reset(token)


def current() -> dict[str, Any] | None:
    return _current.get()


def payload() -> str | None:
    """The current context as the JSON the trigger reads, the user resolved now (DRF authenticates a token
    after the middleware has run, and sets the user on the same request)."""
    context = _current.get()
    if not context:
        return None
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = getattr(context["request"], "user", None)
    authenticated = user is not None and bool(getattr(user, "is_authenticated", False))
    return json.dumps(
        {
            "user_id": user.pk if user is not None and authenticated else None,
            "username": user.get_username() if user is not None and authenticated else "",
            "source": context.get("source", ""),
            "reason": str(context.get("reason", ""))[:2000],
            "url": context.get("url", ""),
        }
    )


def _quoted(value: str) -> str:
    literal = QuotedString(value)
    literal.encoding = "utf8"
    return str(literal.getquoted().decode())


def _wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    if not (isinstance(sql, str) and sql.lstrip()[:6].upper().startswith(WRITES)):
        return execute(sql, params, many, context)
    # Every write states its context, an empty one included, so that a write made without a context never
    # inherits the one an earlier statement of the same transaction set.
    data = payload() or ""
    if many:
        # executemany runs each row in turn: set the context for the session, then clear it again.
        raw = context["cursor"].cursor
        raw.execute("SELECT set_config(%s, %s, false)", [SETTING, data])
        try:
            return execute(sql, params, many, context)
        finally:
            raw.execute("SELECT set_config(%s, '', false)", [SETTING])
    if params is None:
        return execute(f"SELECT set_config('{SETTING}', {_quoted(data)}, true); {sql}", params, many, context)
    prefix = f"SELECT set_config('{SETTING}', %s, true); "
    if isinstance(params, dict):
        return execute(prefix.replace("%s", "%(__history)s") + sql, {**params, "__history": data}, many, context)
    return execute(prefix + sql, [data, *params], many, context)


def install_wrapper(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Every database connection sends the context with its writes (connected to `connection_created`)."""
    if connection.vendor == "postgresql" and _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


class HistoryMiddleware:
    """Every request's changes are recorded with its user, its kind (web page, API, admin) and its path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        source = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        with history_context(request=request, source=source, url=path[:300]):
            return self.get_response(request)

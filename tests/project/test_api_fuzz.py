"""#10: a schema-driven fuzz run of the whole API (schemathesis against /api/schema/), with a ministry token and a
regional officer's token: no input makes a server error, and every answer is one the schema documents (its
status code and content type). Bounded to a few examples per operation, so it adds about a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dakportal.accounts.services import create_token
from dakportal.testing.users import make_cast


def _load_schema() -> Any:
    """The portal's own schema, called in-process through its WSGI application (serving it needs no database)."""
    from dakportal.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    # Random inputs only, a few per operation: schemathesis' coverage phase alone would take minutes.
    loaded.config.phases.coverage.enabled = False
    loaded.config.phases.examples.enabled = False
    return loaded


schema = _load_schema()


@pytest.fixture
def in_process(db: Any) -> Iterator[None]:
    """Like Django's test client, the fuzzed requests keep the test's database connection (and its transaction)
    open: no closing of connections at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """The cast and its two tokens, made once for the module's cases in a transaction rolled back at its end; each
    case runs in a savepoint of its own inside it (what it writes goes with it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        cast = make_cast()
        yield [create_token(user, name="fuzz", acting_user=user)[1] for user in (cast.ministry_staff, cast.officer_a)]
        transaction.set_rollback(True)


@schema.parametrize()
@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_a_server_error_and_every_answer_is_documented(
    case: Any, in_process: None, tokens: list[str]
) -> None:
    for key in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Token {key}"},
            checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        )

"""Settings from the environment (#2): typed helpers, production refusals, `check --deploy`, clear errors."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dakportal.env import envbool, envint, envsecret

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_envbool_refuses_a_value_that_is_not_yes_or_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a yes/no value"):
        envbool("DEBUG")


def test_envint_refuses_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT='eighty' is not a whole number"):
        envint("PORT", 8000)


def test_production_refuses_a_missing_or_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        envsecret("SECRET_KEY", debug=False)
    monkeypatch.setenv("SECRET_KEY", "django-insecure-" + "x" * 60)
    with pytest.raises(ImproperlyConfigured, match="placeholder"):
        envsecret("SECRET_KEY", debug=False)


def test_a_bad_setting_is_one_sentence_not_a_traceback() -> None:
    result = manage("check", DEBUG="perhaps")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: DEBUG='perhaps' is not a yes/no value: use 1 or 0 (also true/false, yes/no, on/off)."
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="dak.example.go.id")
    assert result.returncode == 2 and "SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="dak.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("command", ["dbcheck", "setup_portal"])
def test_a_database_url_that_does_not_answer_is_one_clear_sentence(command: str) -> None:
    result = manage(command, DEBUG="1", DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing")
    assert result.returncode == 1
    assert "Cannot connect to PostgreSQL at 127.0.0.1:1/nothing" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    result = manage("check", DEBUG="1", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode == 2 and "must be a PostgreSQL URL" in result.stderr

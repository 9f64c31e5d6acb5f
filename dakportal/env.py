"""Typed readers for settings from the environment (#2).

Each helper returns a value of one type or raises ImproperlyConfigured with one sentence that names the
variable, what it holds and what it should hold. Only `dakportal/settings.py` (and gunicorn_conf.py) call them.
"""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# Values that are never a real secret: Django's placeholder, our development key, anything short.
DEVELOPMENT_SECRET_KEY = "dakportal-development-only-not-secret"  # noqa: S105
_MIN_SECRET_LENGTH = 50


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1 or 0 (also true/false, yes/no, on/off).")


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number: set it to a number such as {default}."
        ) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is out of range: it must be between {minimum} and {maximum}.")
    return value


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def envnetworks(name: str, default: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated IP addresses or networks (`127.0.0.1, 10.0.0.0/8`)."""
    networks = []
    for item in envlist(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} has {item!r}, which is not an IP address or network: use e.g. 127.0.0.1 or 10.0.0.0/8."
            ) from None
    return networks


def envsecret(name: str, *, debug: bool) -> str:
    """A real secret in production; the development key is accepted only with DEBUG on."""
    value = envstr(name)
    if debug:
        return value or DEVELOPMENT_SECRET_KEY
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: production (DEBUG off) needs a random {name} of at least {_MIN_SECRET_LENGTH} "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`, or DEBUG=1 for "
            "development."
        )
    if value == DEVELOPMENT_SECRET_KEY or value.startswith("django-insecure") or len(set(value)) < 5:
        raise ImproperlyConfigured(f"{name} is a placeholder, not a secret: set a random value for production.")
    if len(value) < _MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short ({len(value)} characters): production needs at least {_MIN_SECRET_LENGTH}."
        )
    return value

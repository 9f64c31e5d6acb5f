"""Typed readers for settings from the environment (#2).

Each helper returns a value of one type or raises ImproperlyConfigured with one sentence that names the
variable, what it holds and what it should hold. Only `dakportal/settings.py` (and gunicorn_conf.py) call them.
"""

from __future__ import annotations

import ipaddress
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

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


def envstorage(name: str, *, media_root: Path) -> tuple[dict[str, Any], Path]:
    """#15: where uploaded files live, from a URL; returns Django's storage entry and the MEDIA_ROOT to use.

    Unset: a folder on this host (`media_root`). `file:///srv/dak/media`: a folder that several app servers share
    (NFS). `s3://bucket/prefix?endpoint_url=https://...&region=...`: S3-compatible object storage through
    django-storages (the optional `s3` dependencies); credentials come from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, as boto3 reads them, never from the URL."""
    raw = envstr(name)
    filesystem = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not raw:
        return filesystem, media_root
    url = urlsplit(raw)
    if url.scheme == "file":
        if url.netloc or not url.path.startswith("/") or url.query:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a folder URL: write it as file:///absolute/folder.")
        return filesystem, Path(unquote(url.path))
    if url.scheme != "s3":
        raise ImproperlyConfigured(f"{name}={raw!r} is not supported: use file:///folder or s3://bucket/prefix.")
    if not url.netloc or url.username or url.password:
        raise ImproperlyConfigured(
            f"{name}={raw!r} needs a bucket (s3://bucket/prefix) and no credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY instead."
        )
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    unknown = set(query) - {"endpoint_url", "region"}
    if unknown:
        raise ImproperlyConfigured(
            f"{name} has unknown parameters ({', '.join(sorted(unknown))}): only endpoint_url and region are read."
        )
    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ImproperlyConfigured(
            f"{name} is an s3:// URL but django-storages and boto3 are not installed: pip install '.[s3]'."
        )
    options: dict[str, Any] = {
        "bucket_name": url.netloc,
        "location": url.path.strip("/"),
        "file_overwrite": False,  # like the file system: a name in use gets a suffix, never overwrites a file
        "default_acl": None,  # private objects: files are served only through the scoped views
        "querystring_auth": True,
    }
    if query.get("endpoint_url"):
        options["endpoint_url"] = query["endpoint_url"]
    if query.get("region"):
        options["region_name"] = query["region"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_root

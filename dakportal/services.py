"""Helpers shared by every app's services (STYLE.md convention 7)."""

from __future__ import annotations

from django.db import models


def validated_save[M: models.Model](obj: M) -> M:
    """Validate with the model's own rules (clean(), field validators, constraints), then save. Every service
    saves through this, so a form, the API, an import and the admin get the same messages."""
    obj.full_clean()
    obj.save()
    return obj


class Conflict(Exception):
    """Someone else changed the record since the caller saw it (HTTP 409 in the API)."""

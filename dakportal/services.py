"""Helpers shared by every app's services (STYLE.md convention 7; #9).

- `@service` makes a function a domain write: one transaction, and every row it changes is recorded in the
  history with its `acting_user` (also when called from the admin, an import or a management command).
- `validated_save` is the one way a service saves a record: the model's own rules first, then, for a record
  with a `version`, the optimistic check: the record's `version` is the one the edit was based on; if the row
  has moved on since, `Conflict` (HTTP 409) names who changed it and when, and nothing is saved.
- `delete_record` deletes what nothing points at, and otherwise raises `Blocked` with what blocks it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dakportal.history.context import history_context


def service[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` in one transaction, its changes recorded with the `acting_user` keyword argument (and a
    `reason` keyword argument, where the function takes one)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        reason = kwargs.get("reason")
        with transaction.atomic(), history_context(user=kwargs.get("acting_user"), reason=reason or None):
            return function(*args, **kwargs)

    return wrapper


class Conflict(Exception):
    """Someone else changed the record since the caller saw it (HTTP 409 in the API, a message on a page)."""

    def __init__(self, message: str, *, version: int | None = None, by: str = "", at: datetime | None = None):
        super().__init__(message)
        self.version, self.by, self.at = version, by, at

    def as_dict(self) -> dict[str, Any]:
        return {
            "detail": str(self),
            "version": self.version,
            "changed_by": self.by or None,
            "changed_at": timezone.localtime(self.at).isoformat() if self.at else None,
        }


def is_versioned(obj: models.Model | type[models.Model]) -> bool:
    return any(field.name == "version" for field in obj._meta.concrete_fields)


def stale(obj: models.Model, current_version: int) -> Conflict:
    """The conflict for an edit of `obj` based on an older version: who made the latest change, and when."""
    from dakportal.history.models import Event

    last = Event.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-id").first()
    by = (last.username or last.source) if last else ""
    at = last.at if last else None
    if last:
        message = _(
            "%(object)s was changed by %(user)s at %(time)s after you opened it (now version %(version)d). "
            "Reload it, check the changes, and apply yours again."
        ) % {
            "object": obj,
            "user": by,
            "time": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT"),
            "version": current_version,
        }
    else:
        message = _("%(object)s was changed after you opened it (now version %(version)d): reload it.") % {
            "object": obj,
            "version": current_version,
        }
    return Conflict(message, version=current_version, by=by, at=at)


def locked[M: models.Model](obj: M, version: int | None = None) -> M:
    """The record read again under a row lock, for a workflow step to change it: `version`, when given, must still
    be its version (else `Conflict`, who changed it and when)."""
    current = type(obj)._base_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    if version is not None and current.version != version:  # type: ignore[attr-defined]
        raise stale(current, current.version)  # type: ignore[attr-defined]
    return current


def check_version(obj: models.Model, based_on: Any) -> None:
    """Raise `Conflict` if `based_on` is not the version of `obj` as last read (a quick check before any other;
    `validated_save` checks again under a row lock)."""
    if based_on is not None and based_on != obj.version:  # type: ignore[attr-defined]
        raise stale(obj, obj.version)  # type: ignore[attr-defined]


def validated_save[M: models.Model](obj: M) -> M:
    """Validate with the model's own rules (clean(), field validators, constraints), then save. Every service
    saves through this, so a form, the API, an import and the admin get the same messages. A versioned record
    is saved only if its `version` is still the database's (under a row lock), and leaves with version + 1. A
    voided money record is final."""
    if getattr(obj, "voided_at", None) is not None:
        raise ValidationError(_("This record is voided: it can no longer change."))
    obj.full_clean()
    if is_versioned(obj) and not obj._state.adding:
        with transaction.atomic():
            rows = type(obj)._base_manager.select_for_update().filter(pk=obj.pk)
            current = rows.values_list("version", flat=True).first()
            if current is not None and current != obj.version:  # type: ignore[attr-defined]
                raise stale(obj, current)
            obj.version = (current or 0) + 1  # type: ignore[attr-defined]
            _save(obj)
        return obj
    _save(obj)
    return obj


def _save(obj: models.Model) -> None:
    """Save; a unique constraint that another writer took between our check and our insert (two officers
    submitting the same report at the same moment) is the same 400 as the check would have given, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        for constraint in obj._meta.constraints:
            if constraint.name == name:
                raise ValidationError(constraint.get_violation_error_message(), code="unique") from None
        raise ValidationError(_("This conflicts with a record saved at the same moment: try again.")) from None


class Blocked(Exception):
    """A delete refused because other records point to the object (HTTP 409 with `blocked_by`)."""

    def __init__(self, obj: models.Model, blocked_by: dict[str, int], names: list[str]):
        self.obj, self.blocked_by = obj, blocked_by
        super().__init__(
            _("%(object)s cannot be deleted while %(blockers)s point to it.")
            % {"object": obj, "blockers": ", ".join(names)}
        )


def blocked(obj: models.Model, error: ProtectedError | RestrictedError) -> Blocked:
    """What blocks deleting `obj`: a count per kind of record, keyed by the name of the relation
    (`{"contracts": 1, "realisations": 4}`)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for other in error.args[1]:
        key = _relation_name(type(other), type(obj))
        counts[key] += 1
        names[key] = str(other._meta.verbose_name_plural)
    return Blocked(obj, dict(sorted(counts.items())), [names[key] for key in sorted(names)])


def _relation_name(model: type[models.Model], target: type[models.Model]) -> str:
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is target:
            accessor = field.remote_field.get_accessor_name()  # type: ignore[union-attr]
            if accessor and not field.remote_field.hidden:  # type: ignore[union-attr]
                return accessor
    return str(model._meta.model_name)


@service
def void_record[M: models.Model](obj: M, *, reason: str, acting_user: Any, version: int | None = None) -> M:
    """Void a wrong money record (a contract, a disbursement, a realisation): it stays, marked with who voided it,
    when and why, and leaves every total. The reason is required; a voided record is final."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this record is voided.")]})
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if version is not None and version != current.version:  # type: ignore[attr-defined]
        raise stale(current, current.version)  # type: ignore[attr-defined]
    if current.voided_at is not None:  # type: ignore[attr-defined]
        raise ValidationError(_("This record is already voided."))
    current.voided_at, current.voided_by, current.void_reason = timezone.now(), acting_user, reason.strip()  # type: ignore[attr-defined]
    current.version += 1  # type: ignore[attr-defined]
    current.save(update_fields=["voided_at", "voided_by", "void_reason", "version", "last_updated"])
    return current


def delete_record(obj: models.Model) -> None:
    """Delete `obj` if nothing points to it (the row's last values stay in the history), else raise `Blocked`."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        raise blocked(obj, error) from None

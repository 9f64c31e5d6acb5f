"""The change log (#9). Rows are written only by the PostgreSQL triggers of `triggers.py`, never by the portal,
and a trigger refuses to change or delete them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import sees_personal_data
from dakportal.history.querysets import EventQuerySet
from dakportal.validators import mask_nik


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class Event(models.Model):
    """One created, changed or deleted row: when, who (user, or the command or program), what (`changes`:
    {column: [old, new]}; all values of a created or deleted row) and why (`reason`, where the workflow asks
    one). `regency` is the row's kab/kota at the time, for scoping; `parent_*` the record it belongs to (a
    contract's allocation), so a detail page's history includes its parts."""

    at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)
    model = models.CharField(_("kind of record"), max_length=100)
    object_id = models.CharField(_("record"), max_length=40)
    label = models.CharField(_("name"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=6, choices=Action)
    changes = models.JSONField(_("changes"), default=dict)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+",
        verbose_name=_("kab/kota"),
    )  # fmt: skip
    parent_model = models.CharField(max_length=100, blank=True)
    parent_id = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+",
        verbose_name=_("user"),
    )  # fmt: skip
    username = models.CharField(_("user"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    url = models.CharField(max_length=300, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change")
        verbose_name_plural = _("history")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["model", "object_id", "-id"], name="history_object"),
            models.Index(fields=["parent_model", "parent_id", "-id"], name="history_parent"),
            models.Index(fields=["regency", "-id"], name="history_regency"),
            models.Index(fields=["user", "-id"], name="history_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.model} {self.object_id} {self.action}"

    def changes_for(self, user: Any) -> dict[str, Any]:
        """The changes as `user` may read them: the record's personal data (its model's `personal_fields`, an
        owner's NIK) masked for anyone who would see it masked on the record itself (#3)."""
        from dakportal.history.registry import tracked_model

        model = tracked_model(self.model)
        personal = getattr(model, "personal_fields", ())
        if not personal or sees_personal_data(user, self.regency_id):
            return dict(self.changes)
        return {
            column: [mask_nik(str(value)) if value else value for value in values] if column in personal else values
            for column, values in self.changes.items()
        }

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The record of every change (#9): PostgreSQL triggers write one event per created, changed or deleted row of
    every tracked model, with who, when, what and why. The portal only reads it."""

    name = "dakportal.history"
    label = "history"
    verbose_name = _("History")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from dakportal.history import context, triggers

        connection_created.connect(context.install_wrapper, dispatch_uid="history-context")
        post_migrate.connect(triggers.install, sender=self, dispatch_uid="history-triggers")

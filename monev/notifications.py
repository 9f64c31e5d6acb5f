"""In-app notifications and their e-mail twins (#5). Sent after the transaction commits (Zulip's rule), so a
rolled-back action notifies nobody."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet

from dakportal.accounts.choices import Role
from dakportal.accounts.models import User
from monev.models import Notification

logger = logging.getLogger(__name__)


def officers_of(regency_code: str) -> QuerySet[User]:
    """The active regional officers of a kab/kota and the provincial officers of its province."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.REGIONAL, regencies__code=regency_code)
            | Q(role=Role.PROVINCIAL, provinces__code=regency_code[:2])
        )
        .distinct()
    )


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=role)


def notify(users: Iterable[Any], text: str, url: str = "") -> None:
    """Queue an in-app notification and an e-mail for each user, once the current transaction commits."""
    recipients = list(users)

    def send() -> None:
        Notification.objects.bulk_create([Notification(user=user, text=text, url=url) for user in recipients])
        for user in recipients:
            if not user.email:
                continue
            message = EmailMessage(
                "DAK Portal: " + text[:120], f"{text}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [user.email]
            )
            try:
                message.send()
            except OSError:
                logger.warning("could not e-mail %s: %s", user.email, text)  # the in-app notification stands

    transaction.on_commit(send)

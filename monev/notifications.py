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


def team_of(assignment: Any, roles: Iterable[str] | None = None) -> QuerySet[User]:
    """#13: the active members of the team of a surat tugas, or those holding one of `roles`."""
    members = User.objects.filter(is_active=True, assignment_roles__assignment=assignment)
    if roles is not None:
        members = members.filter(assignment_roles__role__in=list(roles))
    return members.distinct()


def notify(users: Iterable[Any], text: str, url: str = "") -> None:
    """Queue an in-app notification and an e-mail for each user, once the current transaction commits. The
    e-mails go out from the task worker (#15): a slow or absent mail server never slows a request."""
    from monev.tasks import send_emails

    recipients = list(users)

    def send() -> None:
        Notification.objects.bulk_create([Notification(user=user, text=text, url=url) for user in recipients])
        addresses = [user.email for user in recipients if user.email]
        if addresses:
            send_emails.enqueue(addresses, text, url)

    transaction.on_commit(send)


def send_emails_now(addresses: list[str], text: str, url: str) -> int:
    """One e-mail per address; a failure is logged and the in-app notification stands. Returns how many went."""
    sent = 0
    for address in addresses:
        message = EmailMessage("DAK Portal: " + text[:120], f"{text}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [address])
        try:
            message.send()
            sent += 1
        except OSError:
            logger.warning("could not e-mail %s: %s", address, text)
    return sent

"""Tasks of monev (#15), run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task
def send_emails(addresses: list[str], text: str, url: str) -> int:
    from monev.notifications import send_emails_now

    return send_emails_now(addresses, text, url)


@task
def send_reminders() -> int:
    """Scheduled hourly by the worker (settings.TASK_SCHEDULE); each reminder is sent once."""
    from monev.reminders import send_reminders as send

    return send()

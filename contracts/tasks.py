"""Celery tasks of the contracts app. Thin: they call one function."""

from celery import shared_task

from contracts import finding_reminders


@shared_task(name="contracts.tasks.send_finding_reminders")
def send_finding_reminders():
    """Periodic (beat, daily): findings due soon and overdue, to their owners. Safe to
    run twice."""
    return finding_reminders.send_finding_reminders()

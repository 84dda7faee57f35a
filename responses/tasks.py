"""Celery tasks of the responses app. Thin: they call one function."""

from celery import shared_task

from responses import reminders


@shared_task(name="responses.tasks.send_response_reminders")
def send_response_reminders():
    """Periodic (beat, daily): due and overdue reminders to respondents. Safe to run twice."""
    return reminders.send_response_reminders()

"""Celery tasks of the contracts app (beat, daily). Thin: each calls one function."""

from celery import shared_task

from contracts import finding_reminders, reassessments, reminders


@shared_task(name="contracts.tasks.open_due_reassessments")
def open_due_reassessments():
    """Open the reassessment rounds due today. Safe to run twice: one round per due date."""
    return reassessments.open_due_rounds()


@shared_task(name="contracts.tasks.send_contract_reminders")
def send_contract_reminders():
    """Notice, renewal and reassessment reminders to admins. Safe to run twice."""
    return reminders.send_contract_reminders()


@shared_task(name="contracts.tasks.send_finding_reminders")
def send_finding_reminders():
    """Findings due soon and overdue, to their owners. Safe to run twice."""
    return finding_reminders.send_finding_reminders()

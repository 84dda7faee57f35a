"""Reminders to respondents before and after the due date: once each, ever."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from responses.models import ResponseContact, ResponseRequest
from responses.reminders import send_response_reminders
from responses.tasks import send_response_reminders as task
from tests.responses.helpers import make_sourcing, send_request


@pytest.fixture
def request_due(admin_client, settings):
    settings.RESPONSE_REMINDER_DAYS = 3
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.first()
    contacts = [
        {"name": "Ann", "email": "ann@vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    created = send_request(admin_client, evaluation, candidate, contacts=contacts)
    return ResponseRequest.objects.get(pk=created["id"])


def _reminders(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("to_email", flat=True))


def test_due_then_overdue_once_each_whatever_the_runs(request_due):
    due = request_due.due_date
    assert send_response_reminders(due - timedelta(days=4)) == {"due": 0, "overdue": 0}
    assert send_response_reminders(due - timedelta(days=3)) == {"due": 2, "overdue": 0}
    send_response_reminders(due - timedelta(days=2))
    send_response_reminders(due)
    assert _reminders(Kind.RESPONSE_DUE) == ["ann@vendor.example", "bo@vendor.example"]
    send_response_reminders(due + timedelta(days=1))
    send_response_reminders(due + timedelta(days=2))
    assert _reminders(Kind.RESPONSE_OVERDUE) == ["ann@vendor.example", "bo@vendor.example"]
    mail = Notification.objects.filter(kind=Kind.RESPONSE_OVERDUE).first()
    assert "notification-preferences" not in mail.body_text
    assert due.isoformat() in mail.subject


def test_a_new_due_date_starts_over(request_due):
    send_response_reminders(request_due.due_date)
    request_due.due_date += timedelta(days=7)
    request_due.save()
    send_response_reminders(request_due.due_date)
    assert len(_reminders(Kind.RESPONSE_DUE)) == 4


def test_nobody_is_reminded_of_a_submitted_response_or_with_a_dead_link(request_due):
    ResponseContact.objects.filter(email="ann@vendor.example").update(revoked_at=timezone.now())
    ResponseContact.objects.filter(email="bo@vendor.example").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    send_response_reminders(request_due.due_date)
    assert _reminders(Kind.RESPONSE_DUE) == []
    ResponseContact.objects.update(revoked_at=None, expires_at=timezone.now() + timedelta(days=1))
    ResponseRequest.objects.update(status="submitted")
    send_response_reminders(request_due.due_date + timedelta(days=1))
    assert _reminders(Kind.RESPONSE_OVERDUE) == []


def test_the_beat_task_runs_today(request_due, settings):
    settings.RESPONSE_REMINDER_DAYS = 30
    assert task.delay().get() == {"due": 2, "overdue": 0}
    assert task.delay().get() == {"due": 2, "overdue": 0}  # recorded, not sent twice
    assert len(_reminders(Kind.RESPONSE_DUE)) == 2
    assert "responses-send-reminders" in settings.CELERY_BEAT_SCHEDULE

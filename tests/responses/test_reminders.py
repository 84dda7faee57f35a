"""Reminders to respondents before and after the due date: once each, ever."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from responses.models import ResponseContact, ResponseRequest
from responses.reminders import remind, send_response_reminders
from responses.tasks import send_response_reminders as task
from tests.mail import mail_to
from tests.responses.helpers import LINK, link_token, make_sourcing, send_request


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


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (url,) = [match.group(0) for match in LINK.finditer(text)]
    assert url in html, "the HTML part links elsewhere than the text part"
    return url


def test_a_reminder_carries_a_working_link_and_retires_the_old_one(
    request_due, smtp_server, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://scorecards.example"
    first = f"/respond/{link_token('ann@vendor.example')}/"
    ann = ResponseContact.objects.get(email="ann@vendor.example")
    due = request_due.due_date
    with django_capture_on_commit_callbacks(execute=True):
        send_response_reminders(due - timedelta(days=2))
    (reminder,) = mail_to(smtp_server, "ann@vendor.example", 1)
    assert "due in 2 days" in reminder["Subject"]
    url = _link(reminder)
    assert url.startswith(f"{settings.SITE_URL}/respond/rsp_")
    path = url.removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200 and "Signed in by your link as Ann" in page.content.decode()
    # The first email's link is replaced; Bo's links are his own business.
    assert client.get(first).status_code == 404
    assert len(mail_to(smtp_server, "bo@vendor.example", 1)) == 1
    # Neither the buyer's send count nor the expiry moves.
    reissued = ResponseContact.objects.get(pk=ann.pk)
    assert (reissued.send_count, reissued.expires_at) == (ann.send_count, ann.expires_at)
    assert request_due.events.filter(action="link.reissued").count() == 2

    # Later runs send the same reminder nowhere again, so its link keeps working;
    # the overdue one brings the next link.
    with django_capture_on_commit_callbacks(execute=True):
        send_response_reminders(due - timedelta(days=1))
        send_response_reminders(due)
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        send_response_reminders(due + timedelta(days=1))
    _, overdue = mail_to(smtp_server, "ann@vendor.example", 2)
    assert "Overdue" in overdue["Subject"]
    assert client.get(path).status_code == 404
    assert client.get(_link(overdue).removeprefix(settings.SITE_URL)).status_code == 200


def test_a_link_revoked_meanwhile_is_not_reissued(request_due):
    ann = ResponseContact.objects.get(email="ann@vendor.example")
    ResponseContact.objects.filter(pk=ann.pk).update(revoked_at=timezone.now())
    # As if the run had read Ann's contact just before the buyer revoked it.
    assert remind(ann, which="due", today=request_due.due_date) is False
    after = ResponseContact.objects.get(pk=ann.pk)
    assert after.token_hash == ann.token_hash and after.revoked_at is not None
    assert not Notification.objects.filter(kind=Kind.RESPONSE_DUE).exists()

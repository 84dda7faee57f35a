"""The notifications core: render, record, deliver over real SMTP, once."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import delivery, services
from notifications.models import Kind, Notification, NotificationPreference, NotificationStatus
from notifications.tasks import deliver_notification
from tests.factories import MembershipFactory

CONTEXT = {
    "evaluation": {"name": 'Managed SOC <2027> & "friends"'},
    "evaluator_name": "Dana",
    "assigned_by": "Lee",
    "declaration_path": "/api/v1/evaluations/1/evaluators/2/declaration/",
    "evaluation_path": "/api/v1/evaluations/1/",
}


def send(membership, **extra):
    return services.notify(
        kind=Kind.EVALUATOR_ASSIGNED,
        to_email=membership.user.email,
        organization=membership.organization,
        recipient=membership.user,
        context=CONTEXT,
        **extra,
    )


@pytest.fixture
def member(db):
    return MembershipFactory(user__email="dana@buyer.example")


def test_a_notification_goes_out_over_smtp_with_text_and_html(
    member, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "Scorecards <scorecards@buyer.example>"
    with django_capture_on_commit_callbacks(execute=True):
        row = send(member)
        # Nothing leaves before the commit.
        assert smtp_server.messages == []
    (message,) = smtp_server.messages
    assert message.envelope_to == ["dana@buyer.example"]
    assert message["To"] == "dana@buyer.example"
    assert message["From"] == "Scorecards <scorecards@buyer.example>"
    assert message["Subject"] == 'You are an evaluator of "Managed SOC <2027> & "friends""'
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    # The text part is not HTML-escaped; the HTML part is.
    assert 'of "Managed SOC <2027> & "friends""' in text
    assert "Managed SOC &lt;2027&gt; &amp; &quot;friends&quot;" in html
    assert "http://127.0.0.1:8000/api/v1/evaluations/1/evaluators/2/declaration/" in text
    assert member.organization.name in text
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 1, "")
    assert row.sent_at is not None
    assert row.subject == message["Subject"]


def test_the_body_is_rendered_when_recorded_so_a_retry_sends_the_same(member, settings):
    settings.SITE_URL = "https://scorecards.example"
    row = send(member)
    assert "https://scorecards.example/api/v1/evaluations/1/" in row.body_text
    assert 'href="https://scorecards.example/api/v1/evaluations/1/"' in row.body_html


def test_a_rolled_back_change_mails_nobody(member, smtp_server, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(member)
        raise RuntimeError("the change failed")
    assert smtp_server.messages == []
    assert not Notification.objects.exists()


def test_a_dedupe_key_records_and_sends_once(
    member, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(member, dedupe_key="assigned:1")
    with django_capture_on_commit_callbacks(execute=True):
        second = send(member, dedupe_key="assigned:1")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_a_kind_switched_off_is_not_recorded(member, smtp_server):
    NotificationPreference.objects.create(
        membership=member, kind=Kind.EVALUATOR_ASSIGNED, enabled=False
    )
    assert send(member) is None
    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_preferences_belong_to_the_membership_of_that_organization(member):
    elsewhere = MembershipFactory(user=member.user)
    NotificationPreference.objects.create(
        membership=elsewhere, kind=Kind.EVALUATOR_ASSIGNED, enabled=False
    )
    assert send(member) is not None


def test_transactional_kinds_ignore_preferences(member):
    for kind in (Kind.INVITATION, Kind.PASSWORD_RESET):
        NotificationPreference.objects.create(membership=member, kind=kind, enabled=False)
        assert services.is_enabled(
            kind=kind, organization=member.organization, recipient=member.user
        )
    assert services.disabled_memberships(Kind.INVITATION, [member.pk]) == set()


def test_an_unknown_kind_is_a_programming_error(member):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notify(kind="nope", to_email="a@b.example", context={})


def test_a_refusing_server_is_retried_until_it_accepts(
    member, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse_next(2)
    with django_capture_on_commit_callbacks(execute=True):
        row = send(member)
    row.refresh_from_db()
    # Eager Celery runs the retries back to back; a worker waits the backoff.
    assert smtp_server.refused == 2
    assert len(smtp_server.messages) == 1
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 3)


def test_a_closed_port_is_retried_with_backoff_then_sends_when_it_is_up(member, smtp_server):
    row = send(member)
    smtp_server.stop()
    outcome = delivery.attempt(row.pk, final=False)
    assert outcome.status == "retry"
    assert outcome.retry_in == delivery.backoff_seconds(1)
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    smtp_server.start()
    assert delivery.attempt(row.pk, final=False).status == "sent"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")
    assert len(smtp_server.messages) == 1


def test_retries_are_bounded_then_the_row_fails(
    member, smtp_server, settings, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        row = send(member)
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == settings.NOTIFICATION_MAX_ATTEMPTS
    assert "ConnectionRefusedError" in row.last_error
    smtp_server.start()
    # A failed row is never sent again, whoever asks.
    deliver_notification.delay(row.pk)
    assert smtp_server.messages == []


def test_a_mailbox_the_server_refuses_for_good_fails_at_once(
    member, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.unknown_addresses.add("dana@buyer.example")
    with django_capture_on_commit_callbacks(execute=True):
        row = send(member)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "SMTPRecipientsRefused" in row.last_error
    assert smtp_server.messages == []


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATION_BACKOFF_BASE_SECONDS = 30
    settings.NOTIFICATION_BACKOFF_MAX_SECONDS = 100
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_sent_row_is_never_sent_again(member, smtp_server):
    row = send(member)
    assert deliver_notification.delay(row.pk).get() == "sent"
    assert deliver_notification.delay(row.pk).get() == "skipped"
    assert len(smtp_server.messages) == 1


def test_a_fresh_claim_is_left_alone_and_a_stale_one_is_taken_over(member, smtp_server, settings):
    row = send(member)
    Notification.objects.filter(pk=row.pk).update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert delivery.attempt(row.pk, final=False).status == "skipped"
    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_CLAIM_STALE_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(claimed_at=stale)
    assert delivery.requeue_candidates(timezone.now()) == [row.pk]
    assert delivery.attempt(row.pk, final=False).status == "sent"
    assert len(smtp_server.messages) == 1


def test_a_lost_message_is_queued_again_by_beat(
    member, smtp_server, settings, django_capture_on_commit_callbacks
):
    from notifications.tasks import requeue_stalled

    row = send(member)  # its on-commit send never ran: the message is "lost"
    assert requeue_stalled() == {"requeued": 0, "failed": 0}  # too early to tell
    quiet = settings.NOTIFICATION_BACKOFF_MAX_SECONDS + settings.NOTIFICATION_REQUEUE_GRACE
    Notification.objects.filter(pk=row.pk).update(
        updated_at=timezone.now() - timedelta(seconds=quiet + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled() == {"requeued": 1, "failed": 0}
    assert len(smtp_server.messages) == 1


def test_a_row_whose_workers_all_died_is_failed_by_beat(member, settings):
    from notifications.tasks import requeue_stalled

    row = send(member)
    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_CLAIM_STALE_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        status=NotificationStatus.SENDING,
        claimed_at=stale,
        attempts=settings.NOTIFICATION_MAX_ATTEMPTS,
    )
    assert requeue_stalled() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_id_send_once(smtp_server):
    # Recorded without its on-commit send (autocommit here would deliver it at once).
    row = Notification.objects.create(
        to_email="race@buyer.example",
        kind=Kind.EVALUATOR_ASSIGNED,
        subject="Once",
        body_text="Once\n",
        body_html="<p>Once</p>",
    )
    start = threading.Barrier(4)
    outcomes = []

    def worker():
        start.wait()
        outcomes.append(delivery.attempt(row.pk, final=False).status)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(smtp_server.messages) == 1


@pytest.mark.worker
def test_a_real_worker_delivers_after_commit(real_worker, smtp_server):
    member = MembershipFactory(user__email="real@buyer.example")
    with transaction.atomic():
        row = send(member)
    deadline = time.monotonic() + 20
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = smtp_server.messages
    assert message.envelope_to == ["real@buyer.example"]
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT


@pytest.mark.worker
def test_a_real_worker_retries_a_refused_send_after_the_backoff(real_worker, smtp_server, settings):
    settings.NOTIFICATION_BACKOFF_BASE_SECONDS = 1
    smtp_server.refuse_next(1)
    member = MembershipFactory(user__email="retry@buyer.example")
    with transaction.atomic():
        row = send(member)
    deadline = time.monotonic() + 30
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert smtp_server.refused == 1
    assert [m.envelope_to for m in smtp_server.messages] == [["retry@buyer.example"]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)

"""Ratings reminders end to end: due soon, overdue, digests, never twice."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from evaluations.models import RatingSheet
from notifications import reminder_rules, reminders
from notifications.models import Kind, Notification, NotificationPreference, ReminderRecord
from notifications.tasks import send_reminders
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.notifications.links import resolved_links
from tests.providers.factories import ProviderFactory
from tests.services import require

TODAY = timezone.localdate()


def days(n):
    return TODAY + timedelta(days=n)


@pytest.fixture
def world(organization):
    version = make_version(organization)
    provider = ProviderFactory(organization=organization, name="Acme")
    alice = MembershipFactory(
        organization=organization, role=Role.EVALUATOR, user__email="alice@buyer.example"
    )

    def evaluation(due_in, *, status="collecting", members=(alice,), name=None):
        row = make_evaluation(
            organization, version, status=status, providers=[provider], ratings_due=days(due_in)
        )
        if name:
            row.name = name
            row.save(update_fields=["name"])
        assignments = [assign(row, member) for member in members]
        return row, assignments

    return {"organization": organization, "alice": alice, "evaluation": evaluation}


def run(capture):
    with capture(execute=True):
        return send_reminders.delay().get()


def test_due_soon_and_overdue_reminders_reach_the_evaluator_once_each(
    world, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.RATINGS_REMINDER_DAYS = 3
    world["evaluation"](2, name="Soon")
    world["evaluation"](-1, name="Late")
    world["evaluation"](4, name="Later")  # outside the window
    assert run(django_capture_on_commit_callbacks) == {"items": 2, "sends": 2, "sent": 2}
    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert subjects == [
        'Your ratings for "Late" are overdue',
        'Your ratings for "Soon" are due in 2 days',
    ]
    for message in smtp_server.messages:
        assert message.envelope_to == ["alice@buyer.example"]
        assert set(resolved_links(message).values()) >= {
            "evaluation-detail",
            "evaluation-rating-list",
        }
    late_text = (
        next(m for m in smtp_server.messages if "overdue" in m["Subject"])
        .get_body(("plain",))
        .get_content()
    )
    assert f"were due on {days(-1).isoformat()}, 1 day ago" in late_text
    # Beat again (or a redelivered task): nothing new.
    assert run(django_capture_on_commit_callbacks) == {"items": 2, "sends": 0, "sent": 0}
    assert len(smtp_server.messages) == 2


def test_a_due_soon_item_is_followed_by_one_overdue_item(
    world, smtp_server, django_capture_on_commit_callbacks
):
    world["evaluation"](1)
    run(django_capture_on_commit_callbacks)
    assert reminders.send_reminders(today=days(2))["sent"] == 1
    assert reminders.send_reminders(today=days(3))["sent"] == 0
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [Kind.RATINGS_DUE, Kind.RATINGS_OVERDUE]


def test_moving_the_due_date_starts_the_reminders_over(world, django_capture_on_commit_callbacks):
    evaluation, _ = world["evaluation"](1)
    run(django_capture_on_commit_callbacks)
    evaluation.ratings_due = days(2)
    evaluation.save()
    assert run(django_capture_on_commit_callbacks)["sent"] == 1


def test_nobody_is_reminded_who_owes_nothing_or_cannot_rate(
    world, organization, django_capture_on_commit_callbacks
):
    done, (assignment,) = world["evaluation"](-1)
    RatingSheet.objects.create(candidate=done.candidates.get(), evaluator=assignment)
    world["evaluation"](-1, status="draft")
    world["evaluation"](-1, status="scoring")
    _, (barred,) = world["evaluation"](-1)
    barred.conflict_status = "conflict"
    barred.save()
    assert run(django_capture_on_commit_callbacks)["items"] == 0


def test_more_than_the_threshold_becomes_one_digest_covering_every_item(
    world, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.REMINDER_DIGEST_THRESHOLD = 3
    for n in range(4):
        world["evaluation"](n - 1, name=f"Evaluation {n}")
    assert run(django_capture_on_commit_callbacks) == {"items": 4, "sends": 1, "sent": 1}
    (message,) = smtp_server.messages
    assert message["Subject"] == "4 evaluations are waiting for your ratings"
    text = message.get_body(("plain",)).get_content()
    for n in range(4):
        assert f'"Evaluation {n}"' in text
    assert f"overdue since {days(-1).isoformat()}" in text
    links = resolved_links(message)
    assert list(links.values()).count("evaluation-rating-list") == 4
    assert links["/api/v1/notification-preferences/"] == "notification-preferences"
    digest = Notification.objects.get()
    assert digest.kind == Kind.DIGEST
    assert digest.reminder_records.count() == 4
    # Covered: later runs never send those items one by one.
    assert run(django_capture_on_commit_callbacks)["sends"] == 0
    assert len(smtp_server.messages) == 1


def test_switched_off_reminders_are_not_sent(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        membership=world["alice"], kind=Kind.RATINGS_OVERDUE, enabled=False
    )
    world["evaluation"](-1)
    world["evaluation"](1)
    assert run(django_capture_on_commit_callbacks)["sent"] == 1
    assert list(Notification.objects.values_list("kind", flat=True)) == [Kind.RATINGS_DUE]


def test_a_run_racing_another_over_the_same_items_sends_nothing_twice(
    world, django_capture_on_commit_callbacks
):
    world["evaluation"](1)
    today = TODAY
    assignments = reminders.outstanding_assignments(today, 3)
    items = reminder_rules.due_items(
        [reminders.row_of(a) for a in assignments.values()], today=today, reminder_days=3
    )
    # Both runs planned before either recorded anything.
    (send,) = reminder_rules.plan(items, covered=set(), disabled={}, digest_threshold=3)
    assignment = next(iter(assignments.values()))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.persist(send, assignment) is True
        assert reminders.persist(send, assignment) is False
    # A digest planned over an item the other run already covered is dropped whole.
    digest = reminder_rules.Send(send.membership_id, reminder_rules.DIGEST, send.items)
    assert reminders.persist(digest, assignment) is False
    assert Notification.objects.count() == ReminderRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_send_each_reminder_once(smtp_server):
    require(
        connection.vendor == "postgresql",
        "concurrent writers need PostgreSQL (SQLite serialises the whole database)",
    )
    from accounts.models import Organization

    organization = Organization.objects.create(name="Race", slug="race")
    version = make_version(organization)
    provider = ProviderFactory(organization=organization)
    members = MembershipFactory.create_batch(3, organization=organization, role=Role.EVALUATOR)
    for due_in in (-1, 1):
        evaluation = make_evaluation(
            organization, version, providers=[provider], ratings_due=days(due_in)
        )
        for member in members:
            assign(evaluation, member)
    start = threading.Barrier(4)
    errors = []

    def beat():
        try:
            start.wait()
            reminders.send_reminders()
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Notification.objects.count() == 6
    assert len(smtp_server.messages) == 6
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == sorted(
        member.user.email for member in members for _ in range(2)
    )

"""Delivery: signed POSTs, every attempt logged, bounded jittered retries, failing
webhooks, redirects not followed, redelivery and test pings."""

import random
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from accounts.models import Role
from integrations import delivery, events, signing
from integrations.models import (
    Delivery,
    DeliveryStatus,
    Event,
    Webhook,
    WebhookStatus,
)
from tests.integrations.conftest import Reply

ALL_EVENTS = list(events.EVENT_TYPES)


@pytest.fixture
def private_ok(settings):
    """The guard relaxed for the local test servers on 127.0.0.1."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True


def make_webhook(organization, url, event_types=ALL_EVENTS, **fields) -> Webhook:
    return Webhook.objects.create(
        organization=organization,
        url=url,
        events=event_types,
        secret=signing.generate_secret(),
        **fields,
    )


# ------------------------------------------------------------------ backoff


def test_backoff_doubles_up_to_the_cap():
    base = django_settings.WEBHOOK_BACKOFF_BASE_SECONDS
    cap = django_settings.WEBHOOK_BACKOFF_MAX_SECONDS
    ceilings = [delivery.backoff_ceiling(n) for n in range(1, 12)]
    assert ceilings[:3] == [base, 2 * base, 4 * base]
    assert ceilings == sorted(ceilings)
    assert max(ceilings) == cap


def test_backoff_is_jittered_within_half_to_full_ceiling():
    rng = random.Random(7)  # noqa: S311 (reproducible jitter, not crypto)
    for attempt in range(1, 12):
        ceiling = delivery.backoff_ceiling(attempt)
        delays = [delivery.backoff_seconds(attempt, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len({round(d, 6) for d in delays}) > 150  # actually random


def test_a_waiting_retry_and_its_run_end_before_the_broker_would_redeliver_it():
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = max(delivery.backoff_ceiling(n) for n in range(1, 50))
    run = django_settings.WEBHOOK_TASK_TIME_LIMIT + django_settings.JOB_TIMEOUT_MARGIN_SECONDS
    assert longest + run <= visibility
    # and the whole schedule is bounded
    attempts = django_settings.WEBHOOK_MAX_ATTEMPTS
    assert 1 <= attempts <= 20
    assert sum(delivery.backoff_ceiling(n) for n in range(1, attempts)) < 24 * 3600


# ------------------------------------------------------------------ emit


def test_emit_records_a_versioned_event_and_one_delivery_per_subscriber(
    organization, other_organization
):
    subscribed = make_webhook(organization, "https://a.example/", [events.REPORT_COMPLETED])
    make_webhook(organization, "https://b.example/", [events.SCORECARD_COMPLETED])
    make_webhook(organization, "https://c.example/", [events.REPORT_COMPLETED], is_active=False)
    make_webhook(other_organization, "https://d.example/", [events.REPORT_COMPLETED])
    event = events.emit(organization, events.REPORT_COMPLETED, {"report": 5})
    assert set(event.payload) == {"type", "version", "id", "created_at", "data"}
    assert event.payload["type"] == "report.completed"
    assert event.payload["version"] == 1
    assert event.payload["id"] == str(event.pk)
    assert event.payload["data"] == {"report": 5}
    assert list(Delivery.objects.values_list("webhook_id", flat=True)) == [subscribed.pk]


def test_unknown_event_types_are_a_programming_error(organization):
    with pytest.raises(ValueError, match="Unknown event type"):
        events.emit(organization, "scorecard.exploded", {})


def test_deliveries_are_queued_only_when_the_transaction_commits(
    organization, django_capture_on_commit_callbacks
):
    make_webhook(organization, "https://a.example/")
    with django_capture_on_commit_callbacks() as callbacks:
        events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    assert len(callbacks) == 1


# ------------------------------------------------------------------ sending


def run_deliveries(django_capture_on_commit_callbacks, emit):
    """Emit and run the queued (eager) delivery tasks, retries included."""
    with django_capture_on_commit_callbacks(execute=True):
        return emit()


def test_a_delivery_is_signed_logged_and_marks_the_webhook_healthy(
    organization, private_ok, local_server, django_capture_on_commit_callbacks
):
    local_server.reply = Reply(200, b'{"received": true}')
    webhook = make_webhook(organization, local_server.url())
    event = run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 9}),
    )
    [received] = local_server.received
    assert received.headers["webhook-id"] == str(event.pk)
    payload = signing.verify(webhook.secret, received.body, received.headers)
    assert payload == event.payload
    assert list(payload) == ["type", "version", "id", "created_at", "data"]
    assert received.body == delivery.body_of(Event.objects.get(pk=event.pk)).encode()
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempt_count, sent.last_status_code) == ("succeeded", 1, 200)
    [attempt] = sent.attempts.all()
    assert attempt.succeeded and attempt.status_code == 200
    assert attempt.response_excerpt == '{"received": true}'
    assert attempt.duration_ms >= 0 and attempt.error == ""
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.HEALTHY and webhook.last_delivery_at


def test_failures_are_retried_then_the_webhook_is_marked_failing(
    organization, private_ok, local_server, django_capture_on_commit_callbacks, monkeypatch
):
    local_server.reply = Reply(503, b"down for maintenance" * 200)
    webhook = make_webhook(organization, local_server.url())
    countdowns = []
    original = events.enqueue

    def spy(ids, countdown=None):
        countdowns.append(countdown)
        original(ids, countdown=countdown)

    monkeypatch.setattr(events, "enqueue", spy)
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 9}),
    )
    sent = Delivery.objects.get()
    assert sent.status == DeliveryStatus.FAILED
    assert sent.attempt_count == 3 == len(local_server.received)
    attempts = list(sent.attempts.order_by("number"))
    assert [a.number for a in attempts] == [1, 2, 3]
    assert all(a.status_code == 503 and not a.succeeded for a in attempts)
    assert all("503" in a.error for a in attempts)
    assert len(attempts[0].response_excerpt) == 2048  # an excerpt, not the whole body
    # two retries were scheduled, with the jittered backoff
    retries = countdowns[1:]
    assert len(retries) == 2
    for number, countdown in enumerate(retries, start=1):
        ceiling = delivery.backoff_ceiling(number)
        assert ceiling / 2 <= countdown <= ceiling
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.FAILING and webhook.status_changed_at
    # all attempts of one event carry the same webhook-id
    assert len({r.headers["webhook-id"] for r in local_server.received}) == 1


def test_a_success_after_failing_makes_the_webhook_healthy_again(
    organization, private_ok, local_server, django_capture_on_commit_callbacks
):
    webhook = make_webhook(organization, local_server.url(), status=WebhookStatus.FAILING)
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 1}),
    )
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.HEALTHY


def test_redirects_are_not_followed(
    organization, private_ok, make_local_server, django_capture_on_commit_callbacks
):
    target, elsewhere = make_local_server(), make_local_server()
    target.reply = Reply(307, b"", {"Location": elsewhere.url("/stolen")})
    make_webhook(organization, target.url())
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 1}),
    )
    assert len(target.received) == 3
    assert elsewhere.received == []
    attempt = Delivery.objects.get().attempts.first()
    assert attempt.status_code == 307 and not attempt.succeeded
    assert "not followed" in attempt.error


def test_timeouts_and_refused_connections_are_logged(
    organization, private_ok, settings, local_server, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_READ_TIMEOUT = 0.2
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    local_server.reply = Reply(200, b"late", delay=1.0)
    slow = make_webhook(organization, local_server.url())
    closed = make_webhook(organization, "http://127.0.0.1:9/")  # discard port: nobody there
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 1}),
    )
    slow_attempt = Delivery.objects.get(webhook=slow).attempts.get()
    assert slow_attempt.status_code is None and "timed out" in slow_attempt.error.lower()
    assert slow_attempt.duration_ms < 900
    refused = Delivery.objects.get(webhook=closed).attempts.get()
    assert refused.status_code is None and refused.error


def test_private_targets_are_refused_at_attempt_time_and_logged(
    organization, django_capture_on_commit_callbacks, local_server
):
    # Saved while development allowed it; production refuses to connect.
    make_webhook(organization, local_server.url())
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 1}),
    )
    assert local_server.received == []
    attempt = Delivery.objects.get().attempts.first()
    assert attempt.error.startswith("Refused:")


def test_a_claimed_delivery_is_not_sent_twice(organization, private_ok, local_server):
    webhook = make_webhook(organization, local_server.url())
    event = events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    pending = Delivery.objects.get(webhook=webhook, event=event)
    Delivery.objects.filter(pk=pending.pk).update(
        locked_until=timezone.now() + timedelta(seconds=60)
    )
    assert delivery.attempt(pending.pk) is None
    assert local_server.received == []
    Delivery.objects.filter(pk=pending.pk).update(locked_until=None)
    assert delivery.attempt(pending.pk).status == DeliveryStatus.SUCCEEDED
    assert delivery.attempt(pending.pk) is None  # finished: a redelivered task does nothing
    assert len(local_server.received) == 1


def test_an_early_duplicate_of_a_scheduled_retry_waits(organization, private_ok, local_server):
    make_webhook(organization, local_server.url())
    events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    pending = Delivery.objects.get()
    Delivery.objects.filter(pk=pending.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert delivery.attempt(pending.pk) is None
    assert delivery.attempt(pending.pk, honour_schedule=False).status == "succeeded"


def test_deactivated_webhooks_get_nothing_more(organization, private_ok, local_server):
    webhook = make_webhook(organization, local_server.url())
    events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
    done = delivery.attempt(Delivery.objects.get().pk)
    assert done.status == DeliveryStatus.FAILED and "deactivated" in done.last_error
    assert local_server.received == []


def test_lost_tasks_are_requeued_by_maintenance(
    organization, private_ok, local_server, django_capture_on_commit_callbacks
):
    make_webhook(organization, local_server.url())
    events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    from integrations import maintenance

    with django_capture_on_commit_callbacks(execute=True):
        assert maintenance.run()["requeued_deliveries"] == 1
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


# ------------------------------------------------------------------ API


@pytest.fixture
def hooks_dns(fake_dns):
    fake_dns["hooks.example.com"] = ["93.184.215.14"]
    return fake_dns


def test_the_secret_is_shown_on_create_and_rotation_only(admin_client, hooks_dns):
    created = admin_client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.com/in", "events": ["scorecard.completed"]},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["status"] == "healthy"
    assert body["active"] is True
    url = f"/api/v1/webhooks/{body['id']}/"
    assert "secret" not in admin_client.get(url).json()
    assert all("secret" not in w for w in admin_client.get("/api/v1/webhooks/").json()["results"])
    rotated = admin_client.post(f"{url}rotate-secret/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (None, body["secret"])
    webhook = Webhook.objects.get(pk=body["id"])
    assert webhook.previous_secret == body["secret"]
    assert delivery.secrets_in_use(webhook, timezone.now()) == [
        rotated.json()["secret"],
        body["secret"],
    ]
    later = timezone.now() + timedelta(seconds=django_settings.WEBHOOK_SECRET_GRACE_SECONDS + 1)
    assert delivery.secrets_in_use(webhook, later) == [rotated.json()["secret"]]


def test_only_admins_manage_and_read_webhooks(make_client, organization, hooks_dns):
    webhook = make_webhook(organization, "https://hooks.example.com/in")
    for role in (Role.EVALUATOR, Role.VIEWER):
        client = make_client(role, organization)
        assert client.get("/api/v1/webhooks/").status_code == 403
        assert client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").status_code == 403
        assert client.post(f"/api/v1/webhooks/{webhook.pk}/test/").status_code == 403
        assert client.get("/api/v1/webhooks/event-types/").status_code == 200


def test_the_delivery_log_shows_every_attempt(
    admin_client, organization, private_ok, local_server, django_capture_on_commit_callbacks
):
    local_server.reply = Reply(500, b"boom")
    webhook = make_webhook(organization, local_server.url())
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 3}),
    )
    response = admin_client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/")
    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["status"] == "failed" and entry["event_type"] == "report.completed"
    assert entry["max_attempts"] == 3 and entry["attempt_count"] == 3
    assert entry["payload"]["data"] == {"report": 3}
    assert [a["number"] for a in entry["attempts"]] == [1, 2, 3]
    first = entry["attempts"][0]
    assert (first["status_code"], first["response_excerpt"], first["succeeded"]) == (
        500,
        "boom",
        False,
    )
    assert first["error"] and first["duration_ms"] >= 0
    filtered = admin_client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?status=succeeded")
    assert filtered.json()["results"] == []


def test_the_delivery_log_runs_a_constant_number_of_queries(
    admin_client, organization, count_queries
):
    webhook = make_webhook(organization, "https://hooks.example.com/")
    url = f"/api/v1/webhooks/{webhook.pk}/deliveries/"

    def measure():
        with count_queries() as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    measure()  # warm up (the token's last use is recorded once)
    small = measure()
    for n in range(5):
        events.emit(organization, events.REPORT_COMPLETED, {"report": n})
    assert measure() == small


def test_redeliver_and_test_ping(
    admin_client, organization, private_ok, local_server, django_capture_on_commit_callbacks
):
    local_server.reply = Reply(500, b"no")
    webhook = make_webhook(organization, local_server.url())
    run_deliveries(
        django_capture_on_commit_callbacks,
        lambda: events.emit(organization, events.REPORT_COMPLETED, {"report": 3}),
    )
    failed = Delivery.objects.get()
    local_server.reply = Reply(204, b"")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/api/v1/webhooks/{webhook.pk}/deliveries/{failed.pk}/redeliver/"
        )
    assert response.status_code == 202
    fresh = Delivery.objects.get(pk=response.json()["id"])
    assert fresh.status == "succeeded" and fresh.event_id == failed.event_id
    assert local_server.received[-1].headers["webhook-id"] == str(failed.event_id)
    webhook.refresh_from_db()
    assert webhook.status == "healthy"

    with django_capture_on_commit_callbacks(execute=True):
        ping = admin_client.post(f"/api/v1/webhooks/{webhook.pk}/test/")
    assert ping.status_code == 202
    assert ping.json()["event_type"] == "webhook.test"
    payload = signing.verify(
        webhook.secret, local_server.received[-1].body, local_server.received[-1].headers
    )
    assert payload["type"] == "webhook.test" and payload["data"]["webhook"] == webhook.pk
    assert Event.objects.filter(type="webhook.test").count() == 1


def test_inactive_webhooks_cannot_be_pinged_or_redelivered(admin_client, organization):
    webhook = make_webhook(organization, "https://hooks.example.com/", is_active=False)
    assert admin_client.post(f"/api/v1/webhooks/{webhook.pk}/test/").status_code == 409


def test_event_types_document_every_payload(admin_client):
    response = admin_client.get("/api/v1/webhooks/event-types/")
    assert response.status_code == 200
    rows = {row["type"]: row for row in response.json()}
    assert set(rows) == {*events.EVENT_TYPES, events.WEBHOOK_TEST}
    for event_type, row in rows.items():
        assert row["version"] == 1
        assert row["example"]["type"] == event_type
        assert set(row["example"]) == {"type", "version", "id", "created_at", "data"}
    assert rows["webhook.test"]["subscribable"] is False

"""Delivering events: one attempt per task run, retried with backoff, every try logged.

A delivery is attempted by ``attempt(delivery_id)`` (the Celery task is a thin
wrapper). The worker first *claims* the delivery (a lease in ``locked_until``),
so a redelivered or duplicated task never sends it twice at once. After each
attempt: a 2xx completes it and marks the webhook healthy; anything else
(timeouts, connection errors, TLS errors, non-2xx, redirects, SSRF refusals)
schedules the next attempt after ``backoff_seconds`` until
``WEBHOOK_MAX_ATTEMPTS``, then fails it and marks the webhook ``failing``.
"""

import json
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.exceptions import Conflict
from integrations import events, sender, signing
from integrations.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Event,
    Webhook,
    WebhookStatus,
)

# A claimed delivery is left alone this long (longer than any one attempt takes).
LEASE_SECONDS = 180
# The maintenance task re-queues pending deliveries this far past their time.
OVERDUE_GRACE_SECONDS = 120
# A task this much early for its attempt (clock differences) still attempts.
EARLY_TOLERANCE_SECONDS = 5


def max_attempts() -> int:
    return settings.WEBHOOK_MAX_ATTEMPTS


def backoff_ceiling(attempt_number: int) -> float:
    """The longest wait after failed attempt ``attempt_number`` (1-based)."""
    base = settings.WEBHOOK_BACKOFF_BASE_SECONDS
    cap = settings.WEBHOOK_BACKOFF_MAX_SECONDS
    return float(min(cap, base * 2 ** (attempt_number - 1)))


def backoff_seconds(attempt_number: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": uniform in [ceiling / 2, ceiling].

    The ceiling doubles per attempt from ``WEBHOOK_BACKOFF_BASE_SECONDS`` up to
    ``WEBHOOK_BACKOFF_MAX_SECONDS``; the settings keep that plus the task's time
    limit below the broker's visibility timeout (jobs/timeouts.py), or a waiting
    retry would be delivered twice.
    """
    ceiling = backoff_ceiling(attempt_number)
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def secrets_in_use(webhook: Webhook, now) -> list[str]:
    secrets = [webhook.secret]
    expires = webhook.previous_secret_expires_at
    if webhook.previous_secret and expires and expires > now:
        secrets.append(webhook.previous_secret)
    return secrets


ENVELOPE_KEYS = ("type", "version", "id", "created_at", "data")


def body_of(event: Event) -> str:
    """The exact request body (and signed content) of an event: compact ASCII JSON,
    envelope keys in their documented order and ``data`` keys sorted, whatever
    order the database returns them in (PostgreSQL's jsonb reorders keys)."""
    payload = event.payload
    data = json.loads(json.dumps(payload.get("data"), sort_keys=True))
    ordered = {key: payload[key] for key in ENVELOPE_KEYS if key in payload}
    ordered["data"] = data
    return json.dumps(ordered, separators=(",", ":"))


def _claim(delivery_id: int, now) -> Delivery | None:
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + timedelta(seconds=LEASE_SECONDS))
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("webhook", "event").get(pk=delivery_id)


def attempt(delivery_id: int, *, honour_schedule: bool = True) -> Delivery | None:
    """Make the next attempt of a pending delivery; None when there is nothing to do."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None  # finished, or another worker holds it
    early = now + timedelta(seconds=EARLY_TOLERANCE_SECONDS)
    if honour_schedule and delivery.next_attempt_at and delivery.next_attempt_at > early:
        # An early duplicate of a scheduled retry: the scheduled task will come.
        Delivery.objects.filter(pk=delivery_id).update(locked_until=None)
        return None
    webhook = delivery.webhook
    if not webhook.is_active:
        return _finish_without_attempt(delivery, "The webhook was deactivated.")
    body = body_of(delivery.event)
    headers = signing.signature_headers(
        secrets_in_use(webhook, now), str(delivery.event_id), now, body
    )
    result = sender.post(
        webhook.url,
        body.encode("utf-8"),
        headers,
        connect_timeout=settings.WEBHOOK_CONNECT_TIMEOUT,
        read_timeout=settings.WEBHOOK_READ_TIMEOUT,
    )
    return _record(delivery.pk, delivery.attempt_count, now, result)


@transaction.atomic
def _record(delivery_id: int, claimed_count: int, started_at, result) -> Delivery | None:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.attempt_count != claimed_count or delivery.status != DeliveryStatus.PENDING:
        return None  # the lease ran out and another worker recorded this attempt
    number = delivery.attempt_count + 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started_at,
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        response_excerpt=result.response_excerpt,
        error=result.error,
        succeeded=result.succeeded,
    )
    now = timezone.now()
    delivery.attempt_count = number
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error
    delivery.locked_until = None
    if result.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.completed_at = now
        delivery.next_attempt_at = None
        _set_webhook_status(delivery.webhook_id, WebhookStatus.HEALTHY, now)
    elif number >= max_attempts():
        delivery.status = DeliveryStatus.FAILED
        delivery.completed_at = now
        delivery.next_attempt_at = None
        _set_webhook_status(delivery.webhook_id, WebhookStatus.FAILING, now)
    else:
        delay = backoff_seconds(number)
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        events.enqueue([delivery.pk], countdown=delay)
    delivery.save()
    return delivery


def _finish_without_attempt(delivery: Delivery, reason: str) -> Delivery:
    now = timezone.now()
    delivery.status = DeliveryStatus.FAILED
    delivery.last_error = reason
    delivery.completed_at = now
    delivery.next_attempt_at = None
    delivery.locked_until = None
    delivery.save()
    return delivery


def _set_webhook_status(webhook_id: int, status: str, now):
    Webhook.objects.filter(pk=webhook_id).update(last_delivery_at=now)
    Webhook.objects.filter(pk=webhook_id).exclude(status=status).update(
        status=status, status_changed_at=now, updated_at=now
    )


# ------------------------------------------------------------- on request


def redeliver(delivery: Delivery) -> Delivery:
    """A fresh delivery of the same event (same ``webhook-id``), with a full attempt budget."""
    webhook = delivery.webhook
    if not webhook.is_active:
        raise Conflict("The webhook is inactive; activate it before redelivering.")
    fresh = Delivery.objects.create(
        webhook=webhook, event_id=delivery.event_id, next_attempt_at=timezone.now()
    )
    events.enqueue([fresh.pk])
    return fresh


def send_test(webhook: Webhook) -> Delivery:
    """Queue a ``webhook.test`` ping to this webhook only."""
    if not webhook.is_active:
        raise Conflict("The webhook is inactive; activate it before testing.")
    now = timezone.now()
    event_id = uuid.uuid4()
    event = Event.objects.create(
        id=event_id,
        organization_id=webhook.organization_id,
        type=events.WEBHOOK_TEST,
        payload=events.envelope(
            event_id, events.WEBHOOK_TEST, now, events.webhook_test_data(webhook)
        ),
        created_at=now,
    )
    delivery = Delivery.objects.create(webhook=webhook, event=event, next_attempt_at=now)
    events.enqueue([delivery.pk])
    return delivery


def requeue_overdue(now=None, limit: int = 500) -> int:
    """Queue pending deliveries whose task was lost (broker restart, crash)."""
    now = now or timezone.now()
    overdue = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lt=now - timedelta(seconds=OVERDUE_GRACE_SECONDS),
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if overdue:
        events.enqueue(overdue)
    return len(overdue)

"""Periodic housekeeping (one beat entry: ``integrations.tasks.maintenance``).

- idempotency keys past their ``expires_at`` (kept at least 24 hours);
- tombstones older than ``SYNC_TOMBSTONE_RETENTION_DAYS`` (default 90): a sync
  client whose cursor is older than that must resynchronise from scratch;
- webhook events (with their deliveries and attempt logs) older than
  ``WEBHOOK_LOG_RETENTION_DAYS``, unless a delivery is still pending;
- pending deliveries whose task was lost are queued again.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from integrations import delivery
from integrations.models import DeliveryStatus, Event, IdempotencyKey, Tombstone

BATCH = 1000


def _delete_in_batches(queryset) -> int:
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        total += len(ids)
        queryset.model.objects.filter(pk__in=ids).delete()


def run(now=None) -> dict:
    now = now or timezone.now()
    keys = _delete_in_batches(IdempotencyKey.objects.filter(expires_at__lt=now))
    tombstone_days = getattr(settings, "SYNC_TOMBSTONE_RETENTION_DAYS", 90)
    tombstones = _delete_in_batches(
        Tombstone.objects.filter(deleted_at__lt=now - timedelta(days=tombstone_days))
    )
    events = _delete_in_batches(
        Event.objects.filter(
            created_at__lt=now - timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS)
        ).exclude(deliveries__status=DeliveryStatus.PENDING)
    )
    requeued = delivery.requeue_overdue(now)
    return {
        "idempotency_keys": keys,
        "tombstones": tombstones,
        "events": events,
        "requeued_deliveries": requeued,
    }

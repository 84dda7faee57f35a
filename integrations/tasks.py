"""Celery tasks of the integrations app. Thin: they take ids and call one service."""

from celery import shared_task
from django.conf import settings

from integrations import delivery, events, maintenance


@shared_task(
    name=events.DELIVER_TASK,
    # An attempt takes seconds; the limit enters the broker's visibility timeout.
    soft_time_limit=settings.WEBHOOK_TASK_TIME_LIMIT * 3 // 4,
    time_limit=settings.WEBHOOK_TASK_TIME_LIMIT,
)
def deliver_webhook(delivery_id: int):
    """Make the next attempt of one delivery. Safe to run twice (the delivery is claimed)."""
    task = deliver_webhook.request
    # Eager (no broker): countdowns are not honoured, so attempts follow each other.
    delivery.attempt(delivery_id, honour_schedule=not task.is_eager)


@shared_task(name="integrations.tasks.maintenance")
def run_maintenance():
    """Periodic (beat): expire idempotency keys and old logs, re-queue lost deliveries."""
    return maintenance.run()

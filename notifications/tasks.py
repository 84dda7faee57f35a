"""Celery tasks of the notifications app. Thin: they take ids and call one function."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import delivery, reminders, services


@shared_task(
    bind=True,
    name=services.DELIVER_TASK,
    # A retry is a new message; the row's `attempts` is the bound that counts.
    max_retries=settings.NOTIFICATION_MAX_ATTEMPTS - 1,
    soft_time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT * 3 // 4,
    time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT,
)
def deliver_notification(self, notification_id: int):
    """Send one notification. Safe to run twice: only the worker that claims it sends."""
    while True:
        final = self.request.retries >= self.max_retries
        outcome = delivery.attempt(notification_id, final=final)
        if outcome.status != "retry":
            return outcome.status
        if not self.request.is_eager:
            raise self.retry(countdown=outcome.retry_in)
        # Eager (no broker): nothing would run a retry later, so attempts follow
        # each other; the row's `attempts` bounds them.


@shared_task(name="notifications.tasks.requeue_stalled")
def requeue_stalled():
    """Periodic (beat): queue again the sends whose message may be lost."""
    now = timezone.now()
    failed = delivery.fail_exhausted(now)
    ids = delivery.requeue_candidates(now)
    services.enqueue(ids)
    return {"requeued": len(ids), "failed": failed}


@shared_task(name="notifications.tasks.send_reminders")
def send_reminders():
    """Periodic (beat, daily): ratings reminders and digests. Safe to run twice."""
    return reminders.send_reminders()

"""Delivering one notification: claim it, send it over SMTP, record the outcome.

Two workers given the same id (a duplicate message, a redelivery after a
crash) send it once: a worker first *claims* the row with a conditional UPDATE
(pending -> sending), and only the one whose UPDATE matched sends. A claim
older than ``NOTIFICATION_CLAIM_STALE_SECONDS`` belongs to a worker that died
mid-send and may be taken over (that email may then go out twice, the price of
never losing one). A sent or failed row is never sent again.
"""

import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Notification, NotificationStatus

# Errors worth another attempt: the server refused or dropped us, or the network did.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "failed", "retry" or "skipped" (not ours to send)
    retry_in: float | None = None


def backoff_seconds(attempt_number: int) -> float:
    """The wait after failed attempt ``attempt_number`` (1-based): doubling, capped."""
    base = settings.NOTIFICATION_BACKOFF_BASE_SECONDS
    return float(min(settings.NOTIFICATION_BACKOFF_MAX_SECONDS, base * 2 ** (attempt_number - 1)))


def claim(notification_id: int, now) -> Notification | None:
    """Take the row for this worker, or None when another has it or it is done."""
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_STALE_SECONDS)
    claimable = Q(status=NotificationStatus.PENDING) | Q(
        status=NotificationStatus.SENDING, claimed_at__lt=stale
    )
    claimed = (
        Notification.objects.filter(claimable, pk=notification_id)
        .filter(attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS)
        .update(
            status=NotificationStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def message_of(notification: Notification, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        connection=connection,
    )
    message.attach_alternative(notification.body_html, "text/html")
    return message


def permanent(exc: Exception) -> bool:
    """A refusal the server says is final (5xx for every recipient): retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return False


def attempt(notification_id: int, *, final: bool) -> Outcome:
    """One delivery attempt. ``final``: the task has no retry left after this one."""
    now = timezone.now()
    notification = claim(notification_id, now)
    if notification is None:
        return Outcome("skipped")
    rows = Notification.objects.filter(pk=notification.pk, claimed_at=now)
    try:
        with get_connection(fail_silently=False) as connection:
            message_of(notification, connection).send()
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        exhausted = (
            final or permanent(exc) or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        )
        status = NotificationStatus.FAILED if exhausted else NotificationStatus.PENDING
        rows.update(status=status, last_error=error, claimed_at=None, updated_at=timezone.now())
        if exhausted:
            return Outcome("failed")
        return Outcome("retry", retry_in=backoff_seconds(notification.attempts))
    sent_at = timezone.now()
    rows.update(
        status=NotificationStatus.SENT,
        sent_at=sent_at,
        last_error="",
        claimed_at=None,
        updated_at=sent_at,
    )
    return Outcome("sent")


def requeue_candidates(now) -> list[int]:
    """Rows whose message may be lost: pending well past any retry wait, or with
    a stale claim. Sending them again is harmless (the claim lets one through)."""
    quiet = now - timedelta(
        seconds=settings.NOTIFICATION_BACKOFF_MAX_SECONDS + settings.NOTIFICATION_REQUEUE_GRACE
    )
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_STALE_SECONDS)
    return list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, updated_at__lt=quiet)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=stale),
            attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[: settings.NOTIFICATION_REQUEUE_BATCH]
    )


def fail_exhausted(now) -> int:
    """Rows whose every attempt was used by workers that died: failed, with the reason."""
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_STALE_SECONDS)
    return Notification.objects.filter(
        status=NotificationStatus.SENDING,
        claimed_at__lt=stale,
        attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS,
    ).update(
        status=NotificationStatus.FAILED,
        last_error="Every attempt was interrupted (the workers stopped mid-send).",
        claimed_at=None,
        updated_at=now,
    )

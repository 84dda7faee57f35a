"""``notify``: render an email, record it, and queue its delivery on commit.

Callers (evaluation services, job tasks, reminders, invitations) call ``notify``
inside their own transaction. Nothing is sent in the caller's process: the row
is written with the change and the delivery task is queued only once it
commits, so a rolled-back change mails nobody and a slow mail server never
holds up a request (with Celery eager, the bare-machine mode, the task runs
right after the commit, as webhook deliveries do).
"""

import logging
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from kombu.exceptions import KombuError

from notifications.models import TRANSACTIONAL_KINDS, Kind, Notification, NotificationPreference

log = logging.getLogger(__name__)

# By name: the task module imports the delivery code, not this module, and
# callers of ``notify`` must not pull the task registry in.
DELIVER_TASK = "notifications.tasks.deliver_notification"
SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length


def is_enabled(*, kind: str, organization, recipient) -> bool:
    """Whether the recipient's membership in ``organization`` receives ``kind``."""
    if kind in TRANSACTIONAL_KINDS or organization is None or recipient is None:
        return True
    return not NotificationPreference.objects.filter(
        membership__organization=organization,
        membership__user=recipient,
        kind=kind,
        enabled=False,
    ).exists()


def disabled_memberships(kind: str, membership_ids) -> set[int]:
    """The memberships among ``membership_ids`` that switched ``kind`` off (one query)."""
    if kind in TRANSACTIONAL_KINDS:
        return set()
    return set(
        NotificationPreference.objects.filter(
            membership_id__in=list(membership_ids), kind=kind, enabled=False
        ).values_list("membership_id", flat=True)
    )


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """Subject (one line), text body and HTML body of ``kind`` for ``context``."""
    folder = f"notifications/email/{kind}"
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    text = render_to_string(f"{folder}/body.txt", context).strip() + "\n"
    html = render_to_string(f"{folder}/body.html", context)
    return subject[:SUBJECT_MAX_LENGTH], text, html


def notify(
    *,
    kind: str,
    to_email: str,
    organization=None,
    recipient=None,
    context: dict,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Record one email of ``kind`` and queue its delivery once the transaction commits.

    None when the recipient switched ``kind`` off. With a ``dedupe_key`` that is
    already recorded, the existing row is returned and nothing is sent again
    (also when two callers race: the unique key lets one row in).
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if dedupe_key is not None:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    if not is_enabled(kind=kind, organization=organization, recipient=recipient):
        return None
    subject, text, html = render(
        kind, {**context, "site_url": settings.SITE_URL, "organization": organization}
    )
    row = Notification(
        organization=organization,
        recipient=recipient,
        to_email=to_email,
        kind=kind,
        subject=subject,
        body_text=text,
        body_html=html,
        dedupe_key=dedupe_key,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        if dedupe_key is None:
            raise
        return Notification.objects.get(dedupe_key=dedupe_key)
    enqueue([row.pk])
    return row


@dataclass(frozen=True)
class Mail:
    """One member's email of a batch: ``membership`` with its user loaded."""

    membership: object
    context: dict
    dedupe_key: str | None = None


def notify_members(*, kind: str, organization, mails: list[Mail]) -> list[Notification]:
    """``notify`` for members of ``organization``, in a constant number of queries.

    Members who switched ``kind`` off, have no email address or whose dedupe key
    is already recorded get nothing. If a concurrent caller records one of the
    keys meanwhile, the rows are saved one by one and the unique key drops its.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    keys = [mail.dedupe_key for mail in mails if mail.dedupe_key]
    recorded = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        if keys
        else ()
    )
    off = disabled_memberships(kind, {mail.membership.pk for mail in mails})
    rows = []
    for mail in mails:
        user = mail.membership.user
        if mail.dedupe_key in recorded or mail.membership.pk in off or not user.email:
            continue
        subject, text, html = render(
            kind, {**mail.context, "site_url": settings.SITE_URL, "organization": organization}
        )
        rows.append(
            Notification(
                organization=organization,
                recipient=user,
                to_email=user.email,
                kind=kind,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=mail.dedupe_key,
            )
        )
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue
            created.append(row)
    enqueue([row.pk for row in created])
    return created


def enqueue(notification_ids: list[int]):
    """Queue deliveries once the current transaction commits.

    A broker that is down does not fail the caller: the rows stay pending and
    ``requeue_stalled`` (beat) queues them again.
    """
    if not notification_ids:
        return

    def send():
        task = current_app.tasks[DELIVER_TASK]
        try:
            for notification_id in notification_ids:
                task.delay(notification_id)
        except KombuError as exc:
            log.warning("notifications not queued, the beat task will retry: %s", exc)

    transaction.on_commit(send)

"""Reminders to respondents before and after a request's due date (beat, daily).

``responses.rules.reminder_kind`` decides; each contact with a usable link gets
one email per kind and due date, ever: the dedupe key is recorded with the
email, so a second run the same day, a redelivered task or the next day's run
sends nothing again. Moving the due date makes new keys, so reminders start
over.

A reminder carries a working link. Only the token's hash is stored, so the link
of the first email cannot be written again: the reminder gives the contact a
new token (``link.reissued``) and the one before stops working, as a resend
does. So a contact's newest email always holds their one live link. The expiry
stays as the buyer's send set it, and the buyer's send limits do not count
reminders (at most two per contact and due date).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evaluations.models import EvaluationStatus
from notifications.models import Kind, Notification
from responses import rules
from responses.models import ResponseContact
from responses.services.requests import locked_contact, mail_new_link

KINDS = {"due": Kind.RESPONSE_DUE, "overdue": Kind.RESPONSE_OVERDUE}


def dedupe_key(kind: str, contact_id: int, due: date) -> str:
    return f"response-reminder:{kind}:{contact_id}:{due.isoformat()}"


def _usable(contact: ResponseContact, now) -> bool:
    return contact.revoked_at is None and contact.expires_at > now


@transaction.atomic
def remind(contact: ResponseContact, *, which: str, today: date) -> bool:
    """Mail one reminder with a fresh link, unless it was mailed already; False when,
    read again under the lock, it is not due any more (link revoked, response
    submitted). The lock is the contact's, so two runs at once neither mail twice nor
    leave the mailed link replaced by one nobody received."""
    contact = locked_contact(contact)
    request = contact.request
    key = dedupe_key(which, contact.pk, request.due_date)
    if Notification.objects.filter(dedupe_key=key).exists():
        return True
    now = timezone.now()
    days = settings.RESPONSE_REMINDER_DAYS
    due = rules.reminder_kind(request.status, request.due_date, today, days) == which
    if not due or not _usable(contact, now):
        return False
    mail_new_link(
        contact,
        kind=KINDS[which],
        context={"days_left": (request.due_date - today).days},
        dedupe_key=key,
        detail={"reminder": which},
    )
    return True


def send_response_reminders(today: date | None = None) -> dict[str, int]:
    """Mail the reminders due today; returns how many of each kind are recorded (sent
    now or by an earlier run)."""
    today = today or timezone.localdate()
    days = settings.RESPONSE_REMINDER_DAYS
    contacts = ResponseContact.objects.filter(
        request__status__in=rules.OPEN,
        request__due_date__lte=today + timedelta(days=days),
        request__evaluation__status__in=(EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING),
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("request")
    sent = dict.fromkeys(KINDS, 0)
    for contact in contacts:
        request = contact.request
        which = rules.reminder_kind(request.status, request.due_date, today, days)
        if which is None:
            continue
        if remind(contact, which=which, today=today):
            sent[which] += 1
    return sent

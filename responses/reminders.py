"""Reminders to respondents before and after a request's due date (beat, daily).

``responses.rules.reminder_kind`` decides; each contact with a usable link gets
one email per kind and due date, ever: the dedupe key is recorded with the
email, so a second run the same day, a redelivered task or the next day's run
sends nothing again. Moving the due date makes new keys, so reminders start
over. The raw link is not stored, so a reminder points to the email that
carried it (a resend gives a new one).
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from evaluations.models import EvaluationStatus
from notifications.models import Kind
from notifications.services import notify
from responses import rules
from responses.models import ResponseContact

KINDS = {"due": Kind.RESPONSE_DUE, "overdue": Kind.RESPONSE_OVERDUE}


def dedupe_key(kind: str, contact_id: int, due: date) -> str:
    return f"response-reminder:{kind}:{contact_id}:{due.isoformat()}"


def send_response_reminders(today: date | None = None) -> dict[str, int]:
    """Mail the reminders due today; returns how many of each kind were recorded."""
    today = today or timezone.localdate()
    days = settings.RESPONSE_REMINDER_DAYS
    contacts = ResponseContact.objects.filter(
        request__status__in=rules.OPEN,
        request__due_date__lte=today + timedelta(days=days),
        request__evaluation__status__in=(EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING),
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("request__evaluation__organization", "request__candidate__provider")
    sent = dict.fromkeys(KINDS, 0)
    for contact in contacts:
        request = contact.request
        which = rules.reminder_kind(request.status, request.due_date, today, days)
        if which is None:
            continue
        notify(
            kind=KINDS[which],
            to_email=contact.email,
            organization=request.evaluation.organization,
            recipient=None,
            context={
                "contact_name": contact.name,
                "provider_name": request.candidate.provider.name,
                "due_date": request.due_date,
                "days_left": (request.due_date - today).days,
                "last_sent_at": contact.last_sent_at,
                "external_recipient": True,
            },
            dedupe_key=dedupe_key(which, contact.pk, request.due_date),
        )
        sent[which] += 1
    return sent

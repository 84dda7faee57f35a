"""Emails that tell a request's contacts the buyer wrote to them: answers returned
with clarification questions (``response_returned``), or a message in a question's
thread (``response_message``).

Each goes, after the commit, to every contact whose link works, with a fresh link as
a reminder's (``requests.mail_new_link``). The caller holds the request's row lock;
the contacts' lock (their candidate's) is taken after it, and no write of a link
takes the two the other way round.

Dedupe keys make a retried buyer action mail nobody twice:

- a return is keyed by the contact, the submission it reviews and what was returned
  (questions and clarification questions), so a retried review is the same key and
  returning other questions later is a new one;
- a message (in a question's thread, or about a finding) is keyed by the contact
  and a window of
  ``RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS``: the first message of a window is
  emailed, later ones of the same window are not (the email says until when), so a
  burst of messages is one email and the page shows every thread.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from notifications.models import Kind, Notification
from responses.models import ResponseRequest
from responses.services.requests import locked_active_contacts, mail_new_link


def _mail_contacts(request: ResponseRequest, *, kind: str, key: str, context: dict) -> None:
    """``kind`` to every contact whose link works and who has no email keyed
    ``{kind}:{contact}:{key}`` yet (one query for all of them)."""
    contacts = locked_active_contacts(request)
    keys = {contact.pk: f"{kind}:{contact.pk}:{key}" for contact in contacts}
    recorded = set(
        Notification.objects.filter(dedupe_key__in=keys.values()).values_list(
            "dedupe_key", flat=True
        )
    )
    for contact in contacts:
        if keys[contact.pk] in recorded:
            continue
        mail_new_link(
            contact, kind=kind, context=context, dedupe_key=keys[contact.pk], detail={"email": kind}
        )


def answers_returned(request: ResponseRequest, returned: list[dict]) -> None:
    """Mail the contacts the questions returned (``[{code, text, message}]``, in the
    order the buyer gave them), each with its clarification question."""
    # A review follows a submission: its time names the round being reviewed.
    fingerprint = json.dumps(
        [str(request.submitted_at), sorted((item["code"], item["message"]) for item in returned)]
    )
    _mail_contacts(
        request,
        kind=Kind.RESPONSE_RETURNED,
        key=hashlib.sha256(fingerprint.encode()).hexdigest(),
        context={"questions": returned},
    )


def message_posted(request: ResponseRequest, *, code: str, text: str, message: str) -> None:
    """Mail the contacts the buyer's message in the thread of question ``code``, unless
    a message of the same window was mailed to them already."""
    window = settings.RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS
    index = int(timezone.now().timestamp()) // window
    _mail_contacts(
        request,
        kind=Kind.RESPONSE_MESSAGE,
        key=str(index),
        context={
            "question": {"code": code, "text": text, "message": message},
            "quiet_until": datetime.fromtimestamp((index + 1) * window, tz=UTC),
        },
    )


def finding_message_posted(request: ResponseRequest, *, title: str, message: str) -> None:
    """Mail the contacts of the provider's response request the buyer's message about a
    finding, windowed as the question threads' messages are."""
    window = settings.RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS
    index = int(timezone.now().timestamp()) // window
    _mail_contacts(
        request,
        kind=Kind.FINDING_MESSAGE,
        key=str(index),
        context={
            "finding": {"title": title, "message": message},
            "quiet_until": datetime.fromtimestamp((index + 1) * window, tz=UTC),
        },
    )

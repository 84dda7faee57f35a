"""Buyer side: sending a response request, revoking and resending contacts' links.

Every write locks the request's candidate row first, so "one open request per
candidate" and the resend limits hold under concurrency.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import Throttled

from accounts.principal import stored_user
from config.exceptions import Conflict
from evaluations.models import Candidate, EvaluationStatus
from evaluations.services.status import require_status
from notifications.models import Kind
from notifications.services import notify
from responses import links
from responses.models import RequestStatus, ResponseContact, ResponseRequest
from responses.services import events
from responses.services.events import Event
from responses.services.prefill import prefill_answers
from responses.services.questions import asked_by_code

MAX_CONTACTS = 10
MAX_MESSAGE_LENGTH = 5000
MAX_DUE_DAYS = 366


class ResponseConflict(Conflict):
    default_code = "response_conflict"


def due_date_error(due: date) -> str | None:
    today = timezone.localdate()
    if due < today:
        return "The due date is in the past."
    if due > today + timedelta(days=MAX_DUE_DAYS):
        return f"The due date is at most {MAX_DUE_DAYS} days away."
    return None


def link_context(contact: ResponseContact, raw: str) -> dict:
    """What every email carrying a contact's link shows: who asks, by when, the link."""
    request = contact.request
    return {
        "contact_name": contact.name,
        "provider_name": request.candidate.provider.name,
        "due_date": request.due_date,
        "respond_path": reverse("respond", kwargs={"token": raw}),
        "findings_path": reverse("respond-findings", kwargs={"token": raw}),
        "expires_at": contact.expires_at,
        # Not a member: no preferences of theirs to link to.
        "external_recipient": True,
    }


def _send(contact: ResponseContact, raw: str) -> None:
    request = contact.request
    notify(
        kind=Kind.RESPONSE_REQUEST,
        to_email=contact.email,
        organization=request.evaluation.organization,
        recipient=None,
        context={**link_context(contact, raw), "message": request.message},
    )


def _lock_candidate(candidate_id: int) -> None:
    Candidate.objects.select_for_update().filter(pk=candidate_id).first()


@transaction.atomic
def create_request(
    evaluation, *, user, candidate: Candidate, due_date: date, message: str, contacts: list[dict]
) -> ResponseRequest:
    """One request to the contacts named, each emailed their own link. A candidate has
    at most one request that is not accepted yet (409 naming it)."""
    require_status(
        evaluation, {EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING}, "Requesting responses"
    )
    _lock_candidate(candidate.pk)
    open_request = (
        ResponseRequest.objects.filter(candidate=candidate)
        .exclude(status=RequestStatus.ACCEPTED)
        .first()
    )
    if open_request is not None:
        raise ResponseConflict(
            f"Response request {open_request.pk} for this candidate is still open: add "
            "contacts by resending it, or wait until it is accepted."
        )
    request = ResponseRequest.objects.create(
        evaluation=evaluation,
        candidate=candidate,
        due_date=due_date,
        message=message,
        created_by=stored_user(user),
    )
    now = timezone.now()
    issued = []
    for entry in contacts:
        raw, digest = links.new_token()
        contact = ResponseContact.objects.create(
            request=request,
            name=entry["name"],
            email=entry["email"].strip().lower(),
            token_hash=digest,
            expires_at=links.expiry(),
            last_sent_at=now,
        )
        issued.append((contact, raw))
    prefilled = prefill_answers(request, asked_by_code(request))
    for contact, raw in issued:
        _send(contact, raw)
    events.record(
        request,
        events.buyer(user),
        [Event("request.sent", detail={"contacts": [c.email for c, _ in issued]}), *prefilled],
    )
    return request


def locked_contact(contact: ResponseContact) -> ResponseContact:
    """The contact reloaded under the lock of its candidate, which every write of a
    link takes first (one order, no deadlock)."""
    _lock_candidate(contact.request.candidate_id)
    return ResponseContact.objects.select_related(
        "request__evaluation__organization", "request__candidate__provider"
    ).get(pk=contact.pk)


@transaction.atomic
def revoke_link(contact: ResponseContact, *, user) -> ResponseContact:
    """Kill a contact's link at once; revoking a revoked link changes nothing."""
    contact = locked_contact(contact)
    if contact.revoked_at is None:
        contact.revoked_at = timezone.now()
        contact.save(update_fields=["revoked_at"])
        events.record(
            contact.request,
            events.buyer(user),
            [Event("link.revoked", detail={"contact": contact.email})],
        )
    return contact


def replace_token(contact: ResponseContact, *, now, also: list[str] = ()) -> str:
    """Give the contact a new token, saved with the fields in ``also``; the old token
    stops working. Returns the raw token, for the email only (never stored)."""
    raw, digest = links.new_token()
    contact.token_hash = digest
    contact.last_sent_at = now
    contact.save(update_fields=["token_hash", "last_sent_at", *also])
    return raw


def locked_active_contacts(request: ResponseRequest) -> list[ResponseContact]:
    """The request's contacts whose link works, read under the same lock as
    ``locked_contact``, so a link revoked or resent meanwhile is seen as it is now.
    ``request`` comes with its evaluation's organization and candidate's provider."""
    _lock_candidate(request.candidate_id)
    contacts = list(request.contacts.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()))
    for contact in contacts:
        contact.request = request
    return contacts


def mail_new_link(
    contact: ResponseContact, *, kind: str, context: dict, dedupe_key: str, detail: dict
) -> None:
    """Email ``contact`` a new link in an email of ``kind`` (``link.reissued``, with
    ``detail``): only hashes are stored, so an earlier email's link cannot be written
    again and it stops working instead. The caller holds the contact's lock and knows
    its link still works; the expiry and the buyer's send count stay as they are."""
    request = contact.request
    raw = replace_token(contact, now=timezone.now())
    notify(
        kind=kind,
        to_email=contact.email,
        organization=request.evaluation.organization,
        recipient=None,
        context={**link_context(contact, raw), **context},
        dedupe_key=dedupe_key,
    )
    events.record(
        request,
        events.buyer(None),
        [Event("link.reissued", detail={"contact": contact.email, **detail})],
    )


@transaction.atomic
def resend_link(contact: ResponseContact, *, user) -> ResponseContact:
    """A new link for the contact (the old one, revoked or not, stops working) with a
    new expiry; at most one send per ``RESPONSE_LINK_RESEND_INTERVAL_SECONDS`` (429)
    and ``RESPONSE_LINK_MAX_SENDS`` in all (409)."""
    contact = locked_contact(contact)
    if contact.request.status == RequestStatus.ACCEPTED:
        raise ResponseConflict("This response was accepted: there is nothing left to answer.")
    if contact.send_count >= settings.RESPONSE_LINK_MAX_SENDS:
        raise ResponseConflict(
            f"This contact's link was sent {contact.send_count} times, the most it may be."
        )
    now = timezone.now()
    interval = timedelta(seconds=settings.RESPONSE_LINK_RESEND_INTERVAL_SECONDS)
    if now - contact.last_sent_at < interval:
        wait = interval - (now - contact.last_sent_at)
        raise Throttled(
            wait=max(1, int(wait.total_seconds())),
            detail="This link was sent moments ago; wait before sending it again.",
        )
    contact.expires_at = links.expiry()
    contact.revoked_at = None
    contact.send_count += 1
    raw = replace_token(contact, now=now, also=["expires_at", "revoked_at", "send_count"])
    _send(contact, raw)
    events.record(
        contact.request,
        events.buyer(user),
        [Event("link.resent", detail={"contact": contact.email})],
    )
    return contact

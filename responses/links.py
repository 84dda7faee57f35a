"""Respondent links: a random token per contact, stored only as its SHA-256.

A token starts with ``rsp_`` so it can never be mistaken for an API token (and
an API token never for it): the respondent API accepts only this prefix, the
buyer API looks tokens up among API tokens only. A link grants access to one
contact's request and nothing else; it expires (``RESPONSE_LINK_TTL``), and a
revoke or a resend kills it.
"""

import hmac
import secrets

from django.conf import settings
from django.utils import timezone

from accounts.models import hash_token
from responses.models import ResponseContact

PREFIX = "rsp_"
# Longer input is no token of ours: refused before any hashing or query.
MAX_TOKEN_LENGTH = 100
# last_used_at is a hint for the buyer; refreshed at most this often.
LAST_USED_RESOLUTION_SECONDS = 60


class LinkUnusable(Exception):
    """Why a link cannot be used: "invalid" (unknown, tampered with or replaced by a
    resend), "revoked" or "expired"; ``gone`` tells the last two from the first."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def gone(self) -> bool:
        return self.reason in ("revoked", "expired")


def new_token() -> tuple[str, str]:
    raw = PREFIX + secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def expiry():
    return timezone.now() + settings.RESPONSE_LINK_TTL


def find_contact(raw: str) -> ResponseContact:
    """The contact whose link this is, with its request, evaluation and candidate."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(PREFIX):
        raise LinkUnusable("invalid")
    digest = hash_token(raw)
    contact = (
        ResponseContact.objects.select_related(
            "request__evaluation__organization", "request__candidate__provider"
        )
        .filter(token_hash=digest)
        .first()
    )
    # The lookup goes by the hash, which a caller cannot steer; the final equality
    # is still compared in constant time so it gives no timing signal either.
    if contact is None or not hmac.compare_digest(contact.token_hash, digest):
        raise LinkUnusable("invalid")
    now = timezone.now()
    if contact.revoked_at is not None:
        raise LinkUnusable("revoked")
    if contact.expires_at <= now:
        raise LinkUnusable("expired")
    last = contact.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ResponseContact.objects.filter(pk=contact.pk).update(last_used_at=now)
        contact.last_used_at = now
    return contact

"""Invitations: asking an email address to join an organization, and joining.

The link carries a random token; the row keeps only its SHA-256 (as API tokens
do), so neither the database nor the API ever holds a working link. The raw
token exists in the email's rendered link only (the notification row stores the
rendered body, link included: that row is the email as sent). A resend issues a
new token, which kills the old link.

Every write that counts or changes an organization's invitations locks the
organization row first (as the admin rules in ``accounts.services`` do), so the
pending limit and "one pending invitation per address" hold under concurrency.
Accepting claims the invitation with one conditional UPDATE, so of two
concurrent accepts exactly one wins.
"""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import Throttled

from accounts.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
    hash_token,
)
from config.exceptions import Conflict
from notifications.models import Kind
from notifications.services import notify

# Longer input is no token of ours: refused before any hashing or query.
MAX_TOKEN_LENGTH = 100


class InvitationConflict(Conflict):
    default_code = "invitation_conflict"


class InvitationUnusable(Exception):
    """The link cannot be used. ``reason``: "invalid" (no such token), the
    invitation's status when not pending, "member" (the account already is one) or
    "other_account" (signed in with an account of another address)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def _expiry():
    return timezone.now() + settings.INVITATION_TTL


def normalize_email(email: str) -> str:
    # Addresses compare case-insensitively in practice: one person, one invitation.
    return email.strip().lower()


def _send(invitation: Invitation, raw: str):
    inviter = invitation.invited_by
    notify(
        kind=Kind.INVITATION,
        to_email=invitation.email,
        organization=invitation.organization,
        recipient=None,
        context={
            "accept_path": reverse("invitation-accept", kwargs={"token": raw}),
            "invited_by": (inviter.get_full_name() or inviter.username) if inviter else "",
            "role": Role(invitation.role).label,
            "expires_at": invitation.expires_at,
        },
    )


def _lock(organization: Organization):
    Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def invite(*, organization: Organization, email: str, role: str, invited_by) -> Invitation:
    """Create an invitation and queue its email. 409 for an address that already has a
    pending invitation (resend that one), for a member's address, or past the limit."""
    email = normalize_email(email)
    _lock(organization)
    invitations = Invitation.objects.filter(organization=organization)
    pending = invitations.with_status(InvitationStatus.PENDING).filter(email=email).first()
    if pending is not None:
        raise InvitationConflict(
            f"Invitation {pending.pk} to this address is still pending: resend it "
            "(POST /invitations/{id}/resend/) or revoke it first."
        )
    # Only this organization's members are looked at, so the answer says nothing
    # about accounts elsewhere.
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise InvitationConflict("A member of this organization already uses this address.")
    limit = settings.INVITATION_MAX_PENDING
    if invitations.with_status(InvitationStatus.PENDING).count() >= limit:
        raise InvitationConflict(
            f"This organization has {limit} pending invitations, the most it may have: "
            "revoke some or wait for them to be accepted."
        )
    raw, digest = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        token_hash=digest,
        expires_at=_expiry(),
        last_sent_at=now,
        send_count=1,
    )
    _send(invitation, raw)
    return invitation


def _locked_invitation(invitation: Invitation) -> Invitation:
    _lock(invitation.organization)
    return Invitation.objects.select_related("organization", "invited_by").get(pk=invitation.pk)


@transaction.atomic
def resend(invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) with a new expiry, within the resend
    limits: at most one send per ``INVITATION_RESEND_INTERVAL_SECONDS`` (429) and
    ``INVITATION_MAX_SENDS`` in all (409)."""
    invitation = _locked_invitation(invitation)
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise InvitationConflict(f"This invitation is {invitation.status}: it cannot be sent.")
    if invitation.send_count >= settings.INVITATION_MAX_SENDS:
        raise InvitationConflict(
            f"This invitation was sent {invitation.send_count} times, the most it may be: "
            "revoke it and invite again if the address is right."
        )
    now = timezone.now()
    interval = timedelta(seconds=settings.INVITATION_RESEND_INTERVAL_SECONDS)
    if invitation.last_sent_at and now - invitation.last_sent_at < interval:
        wait = interval - (now - invitation.last_sent_at)
        raise Throttled(
            wait=max(1, int(wait.total_seconds())),
            detail="This invitation was sent moments ago; wait before sending it again.",
        )
    raw, digest = _new_token()
    invitation.token_hash = digest
    invitation.expires_at = _expiry()
    invitation.last_sent_at = now
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "send_count"])
    _send(invitation, raw)
    return invitation


@transaction.atomic
def revoke(invitation: Invitation) -> Invitation:
    """Kill the link. Revoking a revoked invitation changes nothing; an accepted one is
    a 409 (remove the member instead)."""
    invitation = _locked_invitation(invitation)
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationConflict(
            "This invitation was accepted; remove the member (DELETE /members/{id}/) instead."
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def find(raw: str) -> Invitation:
    """The invitation a link's token belongs to, if that link may still be used.

    Raises InvitationUnusable with why not: "invalid" (no such token: mistyped,
    tampered with or replaced by a resend), or the invitation's status.
    """
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise InvitationUnusable("invalid")
    digest = hash_token(raw)
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=digest)
        .first()
    )
    # The lookup goes by the hash, which a caller cannot steer; comparing it again in
    # constant time keeps even the final equality check free of timing signals.
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        raise InvitationUnusable("invalid")
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationUnusable(invitation.status)
    return invitation


def existing_account(invitation: Invitation):
    """An account using the invitation's address, if any: its owner joins by signing in."""
    return (
        get_user_model()
        .objects.filter(email__iexact=invitation.email, is_active=True)
        .order_by("id")
        .first()
    )


def _claim(invitation: Invitation, user) -> Membership:
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        token_hash=invitation.token_hash,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        # Accepted, revoked or resent since it was read: say which, from a fresh read.
        fresh = Invitation.objects.filter(pk=invitation.pk).first()
        if fresh is None or fresh.token_hash != invitation.token_hash:
            raise InvitationUnusable("invalid")
        raise InvitationUnusable(fresh.status)
    if Membership.objects.filter(organization_id=invitation.organization_id, user=user).exists():
        raise InvitationUnusable("member")
    return Membership.objects.create(
        organization_id=invitation.organization_id, user=user, role=invitation.role
    )


class UsernameTaken(Exception):
    pass


class AccountExists(Exception):
    """The invited address has an account: its owner signs in to join (pages only)."""


def accept_as_new_user(raw: str, *, username: str | None, password: str) -> Membership:
    """Create the account (username: the invited address by default) and its
    membership, all or nothing. The password must pass AUTH_PASSWORD_VALIDATORS
    (Django's ValidationError otherwise)."""
    with transaction.atomic():
        invitation = find(raw)
        if existing_account(invitation) is not None:
            # The account may be the one a concurrent accept of this same link just
            # created: then the link is used up, and saying so beats "sign in".
            fresh = Invitation.objects.filter(pk=invitation.pk).first()
            if fresh is not None and fresh.status != InvitationStatus.PENDING:
                raise InvitationUnusable(fresh.status)
            raise AccountExists()
        username = username or invitation.email
        user_model = get_user_model()
        password_validation.validate_password(
            password, user_model(username=username, email=invitation.email)
        )
        try:
            with transaction.atomic():
                user = user_model.objects.create_user(
                    username=username, email=invitation.email, password=password
                )
        except IntegrityError:
            raise UsernameTaken() from None
        return _claim(invitation, user)


def accept_as_existing_user(raw: str, *, user) -> Membership:
    """Attach a membership to the signed-in account the invitation was sent to."""
    with transaction.atomic():
        invitation = find(raw)
        if normalize_email(user.email) != invitation.email:
            raise InvitationUnusable("other_account")
        return _claim(invitation, user)

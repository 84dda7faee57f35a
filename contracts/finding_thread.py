"""A finding's thread with its provider: buyers write through the API, the provider's
contacts read the findings shared with them and reply through their response link.

Writing to the provider shares the finding with it. The provider's contacts are
those of its newest response request of the organization; their emails go
through ``responses.services.notices`` (a fresh link, one email per window). A
reply is emailed to the finding's owner, or to the organization's admins when
it has none. Every message is in the finding's trail.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from config.exceptions import Conflict
from contracts import finding_rules as rules
from contracts.finding_audit import Change, record
from contracts.models import Finding, FindingMessage, MessageAuthor
from notifications.models import Kind
from notifications.services import Mail, notify_members
from notifications.triggers import display_name
from responses.models import ResponseRequest
from responses.services import notices

MAX_MESSAGE_LENGTH = 5000
MAX_MESSAGES = 200


def newest_request(finding: Finding) -> ResponseRequest | None:
    return (
        ResponseRequest.objects.filter(
            evaluation__organization_id=finding.organization_id,
            candidate__provider_id=finding.provider_id,
        )
        .select_related("evaluation__organization", "candidate__provider")
        .order_by("-created_at", "-id")
        .first()
    )


def _check_room(finding: Finding) -> None:
    if finding.messages.count() >= MAX_MESSAGES:
        raise Conflict(f"This finding's thread has {MAX_MESSAGES} messages, the most it holds.")


@transaction.atomic
def post_message(finding: Finding, user, body: str) -> FindingMessage:
    """A buyer's message to the provider; the finding is shared with it from now on."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_room(finding)
    message = FindingMessage.objects.create(
        finding=finding,
        author_kind=MessageAuthor.BUYER,
        author=user if getattr(user, "pk", None) else None,
        author_label=display_name(user)[:160] if getattr(user, "pk", None) else "",
        body=body,
    )
    changes = [Change(finding, "finding.message", new={"id": message.pk, "author": "buyer"})]
    if not finding.shared_with_provider:
        finding.shared_with_provider = True
        changes.append(
            Change(
                finding,
                "finding.updated",
                old={"shared_with_provider": False},
                new={"shared_with_provider": True},
            )
        )
    finding.save(update_fields=["shared_with_provider", "updated_at"])
    record(user, changes)
    request = newest_request(finding)
    if request is not None:
        notices.finding_message_posted(request, title=finding.title, message=body)
    return message


def shared_with(organization_id: int, provider_id: int):
    """The findings a provider's contact sees: shared with it and still to remediate."""
    return (
        Finding.objects.filter(
            organization_id=organization_id,
            provider_id=provider_id,
            shared_with_provider=True,
            status__in=rules.ACTIVE,
        )
        .prefetch_related("messages")
        .order_by("due_date", "id")
    )


@transaction.atomic
def provider_reply(contact, finding: Finding, body: str) -> FindingMessage:
    """The contact's reply about a finding shared with its provider."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_room(finding)
    message = FindingMessage.objects.create(
        finding=finding,
        author_kind=MessageAuthor.PROVIDER,
        author_label=f"{contact.name} <{contact.email}>"[:160],
        body=body,
    )
    finding.save(update_fields=["updated_at"])
    record(
        None,
        [Change(finding, "finding.message", new={"id": message.pk, "author": "provider"})],
        label=f"provider:{contact.email}",
    )
    _mail_reply(finding, contact, message)
    return message


def _mail_reply(finding: Finding, contact, message: FindingMessage) -> None:
    if finding.owner_id is not None:
        recipients = Membership.objects.filter(pk=finding.owner_id)
    else:
        recipients = Membership.objects.filter(
            organization_id=finding.organization_id, role=Role.ADMIN
        )
    recipients = list(recipients.select_related("user", "organization"))
    if not recipients:
        return
    context = {
        "provider_name": finding.provider.name,
        "finding_title": finding.title,
        "author": contact.name or contact.email,
        "message": message.body,
        "finding_path": reverse("finding-detail", kwargs={"pk": finding.pk}),
        "sent_at": timezone.now(),
    }
    notify_members(
        kind=Kind.FINDING_REPLY,
        organization=recipients[0].organization,
        mails=[
            Mail(
                membership,
                {**context, "member_name": display_name(membership.user)},
                dedupe_key=f"finding_reply:{message.pk}:{membership.pk}",
            )
            for membership in recipients
        ],
    )

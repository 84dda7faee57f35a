"""Webhook subscriptions: create, change, rotate the secret."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.principal import stored_user
from integrations import signing
from integrations.models import Webhook


def create_webhook(organization, *, user, data: dict) -> Webhook:
    return Webhook.objects.create(
        organization=organization,
        created_by=stored_user(user),
        secret=signing.generate_secret(),
        **data,
    )


def update_webhook(webhook: Webhook, data: dict) -> Webhook:
    for field, value in data.items():
        setattr(webhook, field, value)
    webhook.save()
    return webhook


@transaction.atomic
def rotate_secret(webhook: Webhook) -> Webhook:
    """Issue a new secret. The old one keeps signing (as a second signature) for
    ``WEBHOOK_SECRET_GRACE_SECONDS``, so receivers can switch without losing events."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    now = timezone.now()
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_expires_at = now + timedelta(
        seconds=settings.WEBHOOK_SECRET_GRACE_SECONDS
    )
    webhook.secret = signing.generate_secret()
    webhook.save()
    return webhook

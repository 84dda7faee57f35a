"""Isolation seeder: a webhook with a delivery (and its attempt) and a tombstone.

The tombstone is backdated past the sync settle window, so the `deleted` feed
shows it at once.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from integrations import events, signing
from integrations.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Event,
    SyncResource,
    Tombstone,
    Webhook,
)
from tests.seeding import seeder


@seeder
def seed_integrations(context):
    organization = context["organization"]
    webhook = Webhook.objects.create(
        organization=organization,
        url="https://hooks.example.com/scorecards",
        description="CRM sync",
        events=[events.SCORECARD_COMPLETED, events.REPORT_COMPLETED],
        secret=signing.generate_secret(),
    )
    now = timezone.now()
    event_id = uuid.uuid4()
    event = Event.objects.create(
        id=event_id,
        organization=organization,
        type=events.WEBHOOK_TEST,
        payload=events.envelope(
            event_id, events.WEBHOOK_TEST, now, events.webhook_test_data(webhook)
        ),
        created_at=now,
    )
    delivery = Delivery.objects.create(
        webhook=webhook,
        event=event,
        status=DeliveryStatus.SUCCEEDED,
        attempt_count=1,
        last_status_code=204,
        completed_at=now,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery, number=1, started_at=now, duration_ms=42, status_code=204, succeeded=True
    )
    Tombstone.objects.create(
        organization=organization,
        resource=SyncResource.PROVIDERS,
        object_id=999_999,
        deleted_at=now - timedelta(hours=1),
    )
    context["webhook_pk"] = webhook.pk

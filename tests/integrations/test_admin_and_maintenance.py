"""The operators' admin pages and the periodic maintenance task."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from integrations import events, maintenance, signing
from integrations.models import Delivery, DeliveryStatus, Event, Tombstone, Webhook
from tests.seeding import seed_organization


@pytest.fixture
def operator(admin_client):
    seed_organization(admin_client.organization, admin_client.membership)
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["webhook", "delivery", "event", "tombstone", "idempotencykey"])
def test_admin_pages_render_without_secrets(operator, page):
    response = operator.get(f"/admin/integrations/{page}/")
    assert response.status_code == 200
    if page == "webhook":
        webhook = Webhook.objects.get()
        detail = operator.get(f"/admin/integrations/webhook/{webhook.pk}/change/")
        assert detail.status_code == 200
        assert webhook.secret not in detail.content.decode()
    if page == "delivery":
        delivery = Delivery.objects.get()
        assert (
            operator.get(f"/admin/integrations/delivery/{delivery.pk}/change/").status_code == 200
        )


def test_maintenance_keeps_recent_and_pending_rows(organization, settings):
    now = timezone.now()
    old = now - timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS + 1)
    webhook = Webhook.objects.create(
        organization=organization,
        url="https://a.example/",
        events=list(events.EVENT_TYPES),
        secret=signing.generate_secret(),
    )
    done = events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    pending = events.emit(organization, events.REPORT_COMPLETED, {"report": 2})
    recent = events.emit(organization, events.REPORT_COMPLETED, {"report": 3})
    Event.objects.filter(pk__in=[done.pk, pending.pk]).update(created_at=old)
    Delivery.objects.filter(event=done).update(status=DeliveryStatus.SUCCEEDED)
    Delivery.objects.filter(event__in=[pending, recent]).update(
        next_attempt_at=now + timedelta(minutes=5)
    )
    Tombstone.objects.create(
        organization=organization, resource="providers", object_id=1, deleted_at=now
    )
    Tombstone.objects.create(
        organization=organization,
        resource="providers",
        object_id=2,
        deleted_at=now - timedelta(days=91),
    )
    result = maintenance.run()
    assert result == {
        "idempotency_keys": 0,
        "tombstones": 1,
        "events": 1,
        "requeued_deliveries": 0,
    }
    assert set(Event.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == [1]
    assert webhook.deliveries.count() == 2

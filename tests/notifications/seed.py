"""Isolation seeder: an email sent to the organization's admin, and a preference."""

from django.utils import timezone

from notifications.models import Kind, Notification, NotificationPreference, NotificationStatus
from tests.seeding import seeder


@seeder
def seed_notifications(context):
    admin = context["admin"]
    Notification.objects.create(
        organization=context["organization"],
        recipient=admin.user,
        to_email=admin.user.email or "admin@example.com",
        kind=Kind.SCORING_DONE,
        subject="Scoring finished",
        body_text="Scoring finished.\n",
        body_html="<p>Scoring finished.</p>",
        dedupe_key=f"seed:{context['organization'].pk}",
        status=NotificationStatus.SENT,
        attempts=1,
        sent_at=timezone.now(),
    )
    NotificationPreference.objects.create(membership=admin, kind=Kind.DIGEST, enabled=False)

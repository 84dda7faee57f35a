"""Webhooks, their deliveries, event types and tombstones."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.fields import NamedChoiceField
from config.serializers import StrictModelSerializer, StrictSerializer
from integrations import events, ssrf
from integrations.api.event_schemas import webhook_event_schema
from integrations.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    SyncResource,
    Tombstone,
    Webhook,
    WebhookStatus,
)

EVENT_TYPE_CHOICES = list(events.EVENT_TYPES.items())


class WebhookSerializer(TenantModelSerializer):
    url = serializers.URLField(
        max_length=2000,
        help_text="Where events are POSTed. Must be https and resolve to public internet "
        "addresses only (checked now and before every attempt); redirects are not followed.",
    )
    description = serializers.CharField(max_length=500, allow_blank=True, required=False)
    events = serializers.ListField(
        child=NamedChoiceField("WebhookEventTypeEnum", EVENT_TYPE_CHOICES),
        min_length=1,
        max_length=len(EVENT_TYPE_CHOICES),
        help_text="Event types to receive.",
    )
    active = serializers.BooleanField(
        source="is_active", required=False, default=True, help_text="Inactive webhooks get nothing."
    )
    status = NamedChoiceField(
        "WebhookStatusEnum",
        WebhookStatus.choices,
        read_only=True,
        help_text="`failing` once a delivery exhausted its attempts; `healthy` again after "
        "the next successful delivery.",
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "description",
            "events",
            "active",
            "status",
            "status_changed_at",
            "last_delivery_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "status_changed_at",
            "last_delivery_at",
            "created_at",
            "updated_at",
        ]

    def validate_url(self, value):
        try:
            ssrf.check_url(value)
        except ssrf.UnsafeTarget as exc:
            raise serializers.ValidationError(str(exc), code="unsafe_target") from None
        return value

    def validate_events(self, value):
        return list(dict.fromkeys(value))


class WebhookWithSecretSerializer(WebhookSerializer):
    """A webhook with its signing secret: only in the answers that issue one."""

    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_` + base64). Shown only now: store it to verify "
        "`webhook-signature` (Standard Webhooks).",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSerializer.Meta.read_only_fields, "secret"]


class DeliveryAttemptSerializer(StrictModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "status_code",
            "response_excerpt",
            "error",
            "succeeded",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "status_code": {"help_text": "HTTP status of the answer; null when none came."},
            "response_excerpt": {"help_text": "The first 2 KiB of the answer's body."},
            "error": {"help_text": "Why the attempt failed (timeout, TLS, non-2xx, ...)."},
        }


@extend_schema_field(webhook_event_schema())
class WebhookEventField(serializers.JSONField):
    """The payload as sent (read-only)."""


class DeliverySerializer(StrictModelSerializer):
    event_id = serializers.UUIDField(read_only=True, help_text="Also the `webhook-id` header.")
    event_type = serializers.CharField(source="event.type", read_only=True)
    status = NamedChoiceField("DeliveryStatusEnum", DeliveryStatus.choices, read_only=True)
    max_attempts = serializers.SerializerMethodField()
    payload = WebhookEventField(source="event.payload", read_only=True)
    attempts = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook",
            "event_id",
            "event_type",
            "status",
            "attempt_count",
            "max_attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "completed_at",
            "created_at",
            "updated_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields

    def get_max_attempts(self, obj) -> int:
        return settings.WEBHOOK_MAX_ATTEMPTS


class EventTypeSerializer(StrictSerializer):
    type = serializers.CharField()
    version = serializers.IntegerField()
    description = serializers.CharField()
    subscribable = serializers.BooleanField(
        help_text="Whether a webhook can subscribe to it (`webhook.test` is sent on request)."
    )
    example = WebhookEventField(help_text="An example payload.")


class TombstoneSerializer(StrictModelSerializer):
    resource = NamedChoiceField("SyncResourceEnum", SyncResource.choices, read_only=True)

    class Meta:
        model = Tombstone
        fields = ["id", "resource", "object_id", "deleted_at"]
        read_only_fields = fields
        extra_kwargs = {"object_id": {"help_text": "Id of the deleted item in its resource."}}

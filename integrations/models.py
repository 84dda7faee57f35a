"""Webhooks, the events they carry, their delivery log, deletion tombstones and
idempotency keys.

- ``Webhook``: an organization's subscription (URL, event types, signing secret).
- ``Event``: one row per occurrence, with the versioned payload every subscriber
  receives (its id is the ``webhook-id`` header, stable across retries).
- ``Delivery``: one event to one webhook, retried with backoff; ``DeliveryAttempt``
  logs every try (status code, duration, response excerpt, error).
- ``Tombstone``: a deleted provider, evaluation, scorecard or report, so sync
  clients learn about deletions.
- ``IdempotencyKey``: the first response to a create sent with an
  ``Idempotency-Key`` header, replayed to retries (``config.idempotency``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class WebhookStatus(models.TextChoices):
    HEALTHY = "healthy", "Healthy"
    FAILING = "failing", "Failing: the last delivery exhausted its attempts"


class Webhook(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    events = models.JSONField(default=list, help_text="Event types this webhook receives.")
    is_active = models.BooleanField(default=True)
    # Signing secrets (``whsec_`` + base64). They must be readable to sign, so they
    # are stored as issued; the API shows a secret only when it is issued.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.HEALTHY
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"webhook {self.pk} -> {self.url}"


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhook_events"
    )
    type = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(help_text='The versioned envelope: {"type", "version", "id", ...}.')
    # Set by ``events.emit`` to the instant written into the payload.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending: the next attempt is scheduled"
    SUCCEEDED = "succeeded", "Succeeded: the receiver answered 2xx"
    FAILED = "failed", "Failed: every attempt failed, or the webhook went away"


class Delivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker holds a delivery while it sends; another worker (a redelivered task)
    # leaves it alone until the lease runs out.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "webhook__organization"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"delivery {self.pk} of {self.event_id} to webhook {self.webhook_id}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField()

    tenant_path = "delivery__webhook__organization"

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="uniq_delivery_attempt"),
        ]

    def __str__(self):
        return f"attempt {self.number} of delivery {self.delivery_id}"


class SyncResource(models.TextChoices):
    PROVIDERS = "providers", "Providers"
    EVALUATIONS = "evaluations", "Evaluations"
    SCORECARDS = "scorecards", "Scorecards"
    REPORTS = "reports", "Reports"
    CONTRACTS = "contracts", "Contracts"
    FINDINGS = "findings", "Findings"


class Tombstone(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="tombstones"
    )
    resource = models.CharField(max_length=16, choices=SyncResource.choices)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField()

    class Meta:
        ordering = ["deleted_at", "id"]
        indexes = [
            models.Index(fields=["organization", "deleted_at", "id"], name="tombstone_sync_idx"),
        ]

    def __str__(self):
        return f"{self.resource} {self.object_id} deleted at {self.deleted_at}"


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in_flight", "In flight"
    COMPLETED = "completed", "Completed"


class IdempotencyKey(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    principal = models.CharField(max_length=40, help_text="`token:<id>` or `user:<id>`.")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request.")
    state = models.CharField(max_length=16, choices=IdempotencyState.choices)
    locked_until = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "principal", "method", "path", "key"],
                name="uniq_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.method} {self.path} key {self.key} ({self.state})"

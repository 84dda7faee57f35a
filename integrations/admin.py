"""Operators' view of webhooks, deliveries, events, tombstones and idempotency keys.

Logs are read-only here; secrets are never displayed.
"""

from django import forms
from django.contrib import admin

from integrations import ssrf
from integrations.models import (
    Delivery,
    DeliveryAttempt,
    Event,
    IdempotencyKey,
    Tombstone,
    Webhook,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["organization", "url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            ssrf.check_url(url)
        except ssrf.UnsafeTarget as exc:
            raise forms.ValidationError(str(exc)) from None
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["id", "organization", "url", "is_active", "status", "last_delivery_at"]
    list_filter = ["is_active", "status"]
    search_fields = ["url", "description"]
    raw_id_fields = ["organization", "created_by"]
    exclude = ["secret", "previous_secret"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "last_delivery_at",
        "previous_secret_expires_at",
    ]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "started_at",
        "duration_ms",
        "status_code",
        "response_excerpt",
        "error",
        "succeeded",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "webhook", "event", "status", "attempt_count", "next_attempt_at"]
    list_filter = ["status"]
    raw_id_fields = ["webhook", "event"]
    inlines = [DeliveryAttemptInline]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "organization", "type", "created_at"]
    list_filter = ["type"]
    raw_id_fields = ["organization"]


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    list_display = ["id", "organization", "resource", "object_id", "deleted_at"]
    list_filter = ["resource"]
    raw_id_fields = ["organization"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["key", "organization", "principal", "method", "path", "state", "expires_at"]
    list_filter = ["state", "method"]
    raw_id_fields = ["organization"]
    exclude = ["response_body"]

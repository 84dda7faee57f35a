"""Notification preferences and send records."""

from rest_framework import serializers

from config.serializers import StrictModelSerializer, StrictSerializer
from notifications.models import TRANSACTIONAL_KINDS, Kind, Notification


def _preference_field(kind: Kind) -> serializers.BooleanField:
    note = " Transactional: always on (`false` is refused)." if kind in TRANSACTIONAL_KINDS else ""
    return serializers.BooleanField(required=False, help_text=f"{kind.label}.{note}")


class NotificationPreferencesSerializer(StrictSerializer):
    """One boolean per kind: whether you receive it. Send back any subset to change it."""

    locals().update({kind.value: _preference_field(kind) for kind in Kind})

    class Meta:
        # Requests send any subset; answers always hold every kind (config.schema).
        complete_answers = True


class NotificationSerializer(StrictModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "recipient",
            "to_email",
            "subject",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "recipient": {"help_text": "Id of the user it was sent to (null: an address only)."},
            "last_error": {"help_text": "Why the last attempt failed; empty once sent."},
        }


class NotificationDetailSerializer(NotificationSerializer):
    class Meta(NotificationSerializer.Meta):
        fields = [*NotificationSerializer.Meta.fields, "body_text"]
        read_only_fields = fields

"""Members' choices of which kinds of email they receive.

No row means a kind is on. Transactional kinds (invitations, password resets)
cannot be switched off: without them nobody could join or sign in.
"""

from django.db import transaction
from rest_framework.exceptions import ValidationError

from notifications.models import TRANSACTIONAL_KINDS, Kind, NotificationPreference


def preferences_of(membership) -> dict[str, bool]:
    """Every kind, in declaration order, with whether ``membership`` receives it."""
    off = set(
        NotificationPreference.objects.filter(membership=membership, enabled=False).values_list(
            "kind", flat=True
        )
    )
    return {kind: kind in TRANSACTIONAL_KINDS or kind not in off for kind in Kind.values}


@transaction.atomic
def set_preferences(membership, changes: dict[str, bool]) -> dict[str, bool]:
    """Switch kinds on or off; a transactional kind switched off is a 400 naming it."""
    refused = sorted(kind for kind, on in changes.items() if kind in TRANSACTIONAL_KINDS and not on)
    if refused:
        raise ValidationError(
            {
                kind: [f"`{kind}` emails are transactional; they cannot be switched off."]
                for kind in refused
            }
        )
    rows = [
        NotificationPreference(membership=membership, kind=kind, enabled=on)
        for kind, on in changes.items()
        if kind not in TRANSACTIONAL_KINDS
    ]
    # An upsert: two concurrent changes of one kind leave one row, the last one.
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["membership", "kind"],
        update_fields=["enabled", "updated_at"],
    )
    return preferences_of(membership)

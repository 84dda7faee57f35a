"""The shape every trail row of the contracts app shares (contracts, findings)."""

from django.conf import settings
from django.db import models


class TrailEvent(models.Model):
    """One change: who, when, from which value to which. Each concrete trail adds the
    object it belongs to (set null when that is deleted) and a ``*_ref`` keeping its
    id, so a deletion stays in the trail."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=160, blank=True)
    action = models.CharField(max_length=40)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

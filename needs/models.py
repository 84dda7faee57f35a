"""A stored needs assessment: the buyer profile and what the rule table made of it."""

from django.conf import settings
from django.db import models


class NeedsAssessment(models.Model):
    """Immutable once created: ``profile`` in, ``result`` out (``needs.assessment``).

    ``engine_version`` and ``rule_set_hash`` name the rule table that produced
    ``result``, so a stored result can always be told apart from what today's
    rules would say for the same profile.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="needs_assessments"
    )
    name = models.CharField(max_length=200, blank=True)
    profile = models.JSONField(help_text="The normalised buyer profile.")
    result = models.JSONField(help_text="`assess_needs(profile).to_dict()`.")
    engine_version = models.CharField(max_length=10)
    rule_set_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        # The table keeps the name it had when this model lived in evaluations.
        db_table = "evaluations_needsassessment"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "updated_at", "id"], name="needs_sync_idx")]

    def __str__(self):
        return self.name or f"needs assessment {self.pk}"

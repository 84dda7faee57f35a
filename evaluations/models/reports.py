"""Comparison reports: immutable snapshots built in the background."""

from django.conf import settings
from django.db import models


class Report(models.Model):
    """One comparison report of an evaluation, frozen when it was built.

    ``snapshot`` holds everything the report shows (ranking, matrices, flags,
    disagreement, sensitivity, coverage, the needs assessment, the summary), so
    exports never re-read live data. Regenerating makes a new report. ``job`` is
    the job that built it: a redelivered task finds the report already there.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="reports"
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="reports"
    )
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="report"
    )
    seed = models.PositiveBigIntegerField(help_text="Monte Carlo seed.")
    trials = models.PositiveIntegerField()
    spread = models.FloatField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "updated_at", "id"], name="report_sync_idx"),
        ]

    def __str__(self):
        return f"report {self.pk} of evaluation {self.evaluation_id}"

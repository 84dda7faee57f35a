"""A Job row is the single truth about a piece of background work.

The API reports jobs from this table, never from Celery's result backend: a
client polls ``/jobs/{id}`` and follows ``result_url`` when it succeeds. How jobs
survive a broker outage, a killed worker or a dropped database connection is
described in docs/jobs.md.
"""

import uuid

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=40, help_text="What the job does, e.g. `score`.")
    status = models.CharField(
        max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100.")
    params = models.JSONField(default=dict, blank=True)
    error = models.TextField(
        blank=True,
        help_text="Why the job failed; on a pending job, why it is not queued yet.",
    )
    result = models.JSONField(
        null=True, blank=True, help_text="Small summary of the outcome (ids, counts)."
    )
    result_path = models.CharField(
        max_length=300, blank=True, help_text="API path of the produced resource."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    task_name = models.CharField(
        max_length=200, blank=True, help_text="The Celery task that runs the job (for re-sends)."
    )
    task_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="Id of the queue message that claimed the job; other copies are dropped.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

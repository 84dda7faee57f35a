"""Job lifecycle. Tasks call these; nothing else writes job status."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs.models import Job, JobStatus


def create_job(organization, kind: str, *, params=None, created_by=None) -> Job:
    return Job.objects.create(
        organization=organization,
        kind=kind,
        params=params or {},
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )


def enqueue(job: Job, task) -> Job:
    """Send ``task(job.id)`` once the surrounding transaction commits.

    A rolled-back transaction sends nothing, so a worker never sees a job
    (or the rows it would read) that does not exist.
    """
    transaction.on_commit(lambda: task.delay(str(job.id)))
    return job


def start(job_id) -> Job | None:
    """Mark a job running; None if it already finished (a redelivered task)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "started_at", "attempts", "error", "updated_at"])
    return job


def report_progress(job: Job, progress: int):
    job.progress = max(0, min(100, int(progress)))
    Job.objects.filter(pk=job.pk).update(progress=job.progress, updated_at=timezone.now())


def succeed(job: Job, *, result=None, result_path: str = ""):
    job.status = JobStatus.SUCCEEDED
    job.progress = 100
    job.result = result
    job.result_path = result_path
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "progress", "result", "result_path", "finished_at", "updated_at"]
    )


def fail(job_id, error: str):
    Job.objects.filter(pk=job_id).exclude(status=JobStatus.SUCCEEDED).update(
        status=JobStatus.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def run_job(job_id, work: Callable[[Job], tuple[object, str]]) -> Job | None:
    """Run ``work(job)`` under the job's lifecycle.

    ``work`` returns ``(result, result_path)``. Errors mark the job failed with
    a message fit for users and are re-raised so Celery logs them.
    """
    job = start(job_id)
    if job is None:
        return None
    try:
        result, result_path = work(job)
    except Exception as exc:
        fail(job_id, f"{type(exc).__name__}: {exc}")
        raise
    succeed(job, result=result, result_path=result_path)
    return job


def sweep_stale_jobs(now=None) -> int:
    """Fail jobs that stopped reporting: a worker died and nothing redelivered them."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    return Job.objects.filter(
        status__in=[JobStatus.RUNNING, JobStatus.PENDING], updated_at__lt=cutoff
    ).update(
        status=JobStatus.FAILED,
        error="The job stopped reporting progress and was abandoned; request it again.",
        finished_at=now,
        updated_at=now,
    )

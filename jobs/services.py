"""Job lifecycle. Tasks call these; nothing else writes job status.

A job can reach workers more than once: the sweeper re-sends a job still
pending (its message may be lost), and the broker redelivers the message of a
worker that died. The first message to start a job claims it (``task_id``);
other copies are dropped, and only the claimant's own redelivery may take over
a running job. docs/jobs.md describes every failure mode.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from celery import current_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from accounts.principal import stored_user
from jobs import dispatch
from jobs.kinds import TASK_NAMES, JobKind
from jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

# A run that hits a database error outside the program's control (a dropped
# connection, a restart or failover, a deadlock) is retried after each of these
# pauses, on a fresh connection if the old one broke, before the job fails.
DATABASE_RETRY_DELAYS = (0.5, 2.0)


def create_job(organization, kind: JobKind, *, params=None, created_by=None) -> Job:
    """A pending job; its task's name is recorded so the sweeper can send it again."""
    return Job.objects.create(
        organization=organization,
        kind=kind,
        params=params or {},
        created_by=stored_user(created_by),
        task_name=TASK_NAMES[kind],
    )


def submit(organization, kind: JobKind, *, params=None, created_by=None) -> Job:
    """Create a job and send its kind's task once the surrounding transaction commits.

    A rolled-back transaction sends nothing, so a worker never sees a job
    (or the rows it would read) that does not exist. A broker that is down
    does not fail the caller: the job stays pending and is sent again later.
    """
    job = create_job(organization, kind, params=params, created_by=created_by)
    transaction.on_commit(lambda: dispatch.send(job))
    return job


def start(job_id, task_id: str | None = None) -> Job | None:
    """Claim a job for the message ``task_id`` and mark it running.

    None when this message must not run it: the job finished, or another
    message claimed it (a duplicate send). The claimant's own redelivery takes
    the job over, because its worker died.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        claimed_by_another = job.status == JobStatus.RUNNING and job.task_id not in ("", task_id)
        if job.is_finished or (task_id and claimed_by_another):
            return None
        job.status = JobStatus.RUNNING
        job.task_id = task_id or ""
        job.started_at = job.started_at or timezone.now()
        job.attempts += 1
        job.error = ""
        job.save(
            update_fields=["status", "task_id", "started_at", "attempts", "error", "updated_at"]
        )
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


def succeeded_job(job_id) -> Job | None:
    """The job if it succeeded (with its organization and requester), else None."""
    return (
        Job.objects.select_related("organization", "created_by")
        .filter(pk=job_id, status=JobStatus.SUCCEEDED)
        .first()
    )


def fail(job_id, error: str):
    Job.objects.filter(pk=job_id).exclude(status=JobStatus.SUCCEEDED).update(
        status=JobStatus.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def run_job(job_id, work: Callable[[Job], tuple[object, str]]) -> Job | None:
    """Run ``work(job)`` under the job's lifecycle, from inside its Celery task.

    ``work`` returns ``(result, result_path)``; it must be idempotent with
    atomic writes, so running it again after a database error can neither
    duplicate nor half-write results. Errors mark the job failed with a message
    fit for users and are re-raised so Celery logs them.
    """
    task_id = getattr(getattr(current_task, "request", None), "id", None)
    retries = 0
    while True:
        try:
            job = start(job_id, task_id)
            if job is None:
                return None
            result, result_path = work(job)
            succeed(job, result=result, result_path=result_path)
            return job
        except Exception as exc:
            transient = recover_from_database_error(exc)
            if transient and retries < len(DATABASE_RETRY_DELAYS):
                log.warning("job %s hit a database error, retrying: %s", job_id, exc)
                time.sleep(DATABASE_RETRY_DELAYS[retries])
                retries += 1
                continue
            reason = f"{type(exc).__name__}: {exc}"
            if transient:
                reason = f"The database failed {retries + 1} times in a row ({reason})."
            fail(job_id, reason)
            raise


def recover_from_database_error(exc: Exception) -> bool:
    """Whether ``exc`` is a database error worth retrying the run for.

    Those are ``OperationalError`` and ``InterfaceError``: a connection dropped
    by a restart or failover, a deadlock, a lock timeout. A connection left
    broken is closed so the next query opens a new one. Never inside a
    transaction, which a new connection could not continue.
    """
    if not isinstance(exc, OperationalError | InterfaceError) or connection.in_atomic_block:
        return False
    if not connection.is_usable():
        connection.close()
    return True


def sweep_stale_jobs(now=None) -> dict:
    """Fail jobs that will not finish; send again those whose message may be lost.

    Running jobs silent for ``JOB_STALE_AFTER_SECONDS`` lost their worker and
    were not redelivered; pending jobs that old were never started.
    """
    now = now or timezone.now()
    seconds = settings.JOB_STALE_AFTER_SECONDS
    cutoff = now - timedelta(seconds=seconds)

    def fail_all(jobs, error: str) -> int:
        return jobs.update(status=JobStatus.FAILED, error=error, finished_at=now, updated_at=now)

    abandoned = fail_all(
        Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff),
        f"The job stopped reporting progress for {seconds} seconds (its worker "
        "probably died) and was abandoned; request it again.",
    )
    never_started = fail_all(
        Job.objects.filter(status=JobStatus.PENDING, created_at__lt=cutoff),
        f"No worker started the job within {seconds} seconds (the task queue was "
        "unreachable or overloaded); request it again.",
    )
    return {"failed": abandoned + never_started, "resent": dispatch.resend_pending(now)}

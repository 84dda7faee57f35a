"""Sending jobs to the broker so that a broker outage loses none of them.

A publish is retried briefly (``CELERY_TASK_PUBLISH_RETRY_POLICY``, bounded
socket timeouts). If the broker is still unreachable the caller carries on: the
job stays ``pending`` with the reason in ``error``, and the periodic sweeper
sends it again once the broker is back (``resend_pending``). Sending a job twice
is harmless: ``services.start`` lets only one copy run it.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from kombu.exceptions import KombuError

from jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

# One sweep re-sends at most this many jobs, oldest first, so it stays short
# after a long outage; the rest go on the next sweeps.
RESEND_BATCH = 500


def send(job: Job) -> bool:
    """Publish the job's task; False, with the reason on the job, if the broker refused it."""
    try:
        current_app.tasks[job.task_name].delay(str(job.id))
    except KombuError as exc:
        log.warning("job %s not queued, the sweeper will send it again: %s", job.pk, exc)
        job.error = (
            f"Not queued yet: the task queue was unreachable ({exc}). "
            "It is sent again automatically."
        )[:2000]
        Job.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(error=job.error)
        return False
    return True


def resend_pending(now) -> int:
    """Send again the jobs still pending ``JOB_RESEND_AFTER_SECONDS`` after their last send.

    Their message may have been refused, or lost with a broker that restarted
    without persistence; or it is only waiting behind others, and the copy will
    be dropped. ``updated_at`` records the re-send, which spaces re-sends out.
    """
    cutoff = now - timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS)
    due = list(
        Job.objects.filter(status=JobStatus.PENDING, updated_at__lt=cutoff)
        .exclude(task_name="")
        .order_by("updated_at")
        .only("pk", "task_name")[:RESEND_BATCH]
    )
    Job.objects.filter(pk__in=[job.pk for job in due]).update(updated_at=now)
    sent = 0
    for job in due:
        if job.task_name not in current_app.tasks:
            log.error("job %s names an unknown task %r; not re-sent", job.pk, job.task_name)
        elif send(job):
            sent += 1
    return sent

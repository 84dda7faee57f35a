"""A worker killed (SIGKILL) in the middle of scoring: the task is redelivered to
another worker and completes, with exactly one scorecard version per candidate.

Runs real `celery worker` processes against Redis and the test database
(PostgreSQL), with a short broker visibility timeout so the unacknowledged
message comes back within seconds instead of 18 minutes. The settings refuse a
visibility timeout shorter than the task limits, so those shrink with it.
"""

import signal

import pytest

from evaluations.models import Scorecard
from evaluations.services import scoring
from jobs.models import Job, JobStatus
from tests.jobs.workers import start_worker, stop, wait_for
from tests.services import require_postgres, require_redis

SHORT_VISIBILITY = {
    "CELERY_VISIBILITY_TIMEOUT": "20",
    "CELERY_TASK_TIME_LIMIT": "15",
    "WEBHOOK_BACKOFF_MAX_SECONDS": "4",
    "JOB_TIMEOUT_MARGIN_SECONDS": "1",
}


@pytest.mark.worker
def test_scoring_survives_a_killed_worker(transactional_db, queue_for_real):
    require_redis()
    require_postgres()
    from benchmarks.scoring import build

    evaluation = build(candidates=40, questions=300, evaluators=10)
    first = start_worker("doomed", env=SHORT_VISIBILITY)
    second = None
    try:
        job = scoring.request_scoring(evaluation, user=None)  # sent at once (autocommit)
        running = wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists(), 60
        )
        assert running, "the first worker never started the job"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING, "the task finished before the kill; enlarge it"
        assert not Scorecard.objects.filter(evaluation=evaluation).exists()

        second = start_worker("rescuer", env=SHORT_VISIBILITY)
        finished = wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(),
            90,
            interval=0.2,
        )
        job.refresh_from_db()
        assert finished, f"job ended as {job.status}: {job.error}"
        assert job.attempts == 2
        versions = list(
            Scorecard.objects.filter(evaluation=evaluation).values_list("candidate_id", "version")
        )
        assert len(versions) == 40 and {v for _, v in versions} == {1}
    finally:
        stop(first, second)

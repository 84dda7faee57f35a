"""Redis stops while a request queues a job: the request still answers 202, and
the job runs exactly once after Redis is back.

A private `redis-server` on a free loopback port (never the shared one), without
persistence, so its restart also loses whatever was queued. A real worker with
embedded beat sweeps every second; the sweeper sends the pending job again.
"""

import pytest

from accounts.models import Role
from evaluations.models import Scorecard
from jobs import services
from jobs.kinds import JobKind
from jobs.models import Job, JobStatus
from tests.evaluations.test_scoring_task import build
from tests.jobs.workers import start_worker, stop, tail, wait_for
from tests.private_redis import running_private_redis, use_broker
from tests.services import require_postgres


@pytest.fixture
def private_redis(tmp_path):
    require_postgres()  # the worker process shares the test database
    with running_private_redis(tmp_path) as server:
        yield server


@pytest.fixture
def publish_to_private_redis(private_redis):
    """This process publishes to the private Redis instead of running tasks inline."""
    from config.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker(private_redis.url, False)
    yield
    app.pool.force_close_all()  # the private broker's connections, never used again
    use_broker(*previous)


@pytest.mark.worker
def test_a_job_queued_while_redis_is_down_runs_once_it_is_back(
    transactional_db, private_redis, publish_to_private_redis, make_client, tmp_path
):
    client = make_client(Role.ADMIN)
    evaluation = build(client.organization)
    log = tmp_path / "worker.log"
    worker = start_worker(
        "outage",
        env={
            "REDIS_URL": private_redis.url,
            "JOB_SWEEP_INTERVAL_SECONDS": "1",
            "JOB_RESEND_AFTER_SECONDS": "1",
        },
        log=log,
        beat=tmp_path / "beat-schedule",
    )
    try:
        ping = services.submit(client.organization, JobKind.PING)
        assert wait_for(lambda: finished(ping), 60, interval=0.1), tail(log)

        private_redis.stop()
        response = client.post(f"/api/v1/evaluations/{evaluation.pk}/score/")
        assert response.status_code == 202, response.content
        queued = response.json()
        assert queued["status"] == "pending"
        assert queued["error"].startswith("Not queued yet: the task queue was unreachable")

        private_redis.start()
        job = Job.objects.get(pk=queued["id"])
        assert wait_for(lambda: finished(job), 60, interval=0.2), tail(log)
        assert job.status == JobStatus.SUCCEEDED, f"{job.error}\n{tail(log)}"
        assert job.attempts == 1 and job.error == ""
        versions = Scorecard.objects.filter(evaluation=evaluation).values_list(
            "candidate_id", "version"
        )
        assert sorted(versions) == sorted((c.pk, 1) for c in evaluation.candidates.all())
    finally:
        stop(worker)


def finished(job: Job) -> bool:
    job.refresh_from_db()
    return job.is_finished

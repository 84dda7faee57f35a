"""The database connection of a running job is killed (``pg_terminate_backend``,
as a PostgreSQL restart or failover would): the run is retried on a fresh
connection and succeeds, with exactly one scorecard version per candidate; when
the connection keeps dying the job fails with a clear error, never left running.
"""

import pytest
from django.db import IntegrityError, OperationalError, connection

from evaluations.models import Scorecard
from evaluations.services import scoring
from jobs import services
from jobs.kinds import JobKind
from jobs.models import Job, JobStatus
from tests.jobs.workers import database_url, start_worker, stop, tail, wait_for
from tests.services import require_postgres, require_redis

WORKER_CONNECTION = "scorecards-test-worker"


def terminate_backends(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def kill_own_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


@pytest.mark.worker
def test_scoring_survives_its_database_connection_being_killed(
    transactional_db, queue_for_real, tmp_path
):
    require_redis()
    require_postgres()
    from benchmarks.scoring import build

    evaluation = build(candidates=40, questions=300, evaluators=10)
    log = tmp_path / "worker.log"
    worker = start_worker("dbkill", env={"DATABASE_URL": database_url(WORKER_CONNECTION)}, log=log)
    try:
        job = scoring.request_scoring(evaluation, user=None)  # sent at once (autocommit)
        running = wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists(), 60
        )
        assert running, f"the worker never started the job\n{tail(log)}"
        assert terminate_backends(WORKER_CONNECTION) == 1
        finished = wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=["succeeded", "failed"]).exists(),
            60,
            interval=0.1,
        )
        job.refresh_from_db()
        assert finished, f"job left {job.status}\n{tail(log)}"
        assert job.status == JobStatus.SUCCEEDED, f"{job.error}\n{tail(log)}"
        assert job.attempts == 2, "the task finished before the kill; enlarge it"
        versions = list(
            Scorecard.objects.filter(evaluation=evaluation).values_list("candidate_id", "version")
        )
        assert len(versions) == 40 and {v for _, v in versions} == {1}
    finally:
        stop(worker)


@pytest.fixture
def no_retry_pauses(monkeypatch):
    monkeypatch.setattr(services, "DATABASE_RETRY_DELAYS", (0, 0))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_retry_pauses")
class TestDatabaseErrorsInRunJob:
    """run_job itself, in this process: the work kills its own database connection."""

    def test_a_connection_lost_once_is_retried(self, organization):
        require_postgres()
        job = services.create_job(organization, JobKind.PING)
        calls = []

        def work(job):
            calls.append(job.attempts)
            if len(calls) == 1:
                kill_own_connection()
            return {"done": True}, ""

        services.run_job(job.id, work)
        job.refresh_from_db()
        assert calls == [1, 2]
        assert (job.status, job.attempts, job.result) == (JobStatus.SUCCEEDED, 2, {"done": True})

    def test_a_connection_that_keeps_dying_fails_the_job_clearly(self, organization):
        require_postgres()
        job = services.create_job(organization, JobKind.PING)

        def work(job):
            kill_own_connection()

        with pytest.raises(OperationalError, match="terminating connection"):
            services.run_job(job.id, work)
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.attempts == 3
        assert job.error.startswith("The database failed 3 times in a row (OperationalError: ")
        assert job.finished_at is not None

    def test_errors_of_the_work_itself_are_not_retried(self, organization):
        job = services.create_job(organization, JobKind.PING)

        def work(job):
            Job.objects.create(id=job.id, organization=job.organization, kind="duplicate")

        with pytest.raises(IntegrityError):
            services.run_job(job.id, work)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
        assert job.error.startswith("IntegrityError: ")

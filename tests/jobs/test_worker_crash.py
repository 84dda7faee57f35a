"""A worker killed (SIGKILL) in the middle of scoring: the task is redelivered to
another worker and completes, with exactly one scorecard version per candidate.

Runs real `celery worker` processes against Redis and the test database
(PostgreSQL), with a short broker visibility timeout so the unacknowledged
message comes back within seconds instead of an hour.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from evaluations.models import Scorecard
from evaluations.services import scoring
from jobs.models import Job, JobStatus
from tests.services import require_postgres, require_redis

ROOT = Path(__file__).resolve().parents[2]


def worker_env() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }


def start_worker(name: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and app)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(predicate, seconds: float, interval: float = 0.005):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def queue_for_real():
    """Send tasks to the broker instead of running them inline (test settings)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.mark.worker
def test_scoring_survives_a_killed_worker(transactional_db, queue_for_real):
    require_redis()
    require_postgres()
    from benchmarks.scoring import build

    evaluation = build(candidates=40, questions=300, evaluators=10)
    first = start_worker("doomed")
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

        second = start_worker("rescuer")
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
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

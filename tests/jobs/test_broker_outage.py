"""Redis stops while a request queues a job: the request still answers 202, and
the job runs exactly once after Redis is back.

A private `redis-server` on a free loopback port (never the shared one), without
persistence, so its restart also loses whatever was queued. A real worker with
embedded beat sweeps every second; the sweeper sends the pending job again.
"""

import shutil
import socket
import subprocess

import pytest
import redis

from accounts.models import Role
from evaluations.models import Scorecard
from jobs import services, tasks
from jobs.models import Job, JobStatus
from tests.evaluations.test_scoring_task import build
from tests.jobs.workers import start_worker, stop, tail, wait_for
from tests.services import require, require_postgres


class PrivateRedis:
    """A throwaway redis-server that can be stopped and started on the same port."""

    def __init__(self, directory):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        command = [shutil.which("redis-server"), "--dir", str(self.directory)]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        self.process = subprocess.Popen(  # noqa: S603 (the system's redis-server)
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: self.answers(client), 10, interval=0.05), "redis did not start"

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @staticmethod
    def answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    require_postgres()  # the worker process shares the test database
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publish_to_private_redis(private_redis):
    """This process publishes to the private Redis instead of running tasks inline."""
    from config.celery import app

    def use(broker_url, eager):
        # Forget the pools made for the previous broker, as Celery does after a fork.
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = broker_url
        app.conf.task_always_eager = eager

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    use(private_redis.url, False)
    yield
    app.pool.force_close_all()  # the private broker's connections, never used again
    use(*previous)


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
        ping = services.submit(client.organization, "ping", tasks.ping)
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

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jobs import services, tasks
from jobs.models import Job, JobStatus
from tests.services import require_redis


@pytest.mark.django_db
class TestJobLifecycle:
    def test_ping_endpoint_runs_the_task_and_reports_through_the_job(
        self, admin_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = admin_client.post("/api/v1/jobs/ping/")
        assert response.status_code == 202
        assert len(callbacks) == 1
        job = response.json()
        polled = admin_client.get(f"/api/v1/jobs/{job['id']}/").json()
        assert polled["status"] == "succeeded"
        assert polled["progress"] == 100
        assert polled["result"] == {"pong": True}
        assert polled["started_at"] and polled["finished_at"]

    @pytest.mark.parametrize("role", ["evaluator", "viewer"])
    def test_only_admins_ping(self, make_client, organization, role):
        assert make_client(role, organization).post("/api/v1/jobs/ping/").status_code == 403

    def test_failure_is_recorded_and_reraised(self, organization):
        job = services.create_job(organization, "demo")

        def broken(job):
            raise ValueError("no applicable section")

        with pytest.raises(ValueError):
            services.run_job(job.id, broken)
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.error == "ValueError: no applicable section"
        assert job.finished_at is not None

    def test_redelivered_task_does_not_rerun_a_finished_job(self, organization):
        job = services.create_job(organization, "ping")
        calls = []
        services.run_job(job.id, lambda j: (calls.append(1), "")[::-1] and ({"n": 1}, ""))
        assert services.run_job(job.id, lambda j: (calls.append(2), {}, "")) is None
        assert calls == [1]
        job.refresh_from_db()
        assert job.attempts == 1

    def test_result_url_is_absolute(self, admin_client, organization):
        job = services.create_job(organization, "x")
        services.succeed(job, result={}, result_path="/api/v1/jobs/")
        job_id = Job.objects.filter(organization=organization).first().id
        body = admin_client.get(f"/api/v1/jobs/{job_id}/").json()
        assert body["result_url"] == "http://testserver/api/v1/jobs/"

    def test_sweeper_fails_only_stale_unfinished_jobs(self, organization):
        stale = services.create_job(organization, "score")
        fresh = services.create_job(organization, "score")
        done = services.create_job(organization, "score")
        services.succeed(done)
        old = timezone.now() - timedelta(hours=2)
        Job.objects.filter(pk__in=[stale.pk, done.pk]).update(
            updated_at=old, status=JobStatus.RUNNING
        )
        Job.objects.filter(pk=done.pk).update(status=JobStatus.SUCCEEDED)
        assert services.sweep_stale_jobs() == 1
        statuses = dict(Job.objects.values_list("pk", "status"))
        assert statuses == {stale.pk: "failed", fresh.pk: "pending", done.pk: "succeeded"}


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_from_a_rolled_back_transaction(organization, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.ping, "delay", lambda job_id: sent.append(job_id))
    with pytest.raises(RuntimeError), transaction.atomic():
        job = services.create_job(organization, "ping")
        services.enqueue(job, tasks.ping)
        raise RuntimeError("roll back")
    assert sent == []
    with transaction.atomic():
        job = services.create_job(organization, "ping")
        services.enqueue(job, tasks.ping)
        assert sent == []  # not before commit
    assert sent == [str(job.id)]


def ping_through_the_queue(organization) -> Job:
    job = services.create_job(organization, "ping")
    tasks.ping.delay(str(job.id))
    deadline = timezone.now() + timedelta(seconds=30)
    while timezone.now() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    return job


@pytest.mark.worker
def test_a_real_worker_consumes_the_queue(real_worker, organization):
    job = ping_through_the_queue(organization)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"pong": True}
    assert job.attempts == 1


@pytest.mark.worker
def test_the_real_worker_runs_against_redis(real_worker, organization):
    require_redis()
    from config.celery import app

    with app.connection_for_write() as connection:
        assert connection.transport.driver_type == "redis"
    assert ping_through_the_queue(organization).status == JobStatus.SUCCEEDED

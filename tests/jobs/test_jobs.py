import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from jobs import services, tasks
from jobs.kinds import JobKind
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
        job = services.create_job(organization, JobKind.PING)

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
        job = services.create_job(organization, JobKind.PING)
        services.succeed(job, result={}, result_path="/api/v1/jobs/")
        job_id = Job.objects.filter(organization=organization).first().id
        body = admin_client.get(f"/api/v1/jobs/{job_id}/").json()
        assert body["result_url"] == "http://testserver/api/v1/jobs/"

    def test_sweeper_fails_only_stale_unfinished_jobs_with_a_clear_message(self, organization):
        stuck, never_started, fresh, done = (
            services.create_job(organization, "score") for _ in range(4)
        )
        services.succeed(done)
        old = timezone.now() - timedelta(hours=2)
        Job.objects.filter(pk__in=[stuck.pk, done.pk]).update(
            updated_at=old, status=JobStatus.RUNNING
        )
        Job.objects.filter(pk=done.pk).update(status=JobStatus.SUCCEEDED)
        Job.objects.filter(pk=never_started.pk).update(created_at=old, updated_at=old)
        assert services.sweep_stale_jobs() == {"failed": 2, "resent": 0}
        jobs = {job.pk: job for job in Job.objects.all()}
        assert jobs[stuck.pk].status == "failed" and jobs[stuck.pk].finished_at is not None
        assert jobs[stuck.pk].error.startswith(
            "The job stopped reporting progress for 1750 seconds (its worker probably died)"
        )
        assert jobs[never_started.pk].status == "failed"
        assert jobs[never_started.pk].error.startswith("No worker started the job within 1750")
        assert (jobs[fresh.pk].status, jobs[done.pk].status) == ("pending", "succeeded")

    def test_sweeper_resends_jobs_left_pending(self, organization, settings):
        # submit records the task and sends nothing here (the test never commits).
        late, recent = (services.submit(organization, JobKind.PING) for _ in range(2))
        # A row from before jobs named their task: nothing to send it with.
        never_enqueued = services.create_job(organization, JobKind.PING)
        Job.objects.filter(pk=never_enqueued.pk).update(task_name="")
        minute_ago = timezone.now() - timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS + 1)
        Job.objects.filter(pk__in=[late.pk, never_enqueued.pk]).update(updated_at=minute_ago)
        # Eager here: the re-sent task runs inline; the others are left alone.
        assert services.sweep_stale_jobs() == {"failed": 0, "resent": 1}
        statuses = dict(Job.objects.values_list("pk", "status"))
        assert statuses == {
            late.pk: "succeeded",
            recent.pk: "pending",
            never_enqueued.pk: "pending",
        }

    def test_an_unreachable_broker_leaves_the_job_pending_for_the_sweeper(
        self, admin_client, organization, monkeypatch, django_capture_on_commit_callbacks
    ):
        def refuse(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(tasks.ping, "delay", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post("/api/v1/jobs/ping/")
        assert response.status_code == 202
        body = admin_client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
        assert body["status"] == "pending"
        assert body["error"] == (
            "Not queued yet: the task queue was unreachable (Error 111 connecting to "
            "127.0.0.1:6379. Connection refused.). It is sent again automatically."
        )
        monkeypatch.undo()
        later = timezone.now() + timedelta(minutes=2)
        assert services.sweep_stale_jobs(now=later) == {"failed": 0, "resent": 1}
        polled = admin_client.get(f"/api/v1/jobs/{body['id']}/").json()
        assert (polled["status"], polled["error"], polled["attempts"]) == ("succeeded", "", 1)


@pytest.mark.django_db
class TestDuplicateMessages:
    """The first message to start a job claims it; only its redelivery may take over."""

    def test_a_copy_of_a_running_job_is_dropped(self, organization):
        job = services.create_job(organization, "ping")
        assert services.start(job.id, "first").task_id == "first"
        assert services.start(job.id, "copy") is None
        job.refresh_from_db()
        assert (job.status, job.task_id, job.attempts) == (JobStatus.RUNNING, "first", 1)

    def test_the_claimants_redelivery_takes_over(self, organization):
        job = services.create_job(organization, "ping")
        services.start(job.id, "first")
        assert services.start(job.id, "first").attempts == 2

    def test_a_copy_does_not_run_the_work(self, organization, monkeypatch):
        job = services.create_job(organization, "ping")
        services.start(job.id, "first")
        request = SimpleNamespace(id="copy")
        monkeypatch.setattr(services, "current_task", SimpleNamespace(request=request))
        calls = []
        assert services.run_job(job.id, lambda j: (calls.append(j), ({}, ""))[1]) is None
        assert calls == []


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_from_a_rolled_back_transaction(organization, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.ping, "delay", lambda job_id: sent.append(job_id))
    with pytest.raises(RuntimeError), transaction.atomic():
        job = services.submit(organization, JobKind.PING)
        raise RuntimeError("roll back")
    assert sent == []
    with transaction.atomic():
        job = services.submit(organization, JobKind.PING)
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

"""The report task: discovered by Celery, idempotent, and run by a real worker."""

import os

import pytest

from evaluations.models import Report
from evaluations.services import reports as report_service
from evaluations.tasks import reports as tasks_reports
from jobs.models import Job
from tests.evaluations.test_reports_api import build_comparison, built_report


@pytest.fixture
def report(organization, admin_client, django_capture_on_commit_callbacks):
    evaluation = build_comparison(organization, lead=admin_client.membership)
    return built_report(admin_client, evaluation, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_a_redelivered_task_returns_the_same_report(report):
    job = Job.objects.get(kind="report")
    Job.objects.filter(pk=job.pk).update(status="running")  # the ack was lost
    tasks_reports.generate_report(str(job.id))
    assert Report.objects.count() == 1
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2


def test_celery_discovers_the_report_task():
    """In a fresh process, as a worker starts: autodiscovery imports only `tasks.py`."""
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from config.celery import app; "
        "app.loader.import_default_modules(); "
        "print('evaluations.tasks_reports.generate_report' in app.tasks)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.worker
def test_report_through_a_real_worker(real_worker, organization):
    from tests.evaluations.test_scoring_task import wait_for

    evaluation = build_comparison(organization)
    job = report_service.request_report(evaluation, user=None, seed=9, trials=100)
    assert wait_for(job).status == "succeeded", job.error
    built = Report.objects.get(job=job)
    assert job.result_path == f"/api/v1/reports/{built.pk}/"
    assert built.snapshot["settings"] == {"seed": 9, "trials": 100, "spread": 0.25}

"""The scoring task: enqueued on commit, idempotent, safe under redelivery."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations import tasks
from evaluations.models import Scorecard
from evaluations.services import scoring
from jobs import services as jobs
from jobs.models import Job, JobStatus
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.test_scoring_service import answer, rate
from tests.providers.factories import ProviderFactory
from tests.services import require_redis


def build(organization):
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization, name=n) for n in ("Acme", "Bolt")]
    evaluation = make_evaluation(organization, version, providers=providers)
    for candidate in evaluation.candidates.all():
        answer(candidate, "SOC-01", "own")
        answer(candidate, "SOC-02", True)
        rate(candidate, "REP-01", [3, 5])
    return evaluation


@pytest.mark.django_db
class TestScoringTask:
    def test_running_the_task_twice_creates_one_version(self, organization):
        evaluation = build(organization)
        job = jobs.create_job(organization, "score", params={"evaluation_id": evaluation.pk})
        tasks.score_evaluation(str(job.id))
        tasks.score_evaluation(str(job.id))  # a duplicate delivery of a finished job
        second = jobs.create_job(organization, "score", params={"evaluation_id": evaluation.pk})
        tasks.score_evaluation(str(second.id))  # a new request with the same inputs
        assert Scorecard.objects.filter(evaluation=evaluation).count() == 2
        assert set(Scorecard.objects.values_list("version", flat=True)) == {1}
        second.refresh_from_db()
        assert second.status == JobStatus.SUCCEEDED
        assert second.result["created"] == [] and len(second.result["unchanged"]) == 2

    def test_redelivery_after_a_crash_mid_task(self, organization):
        """The worker died after writing scorecards but before finishing the job."""
        evaluation = build(organization)
        job = jobs.create_job(organization, "score", params={"evaluation_id": evaluation.pk})
        jobs.start(job.id)
        scoring.score_evaluation(evaluation.pk)  # the work got done, the ack did not
        tasks.score_evaluation(str(job.id))  # the broker redelivers
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
        assert Scorecard.objects.filter(evaluation=evaluation).count() == 2
        assert set(Scorecard.objects.values_list("version", flat=True)) == {1}

    def test_failure_leaves_a_clear_error_on_the_job(self, organization):
        evaluation = build(organization)
        evaluation.section_weights = {"soc": 0, "rep": 0}
        evaluation.save()
        job = jobs.create_job(organization, "score", params={"evaluation_id": evaluation.pk})
        with pytest.raises(ValueError):
            tasks.score_evaluation(str(job.id))
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "applicable" in job.error


def wait_for(job: Job, seconds=30) -> Job:
    deadline = timezone.now() + timedelta(seconds=seconds)
    while timezone.now() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.05)
    return job


@pytest.mark.worker
def test_scoring_through_a_real_worker(real_worker, organization):
    evaluation = build(organization)
    job = scoring.request_scoring(evaluation, user=None)  # autocommit: sent at once
    assert wait_for(job).status == JobStatus.SUCCEEDED, job.error
    cards = Scorecard.objects.filter(evaluation=evaluation, is_latest=True)
    # S_soc = 1, S_rep = (0.8 + 0) / 2: overall = 100 * (3 * 1 + 1 * 0.4) / 4
    assert sorted(cards.values_list("overall", flat=True)) == [85.0, 85.0]


@pytest.mark.worker
def test_scoring_through_redis(real_worker, organization):
    require_redis()
    evaluation = build(organization)
    job = wait_for(scoring.request_scoring(evaluation, user=None))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Scorecard.objects.filter(evaluation=evaluation).count() == 2

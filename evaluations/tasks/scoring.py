"""Scoring task: the job's evaluation gets its scorecards."""

from celery import shared_task

from evaluations.services import scoring
from jobs.services import run_job


@shared_task(name="evaluations.tasks.score_evaluation")
def score_evaluation(job_id: str):
    """Compute scorecards for the job's evaluation. Safe to run twice."""

    def work(job):
        evaluation_id = job.params["evaluation_id"]
        result = scoring.score_evaluation(evaluation_id)
        return result, f"/api/v1/evaluations/{evaluation_id}/scorecards/"

    run_job(job_id, work)

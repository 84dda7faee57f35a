"""Scoring task: the job's evaluation gets its scorecards."""

from celery import shared_task

from evaluations.models import Evaluation
from evaluations.services import scoring
from jobs.services import run_job, succeeded_job
from notifications import triggers


@shared_task(name="evaluations.tasks.score_evaluation")
def score_evaluation(job_id: str):
    """Compute scorecards for the job's evaluation. Safe to run twice."""

    def work(job):
        evaluation_id = job.params["evaluation_id"]
        result = scoring.score_evaluation(evaluation_id)
        return result, f"/api/v1/evaluations/{evaluation_id}/scorecards/"

    run_job(job_id, work)
    # Also when a copy of the message finds the job done: the previous run may
    # have died before mailing; the dedupe key keeps it to one email.
    job = succeeded_job(job_id)
    if job is not None:
        evaluation = Evaluation.objects.get(pk=job.params["evaluation_id"])
        triggers.scoring_done(job, evaluation=evaluation)

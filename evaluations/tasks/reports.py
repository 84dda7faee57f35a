"""Comparison-report task: the job's evaluation is scored and its report built."""

from celery import shared_task

from evaluations.services import reports
from jobs.services import run_job


@shared_task(name="evaluations.tasks_reports.generate_report")
def generate_report(job_id: str):
    """Score the job's evaluation and build its report. Safe to run twice."""

    def work(job):
        report = reports.generate_report(job)
        return (
            {"report": report.pk, "evaluation": report.evaluation_id},
            f"/api/v1/reports/{report.pk}/",
        )

    run_job(job_id, work)

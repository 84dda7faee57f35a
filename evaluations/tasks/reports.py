"""Comparison-report task: the job's evaluation is scored and its report built."""

from celery import shared_task

from evaluations.models import Report
from evaluations.services import reports
from jobs.services import run_job, succeeded_job
from notifications import triggers


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
    # Also when a copy of the message finds the job done: the previous run may
    # have died before mailing; the dedupe key keeps it to one email.
    job = succeeded_job(job_id)
    if job is not None:
        report = Report.objects.select_related("evaluation").get(pk=job.result["report"])
        triggers.report_done(job, report=report)

"""Isolation seeder: a needs assessment and a comparison report of the seeded evaluation.

Runs after ``tests.evaluations.seed`` (which sets ``evaluation_pk``).
"""

from evaluations.models import Evaluation, Report
from evaluations.tasks import reports as tasks_reports
from jobs import services as jobs
from needs import services as needs
from tests.seeding import seeder

PROFILE = {
    "industry": "healthcare",
    "employee_count": 40,
    "regulated_data": True,
    "frameworks": ["hipaa"],
    "engaged_service_models": ["msp"],
}


@seeder
def seed_reports(context):
    organization = context["organization"]
    user = context["admin"].user
    assessment = needs.create_assessment(
        organization=organization, user=user, name="Clinic needs", profile=PROFILE
    )
    Evaluation.objects.filter(pk=context["evaluation_pk"]).update(needs_assessment=assessment)
    job = jobs.create_job(
        organization,
        "report",
        params={
            "evaluation_id": context["evaluation_pk"],
            "seed": 7,
            "trials": 200,
            "spread": 0.25,
        },
        created_by=user,
    )
    tasks_reports.generate_report(str(job.id))
    context["needs_assessment_pk"] = assessment.pk
    context["report_pk"] = Report.objects.get(job=job).pk

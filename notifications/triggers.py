"""What each event of the domain mails, and to whom.

Services call these next to their audit records and webhook events, inside
their transaction; each builds the context of its kind and calls
``services.notify`` / ``services.notify_members``, which record the sends and
queue them on commit. Every send carries a dedupe key derived from the event,
so a retried task or a repeated call mails nobody twice.
"""

from django.urls import reverse

from accounts.principal import stored_user
from notifications.models import Kind
from notifications.services import Mail, notify, notify_members


def display_name(user) -> str:
    return user.get_full_name() or user.username


def evaluator_assigned(assignment, *, assigned_by):
    """To the new evaluator: what they must declare before rating, and where."""
    membership = assignment.membership
    evaluation = assignment.evaluation
    assigned_by = stored_user(assigned_by)
    notify_members(
        kind=Kind.EVALUATOR_ASSIGNED,
        organization=evaluation.organization,
        mails=[
            Mail(
                membership=membership,
                dedupe_key=f"evaluator_assigned:{assignment.pk}",
                context={
                    "evaluation": evaluation,
                    "evaluator_name": display_name(membership.user),
                    "assigned_by": display_name(assigned_by) if assigned_by else "An admin",
                    "ratings_due": evaluation.ratings_due,
                    "evaluation_path": reverse("evaluation-detail", kwargs={"pk": evaluation.pk}),
                    "declaration_path": reverse(
                        "evaluation-evaluator-declaration",
                        kwargs={"evaluation_pk": evaluation.pk, "pk": assignment.pk},
                    ),
                },
            )
        ],
    )


def sheet_submitted(
    sheet, *, evaluation, submitted_by, sheets_submitted: int, sheets_expected: int
):
    """To the lead, unless the lead submitted it: who submitted for which candidate."""
    lead = evaluation.lead
    submitted_by = stored_user(submitted_by)
    if submitted_by is not None and lead.user_id == submitted_by.pk:
        return
    notify_members(
        kind=Kind.SHEET_SUBMITTED,
        organization=evaluation.organization,
        mails=[
            Mail(
                membership=lead,
                dedupe_key=f"sheet_submitted:{sheet.pk}",
                context={
                    "evaluation": evaluation,
                    "lead_name": display_name(lead.user),
                    "evaluator_name": display_name(sheet.evaluator.membership.user),
                    "candidate_name": sheet.candidate.provider.name,
                    "sheets_submitted": sheets_submitted,
                    "sheets_expected": sheets_expected,
                    "sheets_path": reverse(
                        "evaluation-rating-sheets", kwargs={"evaluation_pk": evaluation.pk}
                    ),
                    "evaluation_path": reverse("evaluation-detail", kwargs={"pk": evaluation.pk}),
                },
            )
        ],
    )


def _job_done(job, kind: str, context: dict):
    requester = job.created_by
    if requester is None or not requester.email:
        return
    notify(
        kind=kind,
        to_email=requester.email,
        organization=job.organization,
        recipient=requester,
        dedupe_key=f"{kind}:{job.pk}",
        context={
            **context,
            "requester_name": display_name(requester),
            "job_path": reverse("job-detail", kwargs={"pk": job.pk}),
        },
    )


def scoring_done(job, *, evaluation):
    """To whoever requested the scoring job, once it succeeded."""
    _job_done(
        job,
        Kind.SCORING_DONE,
        {
            "evaluation": evaluation,
            "created": len((job.result or {}).get("created", [])),
            "unchanged": len((job.result or {}).get("unchanged", [])),
            "scorecards_path": reverse("evaluation-scorecards", kwargs={"pk": evaluation.pk}),
        },
    )


def report_done(job, *, report):
    """To whoever requested the report, once it is built."""
    _job_done(
        job,
        Kind.REPORT_DONE,
        {
            "evaluation": report.evaluation,
            "report_path": reverse("report-detail", kwargs={"pk": report.pk}),
            "download_path": reverse("report-download", kwargs={"pk": report.pk}),
        },
    )


def decision_made(evaluation):
    """To the evaluation's members (the lead and every evaluator), once each."""
    award = evaluation.decision_award
    providers = dict(
        evaluation.candidates.filter(pk__in=award.values()).values_list("pk", "provider__name")
    )
    winners = [{"lot": lot, "provider": providers.get(winner)} for lot, winner in award.items()]
    members = {evaluation.lead_id: evaluation.lead}
    for assignment in evaluation.evaluators.select_related("membership__user"):
        members.setdefault(assignment.membership_id, assignment.membership)
    context = {
        "evaluation": evaluation,
        "winners": winners,
        "rationale": evaluation.decision_rationale,
        "evaluation_path": reverse("evaluation-detail", kwargs={"pk": evaluation.pk}),
    }
    notify_members(
        kind=Kind.DECISION_MADE,
        organization=evaluation.organization,
        mails=[
            Mail(
                membership=membership,
                dedupe_key=f"decision_made:{evaluation.pk}:{membership.pk}",
                context={**context, "member_name": display_name(membership.user)},
            )
            for membership in members.values()
        ],
    )

"""Removing evaluators, alone or with their membership, without losing submitted work.

An evaluator may be removed only while the evaluation is draft or collecting,
and only while nothing of theirs is on the record: no submitted sheet (their
submitted ratings are final inputs of the scores) and no declared conflict
(removing and re-adding them would clear it). Anything else is a 409 that says
why. A removal deletes the assignment with the evaluator's unsubmitted drafts
and is audited as ``evaluator.removed``.
"""

from django.db import transaction

from config.exceptions import Conflict
from evaluations.models import ConflictStatus, EvaluationStatus, EvaluatorAssignment
from evaluations.services.audit import Change, record

REMOVABLE_IN = (EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING)


def _refusal(assignment: EvaluatorAssignment) -> str:
    """Why this evaluator cannot be removed, or "" when they can."""
    status = assignment.evaluation.status
    if status not in REMOVABLE_IN:
        return f"the evaluation is {status} (evaluators can be removed while draft or collecting)"
    if assignment.sheets.exists():
        return "they submitted ratings, which are part of the record"
    if assignment.conflict_status == ConflictStatus.CONFLICT:
        return "they declared a conflict of interest, which stays on record"
    return ""


def _remove(assignment: EvaluatorAssignment, user):
    record(
        assignment.evaluation,
        user,
        [Change("evaluator.removed", old={"member": assignment.membership_id})],
    )
    assignment.delete()


def _locked(assignments):
    return list(assignments.select_for_update(of=("self",)).select_related("evaluation"))


@transaction.atomic
def remove_evaluator(assignment: EvaluatorAssignment, *, user):
    (assignment,) = _locked(EvaluatorAssignment.objects.filter(pk=assignment.pk))
    reason = _refusal(assignment)
    if reason:
        raise Conflict(f"This evaluator cannot be removed: {reason}.")
    _remove(assignment, user)


@transaction.atomic
def release_member(membership, *, user):
    """Before a member is deleted: remove their evaluator assignments by the same
    rules, or refuse the deletion (409) naming the evaluations that keep them."""
    assignments = _locked(EvaluatorAssignment.objects.filter(membership=membership))
    refusals = [
        f"evaluation {assignment.evaluation_id}: {reason}"
        for assignment in assignments
        if (reason := _refusal(assignment))
    ]
    if refusals:
        raise Conflict(
            "This member is an evaluator whose work must be kept (" + "; ".join(refusals) + ")."
        )
    for assignment in assignments:
        _remove(assignment, user)

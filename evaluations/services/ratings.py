"""Independent ratings, sheet submission and the lead's overrides."""

from django.db import IntegrityError, transaction
from rest_framework.exceptions import PermissionDenied, ValidationError

from accounts.principal import stored_user
from config.exceptions import Conflict
from config.races import retry_on_unique_race
from config.text import is_blank
from evaluations.models import EvaluationStatus, Override, Rating, RatingSheet
from evaluations.selectors import barred_q
from evaluations.services.audit import Change, record
from evaluations.services.lifecycle import require_status
from evaluations.services.packs import pinned_questions
from notifications import triggers

MAX_ITEMS = 1000
S = EvaluationStatus


def evaluator_for(evaluation, membership):
    """The caller's assignment in this evaluation, checked for the right to rate.

    Locked until the transaction ends, so a sheet submission, a rating write and
    the evaluator's removal never interleave."""
    assignment = (
        evaluation.evaluators.select_for_update().filter(membership=membership).first()
        if membership
        else None
    )
    if assignment is None:
        raise PermissionDenied("You are not an evaluator of this evaluation.")
    if not assignment.may_rate:
        if assignment.conflict_status == "undeclared":
            raise PermissionDenied("Declare your conflicts of interest before rating.")
        raise PermissionDenied(
            "A declared conflict bars you from rating unless the lead overrides it."
        )
    return assignment


@retry_on_unique_race
def upsert_ratings(evaluation, *, user, membership, items: list[dict]) -> dict:
    """Apply ``[{candidate, question, score, comment}]`` as the calling evaluator."""
    require_status(evaluation, {S.COLLECTING}, "Rating")
    if len(items) > MAX_ITEMS:
        raise ValidationError([f"At most {MAX_ITEMS} ratings per request."])
    assignment = evaluator_for(evaluation, membership)
    candidates = set(evaluation.candidates.values_list("pk", flat=True))
    submitted = set(assignment.sheets.values_list("candidate_id", flat=True))
    questions = {q.code: q for q in pinned_questions(evaluation)}

    errors: dict[int, dict] = {}
    seen = set()
    for index, item in enumerate(items):
        item_errors = {}
        question = questions.get(item["question"])
        if item["candidate"] not in candidates:
            item_errors["candidate"] = ["Not a candidate of this evaluation."]
        elif item["candidate"] in submitted:
            item_errors["candidate"] = [
                "You submitted your sheet for this candidate; its ratings are final."
            ]
        if question is None:
            item_errors["question"] = ["No question with this code in the pinned version."]
        elif not question.is_judged:
            item_errors["question"] = [
                "This question is scored automatically from the answer; it cannot be rated."
            ]
        elif not 0 <= item["score"] <= question.scale_max:
            item_errors["score"] = [f"Must be from 0 to {question.scale_max}."]
        key = (item["candidate"], item["question"])
        if key in seen:
            item_errors["question"] = ["Rated twice in this request."]
        seen.add(key)
        if item_errors:
            errors[index] = item_errors
    if errors:
        raise ValidationError([errors.get(i, {}) for i in range(len(items))])

    existing = {(r.candidate_id, r.question_id): r for r in assignment.ratings.all()}
    to_create, to_update = [], []
    for item in items:
        question = questions[item["question"]]
        current = existing.get((item["candidate"], question.pk))
        comment = item.get("comment", "")
        if current and current.score == item["score"] and current.comment == comment:
            continue
        if current:
            current.score, current.comment = item["score"], comment
            to_update.append(current)
        else:
            to_create.append(
                Rating(
                    candidate_id=item["candidate"],
                    question=question,
                    evaluator=assignment,
                    score=item["score"],
                    comment=comment,
                )
            )
    # Drafts are not audited: they move no score and stay private to their author
    # (an audit event would show them to admins). Submitting the sheet records them.
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["score", "comment", "updated_at"])
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(items) - len(to_create) - len(to_update),
    }


@transaction.atomic
def submit_sheet(evaluation, *, user, membership, candidate) -> RatingSheet:
    """Make the caller's ratings of a candidate final: from now on they are scored,
    shown and audited. A sheet without a rating is refused."""
    require_status(evaluation, {S.COLLECTING}, "Submitting ratings")
    assignment = evaluator_for(evaluation, membership)
    if candidate.evaluation_id != evaluation.pk:
        raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
    rated = list(
        assignment.ratings.filter(candidate=candidate).select_related("question").order_by("pk")
    )
    if not rated:
        raise Conflict("You have not rated this candidate; rate at least one question first.")
    try:
        with transaction.atomic():
            sheet = RatingSheet.objects.create(candidate=candidate, evaluator=assignment)
    except IntegrityError:
        raise Conflict("You already submitted your sheet for this candidate.") from None
    changes = [
        Change(
            "rating.submitted",
            new={"evaluator": assignment.pk, "score": rating.score},
            candidate_id=candidate.pk,
            question_code=rating.question.code,
        )
        for rating in rated
    ]
    changes.append(
        Change("sheet.submitted", new={"evaluator": assignment.pk}, candidate_id=candidate.pk)
    )
    record(evaluation, user, changes)
    triggers.sheet_submitted(
        sheet,
        evaluation=evaluation,
        submitted_by=user,
        **sheet_progress(evaluation),
    )
    return sheet


def sheet_progress(evaluation) -> dict:
    """Sheets submitted so far, and expected: one per candidate from every evaluator
    not barred by a declared conflict."""
    candidates = evaluation.candidates.count()
    raters = evaluation.evaluators.exclude(barred_q()).count()
    submitted = RatingSheet.objects.filter(candidate__evaluation=evaluation).count()
    return {"sheets_submitted": submitted, "sheets_expected": candidates * raters}


def _require_lead(evaluation, membership):
    if membership is None or evaluation.lead_id != membership.pk:
        raise PermissionDenied("Only the evaluation's lead can do this.")


@retry_on_unique_race
def set_override(
    evaluation, *, user, membership, candidate, question_code: str, score: float, rationale: str
) -> Override:
    require_status(evaluation, {S.COLLECTING, S.SCORING}, "Overriding a score")
    _require_lead(evaluation, membership)
    if candidate.evaluation_id != evaluation.pk:
        raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
    question = pinned_questions(evaluation).filter(code=question_code).first()
    if question is None:
        raise ValidationError({"question": ["No question with this code in the pinned version."]})
    if is_blank(rationale):
        raise ValidationError({"rationale": ["An override needs a rationale."]})
    override = Override.objects.filter(candidate=candidate, question=question).first()
    old = {"score": override.score, "rationale": override.rationale} if override else None
    if override is None:
        override = Override(candidate=candidate, question=question)
    override.score, override.rationale = score, rationale
    override.set_by = stored_user(user)
    override.save()
    record(
        evaluation,
        user,
        [
            Change(
                "override.set",
                old=old,
                new={"score": score, "rationale": rationale},
                candidate_id=candidate.pk,
                question_code=question_code,
            )
        ],
    )
    return override


@transaction.atomic
def remove_override(override: Override, *, user, membership):
    evaluation = override.candidate.evaluation
    require_status(evaluation, {S.COLLECTING, S.SCORING}, "Removing an override")
    _require_lead(evaluation, membership)
    record(
        evaluation,
        user,
        [
            Change(
                "override.removed",
                old={"score": override.score, "rationale": override.rationale},
                candidate_id=override.candidate_id,
                question_code=override.question.code,
            )
        ],
    )
    override.delete()

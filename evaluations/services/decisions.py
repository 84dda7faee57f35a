"""Deciding an evaluation: an award (lot -> candidate) with the rationale rules.

A winner must have bid on its lot and have a latest scorecard there. A
rationale is required when a winner is disqualified in its lot, or when the
award is not the best one of the comparison (or none is feasible); both facts
go into the audit trail and the ``evaluation.decided`` event, so a reader can
see why a rationale was needed. Without lots the award is one lot, ``all``.
"""

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from config.text import is_blank
from evaluations.models import Evaluation, EvaluationStatus, Scorecard
from evaluations.services import ranks
from evaluations.services.audit import Change, record
from evaluations.services.awards import compute_awards, evaluation_lots
from evaluations.services.status import require_status
from integrations import events
from notifications import triggers


def _checked_award(evaluation: Evaluation, award: dict[str, int]) -> dict[str, int]:
    """The award in lot order; a 400 naming the lot for a missing or unknown lot or a
    winner that did not bid there."""
    lots = [lot.code for lot in evaluation_lots(evaluation)]
    unknown = sorted(set(award) - set(lots))
    if unknown:
        raise ValidationError({"award": [f"Unknown lot: {', '.join(unknown)}."]})
    missing = [code for code in lots if code not in award]
    if missing:
        raise ValidationError({"award": [f"Award every lot; missing: {', '.join(missing)}."]})
    bids = dict(evaluation.candidates.values_list("pk", "lots"))
    for code in lots:
        winner = award[code]
        if winner not in bids:
            raise ValidationError({"award": [f"Lot {code}: not a candidate of this evaluation."]})
        if evaluation.lots and code not in bids[winner]:
            raise ValidationError({"award": [f"Lot {code}: candidate {winner} did not bid on it."]})
    return {code: award[code] for code in lots}


def _rationale_reasons(evaluation: Evaluation, award: dict[str, int]) -> tuple[list[str], dict]:
    """Why this award needs a rationale (empty: it does not), and the best award."""
    cards = {
        (candidate_id, lot): disqualified
        for candidate_id, lot, disqualified in Scorecard.objects.filter(
            evaluation=evaluation, is_latest=True, lot__in=award
        ).values_list("candidate_id", "lot", "disqualified")
    }
    unscored = [code for code, winner in award.items() if (winner, code) not in cards]
    if unscored:
        raise Conflict(
            f"Score the evaluation first: no scorecard of the winner in lot {', '.join(unscored)}."
        )
    reasons = [
        f"The winner of lot {code} is disqualified there."
        for code, winner in award.items()
        if cards[(winner, code)]
    ]
    result = compute_awards(evaluation, k=1)
    best = result.awards[0].to_dict() if result.feasible else None
    if best is None:
        reasons.append("No award is feasible in the comparison.")
    elif best["assignments"] != award:
        reasons.append("This is not the best award of the comparison.")
    return reasons, best


@transaction.atomic
def decide(evaluation: Evaluation, *, user, award: dict[str, int], rationale: str) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_status(evaluation, {EvaluationStatus.SCORING}, "Deciding")
    award = _checked_award(evaluation, award)
    reasons, best = _rationale_reasons(evaluation, award)
    if reasons and is_blank(rationale):
        raise ValidationError(
            {"rationale": [f"{reason} Give the rationale." for reason in reasons]}
        )
    winners = set(award.values())
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.decision_award = award
    evaluation.decision_candidate_id = winners.pop() if len(winners) == 1 else None
    evaluation.decision_rationale = rationale
    evaluation.decided_at = timezone.now()
    evaluation.save()
    ranks.touch_evaluation_scorecards(evaluation.pk)  # their `decision` shows it
    record(
        evaluation,
        user,
        [
            Change("evaluation.status", old=EvaluationStatus.SCORING, new=EvaluationStatus.DECIDED),
            Change(
                "evaluation.decided",
                new={
                    "award": award,
                    "rationale": rationale,
                    "rationale_required": reasons,
                    "best_award": best["assignments"] if best else None,
                },
                candidate_id=evaluation.decision_candidate_id,
            ),
        ],
    )
    events.emit(
        evaluation.organization_id,
        events.EVALUATION_STATUS_CHANGED,
        events.evaluation_status_changed_data(evaluation, EvaluationStatus.SCORING),
    )
    events.emit(
        evaluation.organization_id,
        events.EVALUATION_DECIDED,
        events.evaluation_decided_data(evaluation),
    )
    triggers.decision_made(evaluation)
    return evaluation

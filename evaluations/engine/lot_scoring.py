"""Per-lot scorecards, docs/scoring.md v2 "Lots and bids", on top of the v1 engine.

Pure module (standard library only). A lot scorecard is v1's scorecard with
``required_service_models`` replaced by the lot's service models; section
weight overrides, exclusions, industry and aggregation are the evaluation's.
Each lot is ranked over its own bidders exactly as v1 ranks an evaluation.

    cards = score_lots(questionnaire, evaluation, lots, candidates, bids)
    cards["soc"]       # ranked Scorecards of the candidates bidding on lot "soc"
    bids = lot_bids(cards, questionnaire)  # LotBid inputs of awards.best_awards

Without lots (``lots`` None or empty) there is one implicit lot ``all`` with
the evaluation's required service models, on which every candidate bids, and
the result is v1's ``score_evaluation`` exactly (its NotScorable included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.scoring import (
    RED_FLAG_BELOW,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    Scorecard,
    applicable_plan,
    rank_scorecards,
    score_candidate,
)

IMPLICIT_LOT = "all"
HANDOFF_TAG = "handoff"


class LotNotScorable(NotScorable):
    """A lot has no applicable section, so its scorecards cannot be computed."""

    def __init__(self, lot: str) -> None:
        self.lot = lot
        super().__init__(
            f"Lot {lot} cannot be scored: no section is applicable in it. Every section "
            "has weight 0, or none of its questions applies to the lot's service models "
            "(or they are weight 0, excluded, or for another industry)."
        )


def lot_spec(evaluation: EvaluationSpec, service_models: Iterable[str]) -> EvaluationSpec:
    """The evaluation as seen from one lot: its service models replace the required ones."""
    return replace(evaluation, required_service_models=frozenset(service_models))


def _implicit(evaluation: EvaluationSpec) -> LotInput:
    return LotInput(IMPLICIT_LOT, 1, evaluation.required_service_models)


def score_lots(
    questionnaire: QuestionnaireSpec,
    evaluation: EvaluationSpec,
    lots: Sequence[LotInput] | None,
    candidates: Iterable[CandidateInput],
    bids: Mapping[int | str, Iterable[str]] | None = None,
) -> dict[str, list[Scorecard]]:
    """Ranked scorecards per lot code (in the order of ``lots``) over that lot's bidders.

    ``bids`` maps each candidate id to the non-empty set of lot codes it bids
    on; it is ignored without lots. Raises ``LotNotScorable`` (a
    ``NotScorable``) naming the first lot without an applicable section, and
    ``ValueError`` for duplicate ids or codes and bids on unknown lots."""
    candidates = list(candidates)
    ids = [candidate.id for candidate in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique within an evaluation")
    implicit = not lots
    if implicit:
        lots = [_implicit(evaluation)]
        bids = {candidate.id: {IMPLICIT_LOT} for candidate in candidates}
    codes = [lot.code for lot in lots]
    if len(set(codes)) != len(codes):
        raise ValueError("lot codes must be unique within an evaluation")
    bids = dict(bids or {})
    for candidate in candidates:
        chosen = bids.get(candidate.id)
        if not chosen:
            raise ValueError(f"candidate {candidate.id!r} bids on no lot")
        unknown = sorted(set(chosen) - set(codes))
        if unknown:
            raise ValueError(f"candidate {candidate.id!r} bids on unknown lots: {unknown}")
    result = {}
    for lot in lots:
        try:
            plan = applicable_plan(questionnaire, lot_spec(evaluation, lot.service_models))
        except NotScorable:
            if implicit:
                raise  # no lots: v1's refusal, word for word
            raise LotNotScorable(lot.code) from None
        bidders = [candidate for candidate in candidates if lot.code in bids[candidate.id]]
        result[lot.code] = rank_scorecards(score_candidate(plan, c) for c in bidders)
    return result


def handoff_weak(scorecard: Scorecard, questionnaire: QuestionnaireSpec) -> bool:
    """An applicable question tagged ``handoff`` is unanswered or has x < 0.5 in it."""
    tagged = {
        question.code
        for section in questionnaire.sections
        for question in section.questions
        if HANDOFF_TAG in question.tags
    }
    return any(
        result.code in tagged and (not result.answered or result.x < RED_FLAG_BELOW)
        for result in scorecard.questions
    )


def lot_bids(
    scorecards: Mapping[str, Sequence[Scorecard]], questionnaire: QuestionnaireSpec
) -> list[LotBid]:
    """The award inputs of lot scorecards: exact overall, disqualified, handoff_weak."""
    return [
        LotBid(
            card.candidate_id,
            card.name,
            lot,
            card.overall_exact,
            card.disqualified,
            handoff_weak(card, questionnaire),
        )
        for lot, cards in scorecards.items()
        for card in cards
    ]

"""The awards of an evaluation: its latest lot scorecards and proposals, given to the
pure award engine (``evaluations.engine.awards``).

Reads four queries whatever the number of candidates: the lot scorecards (their
explanations, for the exact overalls and the hand-off questions), the
questions tagged ``handoff``, the proposals, and nothing else. Without lots the
one implicit lot ``all`` carries the evaluation's required service models, so a
v1 evaluation's best award is its first-ranked qualified candidate.
"""

from dataclasses import dataclass
from decimal import Decimal

from evaluations.engine.award_types import AwardsResult, LotBid, LotInput
from evaluations.engine.awards import best_awards
from evaluations.engine.lot_scoring import HANDOFF_TAG, IMPLICIT_LOT
from evaluations.engine.pricing import ProposalInput, UnitPrice, money, monthly_total, tco
from evaluations.engine.scorecard_details import exact_overall, question_rows
from evaluations.engine.scoring import RED_FLAG_BELOW
from evaluations.models import Evaluation, Proposal, Scorecard
from evaluations.services.packs import pinned_questions
from evaluations.services.scoring import lot_inputs

DEFAULT_K = 5


@dataclass(frozen=True)
class AwardInputs:
    lots: list[LotInput]
    bids: list[LotBid]
    proposals: list[ProposalInput]


def evaluation_lots(evaluation: Evaluation) -> list[LotInput]:
    """The lots awards are made over: the evaluation's, or the implicit `all`."""
    return lot_inputs(evaluation) or [
        LotInput(IMPLICIT_LOT, 1, frozenset(evaluation.required_service_models))
    ]


def _handoff_codes(evaluation: Evaluation) -> set[str]:
    rows = pinned_questions(evaluation).values_list("code", "tags")
    return {code for code, tags in rows if HANDOFF_TAG in (tags or [])}


def load_award_inputs(evaluation: Evaluation, scorecards=None) -> AwardInputs:
    """``scorecards``: the evaluation's latest scorecards with their providers, in
    the model's order, when the caller has them already (a report): not read again."""
    lots = evaluation_lots(evaluation)
    codes = {lot.code for lot in lots}
    handoff = _handoff_codes(evaluation)
    bids = []
    if scorecards is None:
        cards = (
            (candidate_id, name, lot, disqualified, details, question_rows(details))
            for candidate_id, name, lot, disqualified, details in Scorecard.objects.filter(
                evaluation=evaluation, is_latest=True, lot__in=codes
            ).values_list(
                "candidate_id", "candidate__provider__name", "lot", "disqualified", "details"
            )
        )
    else:
        cards = (
            (
                card.candidate_id,
                card.candidate.provider.name,
                card.lot,
                card.disqualified,
                card.details,
                card.question_results,
            )
            for card in scorecards
            if card.lot in codes
        )
    for candidate_id, name, lot, disqualified, details, results in cards:
        weak = any(
            row["code"] in handoff and (not row["answered"] or row["x"] < RED_FLAG_BELOW)
            for row in results
        )
        bids.append(LotBid(candidate_id, name, lot, exact_overall(details), disqualified, weak))
    proposals = [
        proposal_input(row)
        for row in Proposal.objects.filter(candidate__evaluation=evaluation).order_by("pk")
    ]
    return AwardInputs(lots, bids, proposals)


def proposal_input(row: Proposal) -> ProposalInput:
    """A stored proposal as the pricing engine reads it."""
    return ProposalInput(
        id=row.pk,
        candidate_id=row.candidate_id,
        lots=frozenset(row.lots),
        one_time=row.one_time,
        monthly=row.monthly,
        unit_prices=tuple(
            UnitPrice(price["unit"], Decimal(str(price["monthly_price"])))
            for price in row.unit_prices
        ),
        annual_increase_pct=row.annual_increase_pct,
    )


def proposal_costs(row: Proposal, evaluation: Evaluation) -> dict[str, str | None]:
    """The proposal's monthly total and TCO over the evaluation's horizon, exact and
    rounded half-even to cents only here; None where its units are no longer all
    in the evaluation's quantities."""
    proposal = proposal_input(row)
    try:
        monthly = monthly_total(proposal, evaluation.quantities)
        total = tco(proposal, evaluation.quantities, evaluation.horizon_months)
    except ValueError:
        return {"monthly_total": None, "tco": None}
    return {"monthly_total": str(money(monthly)), "tco": str(money(total))}


def compute_awards(evaluation: Evaluation, *, k: int = DEFAULT_K, scorecards=None) -> AwardsResult:
    """The best ``k`` awards of the evaluation's latest scorecards, exactly (v2)."""
    inputs = load_award_inputs(evaluation, scorecards)
    return best_awards(
        inputs.lots,
        inputs.bids,
        inputs.proposals,
        quantities=evaluation.quantities,
        horizon_months=evaluation.horizon_months,
        price_weight=evaluation.price_weight,
        k=k,
    )

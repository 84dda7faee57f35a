"""What each winner of a decided award commits to: pure (no Django, no ORM).

One commitment per winning candidate: the lots it won (in the award's lot
order) and the proposals that pay for exactly those lots, chosen as the award
engine prices them: the cheapest cover by TCO over the evaluation's horizon
(``pricing.cheapest_cover``: ties to fewer proposals, then lower ids). The
committed one-time fee is the sum of their one-time prices; the monthly fee the
sum of their monthly totals (base monthly plus unit prices times the
evaluation's quantities), exact Decimals. Without a covering proposal (an
unpriced evaluation) both fees are None and no proposal is named.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from evaluations.engine.pricing import ProposalInput, cheapest_cover, money, monthly_total, tco


@dataclass(frozen=True)
class Commitment:
    candidate_id: int
    lots: tuple[str, ...]
    proposal_ids: tuple[int, ...]
    one_time_fee: Decimal | None
    monthly_fee: Decimal | None


def commitments(
    award: Mapping[str, int],
    proposals: Iterable[ProposalInput],
    quantities: Mapping[str, int],
    horizon_months: int,
) -> list[Commitment]:
    """The commitments of ``award`` (lot code -> candidate id), in first-won-lot order."""
    proposals = list(proposals)
    won: dict[int, list[str]] = {}
    for lot, candidate_id in award.items():
        won.setdefault(candidate_id, []).append(lot)
    result = []
    for candidate_id, lots in won.items():
        own = [proposal for proposal in proposals if proposal.candidate_id == candidate_id]
        costs = {proposal.id: tco(proposal, quantities, horizon_months) for proposal in own}
        cover = cheapest_cover(own, frozenset(lots), costs) if own else None
        if cover is None:
            result.append(Commitment(candidate_id, tuple(lots), (), None, None))
            continue
        chosen = [proposal for proposal in own if proposal.id in cover.proposal_ids]
        result.append(
            Commitment(
                candidate_id,
                tuple(lots),
                cover.proposal_ids,
                sum((proposal.one_time for proposal in chosen), Decimal("0.00")),
                money(sum(monthly_total(proposal, quantities) for proposal in chosen)),
            )
        )
    return result

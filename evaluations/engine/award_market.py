"""The award problem as validated plain data, and the rules that turn a choice into an Award.

Pure module (standard library only). ``prepare_market`` checks the inputs of
``awards.best_awards`` and ``awards_bruteforce.enumerate_awards`` once and
prices every proposal; ``make_award`` applies docs/scoring.md v2's Q, C, P, V and
``handoff_risk`` to one assignment, and ``order_key`` is the award order
(exact V descending, fewer providers, lower C, winner names then candidate ids
in lot-code order), both shared by the fast search and the brute force.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from evaluations.engine.award_types import (
    HANDOFF_RISK,
    MSSP,
    VCISO,
    Award,
    LotBid,
    LotInput,
    Winner,
    exact,
)
from evaluations.engine.pricing import ProposalInput, tco


@dataclass(frozen=True, slots=True)
class Market:
    lots: tuple[LotInput, ...]  # by code, ascending (code point)
    weights: Mapping[str, Fraction]  # lot code -> w_L
    total_weight: Fraction
    bids: Mapping[int, Mapping[str, LotBid]]  # candidate id -> lot code -> bid
    names: Mapping[int, str]
    proposals: Mapping[int, tuple[ProposalInput, ...]]  # candidate id -> its proposals
    costs: Mapping[int, Fraction]  # proposal id -> exact TCO
    price_weight: Fraction  # as given
    vciso_lot: str | None
    mssp_lot: str | None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lot.code for lot in self.lots)

    @property
    def priced(self) -> bool:
        return bool(self.costs)

    @property
    def effective_price_weight(self) -> Fraction:
        """p as used in V: an unpriced evaluation scores with p = 0."""
        return self.price_weight if self.priced else Fraction(0)

    def qualified_lots(self, candidate_id: int) -> frozenset[str]:
        return frozenset(
            code for code, bid in self.bids[candidate_id].items() if not bid.disqualified
        )

    def quality(self, candidate_id: int, lots: Iterable[str]) -> Fraction:
        """The candidate's share of Q for winning ``lots``: sum w_L * overall / sum w."""
        bids = self.bids[candidate_id]
        return (
            sum(
                (self.weights[code] * exact(bids[code].overall, "overall") for code in lots),
                Fraction(0),
            )
            / self.total_weight
        )


def _holder(lots: Iterable[LotInput], model: str) -> str | None:
    holders = [lot.code for lot in lots if model in lot.service_models]
    if len(holders) > 1:
        raise ValueError(f"service model {model} is in more than one lot: {', '.join(holders)}")
    return holders[0] if holders else None


def prepare_market(
    lots: Iterable[LotInput],
    bids: Iterable[LotBid],
    proposals: Iterable[ProposalInput],
    *,
    quantities: Mapping[str, int],
    horizon_months: int,
    price_weight: Any,
) -> Market:
    """Validate the award inputs (``ValueError`` naming what is wrong) and price proposals."""
    lots = list(lots)
    if not lots or not all(isinstance(lot, LotInput) for lot in lots):
        raise ValueError("an award needs at least one lot, given as LotInput values")
    lots.sort(key=lambda lot: lot.code)
    codes = [lot.code for lot in lots]
    if len(set(codes)) != len(codes):
        raise ValueError("lot codes must be unique within an evaluation")
    for model in {model for lot in lots for model in lot.service_models}:
        _holder(lots, model)
    weight = exact(price_weight, "price_weight")
    if not 0 <= weight < 1:
        raise ValueError(f"price_weight must be in [0, 1), got {price_weight!r}")

    by_candidate: dict[int, dict[str, LotBid]] = {}
    names: dict[int, str] = {}
    for bid in bids:
        if not isinstance(bid, LotBid):
            raise ValueError(f"bids must be LotBid values, got {bid!r}")
        if bid.lot not in codes:
            raise ValueError(f"candidate {bid.candidate_id} bids on unknown lot {bid.lot!r}")
        lots_of = by_candidate.setdefault(bid.candidate_id, {})
        if bid.lot in lots_of:
            raise ValueError(f"candidate {bid.candidate_id} bids twice on lot {bid.lot}")
        if names.setdefault(bid.candidate_id, bid.name) != bid.name:
            raise ValueError(f"candidate {bid.candidate_id} has two names")
        lots_of[bid.lot] = bid

    grouped: dict[int, list[ProposalInput]] = {}
    costs: dict[int, Fraction] = {}
    for proposal in proposals:
        if not isinstance(proposal, ProposalInput):
            raise ValueError(f"proposals must be ProposalInput values, got {proposal!r}")
        if proposal.id in costs:
            raise ValueError(f"proposal id {proposal.id} is given twice")
        bid_lots = by_candidate.get(proposal.candidate_id, {})
        outside = sorted(proposal.lots - bid_lots.keys())
        if outside:
            raise ValueError(
                f"proposal {proposal.id} covers lots candidate {proposal.candidate_id} "
                f"did not bid on: {', '.join(outside)}"
            )
        costs[proposal.id] = tco(proposal, quantities, horizon_months)
        grouped.setdefault(proposal.candidate_id, []).append(proposal)
    return Market(
        lots=tuple(lots),
        weights={lot.code: lot.weight for lot in lots},
        total_weight=sum((lot.weight for lot in lots), Fraction(0)),
        bids=by_candidate,
        names=names,
        proposals={cid: tuple(sorted(ps, key=lambda p: p.id)) for cid, ps in grouped.items()},
        costs=costs,
        price_weight=weight,
        vciso_lot=_holder(lots, VCISO),
        mssp_lot=_holder(lots, MSSP),
    )


def price_score(cost: Fraction, min_cost: Fraction) -> Fraction:
    """P = min C / C; where min C is 0: 1 for an award costing 0, else 0."""
    if min_cost == 0:
        return Fraction(1 if cost == 0 else 0)
    return min_cost / cost


def value(quality: Fraction, score: Fraction | None, price_weight: Fraction) -> Fraction:
    """V = (1 - p) Q + 100 p P (Q alone when unpriced)."""
    if score is None:
        return quality
    return (1 - price_weight) * quality + 100 * price_weight * score


@dataclass(frozen=True, slots=True)
class Part:
    """One winner's share of an award: the lots it wins and the cover paying for them."""

    candidate_id: int
    lots: frozenset[str]
    proposal_ids: tuple[int, ...]
    cost: Fraction


def make_award(market: Market, parts: Iterable[Part], min_cost: Fraction | None) -> Award:
    """The Award of one assignment (``min_cost`` over all feasible awards; None unpriced)."""
    parts = sorted(parts, key=lambda part: min(part.lots))
    assignments = {
        code: part.candidate_id for code in market.codes for part in parts if code in part.lots
    }
    quality = sum((market.quality(p.candidate_id, p.lots) for p in parts), Fraction(0))
    cost = score = None
    if market.priced:
        cost = sum((part.cost for part in parts), Fraction(0))
        score = price_score(cost, min_cost)
    flags = ()
    vciso, mssp = market.vciso_lot, market.mssp_lot
    if vciso is not None and mssp is not None and vciso != mssp:
        winners = (assignments[vciso], assignments[mssp])
        if winners[0] != winners[1] and (
            market.bids[winners[0]][vciso].handoff_weak
            or market.bids[winners[1]][mssp].handoff_weak
        ):
            flags = (HANDOFF_RISK,)
    return Award(
        assignments=assignments,
        winners=tuple(
            Winner(
                p.candidate_id, market.names[p.candidate_id], tuple(sorted(p.lots)), p.proposal_ids
            )
            for p in parts
        ),
        quality=quality,
        cost=cost,
        price_score=score,
        value=value(quality, score, market.effective_price_weight),
        flags=flags,
    )


def order_key(award: Award) -> tuple[Any, ...]:
    """Ascending is better: V desc, fewer providers, lower C, names, then ids."""
    names = {winner.candidate_id: winner.name for winner in award.winners}
    ids = tuple(award.assignments.values())  # in lot-code order
    return (
        -award.value,
        award.provider_count,
        award.cost if award.cost is not None else 0,
        tuple(names[cid] for cid in ids),
        ids,
    )

"""Reference enumeration of every feasible award, for tests and the benchmark.

Pure module (standard library only). It tries every assignment of each lot to
one of its qualified bidders, prices each winner's lots with
``pricing.cheapest_cover`` and sorts by ``award_market.order_key``: slow
(the product of the bidder counts), obviously right, and the standard the fast
search in ``awards`` must equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from itertools import product
from typing import Any

from evaluations.engine.award_market import Part, make_award, order_key, prepare_market
from evaluations.engine.award_types import Award, LotBid, LotInput
from evaluations.engine.pricing import ProposalInput, cheapest_cover


def enumerate_awards(
    lots: Iterable[LotInput],
    bids: Iterable[LotBid],
    proposals: Iterable[ProposalInput] = (),
    *,
    quantities: Mapping[str, int] | None = None,
    horizon_months: int = 36,
    price_weight: Any = 0,
) -> list[Award]:
    """Every feasible award, exact, in the v2 order (best first)."""
    market = prepare_market(
        lots,
        bids,
        proposals,
        quantities=quantities or {},
        horizon_months=horizon_months,
        price_weight=price_weight,
    )
    codes = market.codes
    bidders = [
        sorted(
            cid for cid, bids in market.bids.items() if code in bids and not bids[code].disqualified
        )
        for code in codes
    ]
    covers: dict[tuple[int, frozenset[str]], Any] = {}
    choices: list[list[Part]] = []
    for winners in product(*bidders):
        lots_of: dict[int, set[str]] = {}
        for code, winner in zip(codes, winners, strict=True):
            lots_of.setdefault(winner, set()).add(code)
        parts = []
        for winner, won in lots_of.items():
            won = frozenset(won)
            if not market.priced:
                parts.append(Part(winner, won, (), Fraction(0)))
                continue
            key = (winner, won)
            if key not in covers:
                covers[key] = cheapest_cover(market.proposals.get(winner, ()), won, market.costs)
            if covers[key] is None:
                break
            parts.append(Part(winner, won, covers[key].proposal_ids, covers[key].cost))
        else:
            choices.append(parts)
    if not choices:
        return []
    min_cost = None
    if market.priced:
        min_cost = min(sum((part.cost for part in parts), Fraction(0)) for parts in choices)
    return sorted((make_award(market, parts, min_cost) for parts in choices), key=order_key)

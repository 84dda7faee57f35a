"""The best awards of an evaluation with lots, docs/scoring.md v2 "Awards", exactly.

Pure module (standard library only). Plain data in, plain data out:

    result = best_awards(lots, bids, proposals, quantities={"user": 40},
                         horizon_months=36, price_weight=Fraction(3, 10), k=5)
    result.awards[0]          # the best award; result.to_dict() for output

TCOs are computed here from the proposals (``pricing.tco``), never passed in.
The search is ``award_search.AwardSearch``; ``awards_bruteforce.enumerate_awards``
is the reference it must equal. Choices where docs/scoring.md is silent:

- ``not_awardable`` lists every bidder that cannot win any lot, with one reason:
  "no proposal" (priced evaluation, the spec's case), else "disqualified in
  every lot it bid on", else (priced) "its proposals cover no set of lots it is
  qualified for". It is still scored and ranked in its lots.
- ``efficient``: the awards on the exact (Q, C) frontier (no feasible award has
  Q >= and C <= with one strict), cost ascending, one per point (its best award
  in the v2 order); at most ``MAX_EFFICIENT``, evenly spread over the frontier
  including both ends (``efficient_total`` is the frontier's size). Empty when
  unpriced (there is no cost axis).
- Tipping points: V of every award is a line in p, and the best award at any
  p' in (0, 1) lies on the upper envelope of those lines, whose lines are all on
  the (Q, C) frontier. ``increase`` is the first p* > p where the best award
  changes (a vertex of that envelope), with the award that is best just past
  it; ``decrease`` the last p* in (0, p), with the award best just below it.
  Where the best award at p wins only by a tie-break at exactly p and another
  is best just above p, the best award changes at p itself, which the spec
  does not report; ``increase`` is then the next change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from evaluations.engine.award_market import Market, make_award, prepare_market, price_score
from evaluations.engine.award_search import AwardSearch, Found
from evaluations.engine.award_types import (
    AwardsResult,
    LotBid,
    LotInput,
    Problem,
    TippingPoint,
)
from evaluations.engine.pricing import ProposalInput

MAX_EFFICIENT = 50
DEFAULT_K = 5


def _lot_problems(market: Market, search: AwardSearch) -> list[Problem]:
    """Why no award is feasible: lots nobody qualified bid on, else lots or
    combinations the proposals cannot cover."""
    problems = []
    for code in market.codes:
        bids = [bids[code] for bids in market.bids.values() if code in bids]
        if not bids:
            problems.append(Problem(f"no candidate bid on lot {code}", lot=code))
        elif all(bid.disqualified for bid in bids):
            problems.append(Problem(f"every bidder on lot {code} is disqualified in it", code))
    if problems:
        return problems
    for code in market.codes:
        if not any(code in block for block in search.blocks):
            problems.append(
                Problem(
                    f"no qualified bidder on lot {code} has proposals covering it (alone, "
                    "or in a bundle of lots it is qualified for)",
                    lot=code,
                )
            )
    return problems or [
        Problem(
            "no combination of proposals covers every lot exactly once: the bundles "
            "offered overlap or leave a lot out"
        )
    ]


def _candidate_problems(market: Market, search: AwardSearch) -> list[Problem]:
    can_win = {entry.candidate_id for entries in search.blocks.values() for entry in entries}
    problems = []
    for candidate_id in sorted(market.bids):
        if market.priced and candidate_id not in market.proposals:
            reason = "no proposal"
        elif not market.qualified_lots(candidate_id):
            reason = "disqualified in every lot it bid on"
        elif candidate_id not in can_win:
            reason = "its proposals cover no set of lots it is qualified for"
        else:
            continue
        problems.append(Problem(reason, candidate_id=candidate_id))
    return problems


def envelope_breaks(lines: Iterable[tuple[Fraction, Fraction]]) -> list[Fraction]:
    """The p in (0, 1) where the top of the lines V = b + s * p changes, ascending.

    Walks the upper envelope from p = 0: the next vertex is the nearest crossing
    with a steeper line (the steepest of those crossing there goes on top)."""
    lines = set(lines)
    intercept, slope = max(lines)
    at, breaks = Fraction(0), []
    while True:
        crossings = [((intercept - b) / (s - slope), -s, b) for b, s in lines if s > slope]
        if not crossings:
            return breaks
        at, steepest, intercept = min(crossings)
        if at >= 1:
            return breaks
        slope = -steepest
        breaks.append(at)


def _lines(search: AwardSearch, frontier: list[Found], min_cost: Fraction):
    for found in frontier:
        quality = Fraction(found.q, search.quality_scale)
        score = price_score(Fraction(found.c, search.cost_scale), min_cost)
        yield quality, 100 * score - quality


def _tipping(
    search: AwardSearch, frontier: list[Found], min_scaled: int, min_cost: Fraction, p: Fraction
) -> tuple[TippingPoint | None, TippingPoint | None]:
    breaks = [Fraction(0), *envelope_breaks(_lines(search, frontier, min_cost)), Fraction(1)]

    def point(at: Fraction, probe: Fraction) -> TippingPoint:
        ((_, found),) = search.best(probe, 1, min_scaled)
        return TippingPoint(at, make_award(search.market, found.parts, min_cost))

    above = [i for i in range(1, len(breaks) - 1) if breaks[i] > p]
    below = [i for i in range(1, len(breaks) - 1) if breaks[i] < p]
    increase = decrease = None
    if above:
        i = above[0]
        increase = point(breaks[i], (breaks[i] + breaks[i + 1]) / 2)
    if below:
        i = below[-1]
        decrease = point(breaks[i], (breaks[i - 1] + breaks[i]) / 2)
    return increase, decrease


def _spread(items: list[Any], limit: int) -> list[Any]:
    if len(items) <= limit:
        return items
    return [items[i * (len(items) - 1) // (limit - 1)] for i in range(limit)]


def best_awards(
    lots: Iterable[LotInput],
    bids: Iterable[LotBid],
    proposals: Iterable[ProposalInput] = (),
    *,
    quantities: Mapping[str, int] | None = None,
    horizon_months: int = 36,
    price_weight: Any = 0,
    k: int = DEFAULT_K,
) -> AwardsResult:
    """The best ``k`` awards in the v2 order, with the frontier and tipping points.

    ``price_weight`` may be a Fraction, Decimal, float or int in [0, 1) (taken
    exactly). Raises ``ValueError`` naming the bad input."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    market = prepare_market(
        lots,
        bids,
        proposals,
        quantities=quantities or {},
        horizon_months=horizon_months,
        price_weight=price_weight,
    )
    search = AwardSearch(market)
    not_awardable = tuple(_candidate_problems(market, search))
    min_scaled = search.min_cost()
    if min_scaled is None:
        return AwardsResult(
            market.priced,
            market.price_weight,
            (),
            infeasible=tuple(_lot_problems(market, search)),
            not_awardable=not_awardable,
        )
    p = market.effective_price_weight
    min_cost = Fraction(min_scaled, search.cost_scale) if market.priced else None
    awards = tuple(
        make_award(market, found.parts, min_cost) for _, found in search.best(p, k, min_scaled)
    )
    if not market.priced:
        return AwardsResult(False, market.price_weight, awards, not_awardable=not_awardable)
    frontier = search.frontier()
    increase, decrease = _tipping(search, frontier, min_scaled, min_cost, p)
    return AwardsResult(
        True,
        market.price_weight,
        awards,
        not_awardable=not_awardable,
        min_cost=min_cost,
        efficient=tuple(
            make_award(market, found.parts, min_cost) for found in _spread(frontier, MAX_EFFICIENT)
        ),
        efficient_total=len(frontier),
        increase=increase,
        decrease=decrease,
    )

"""Award benchmark: the exact best awards of docs/scoring.md v2 against brute force.

    .venv/bin/python -m benchmarks.awards [--candidates 50 --runs 7 --brute 16 --seed 1]

Pure engine, no database. Builds a seeded random evaluation with 4 lots in
which every candidate bids on some lots and prices them with single-lot
proposals and 2-lot and 3-lot bundles, then times, in one run:
- the fast method (``best_awards``: best 5, frontier, tipping points) on N
  candidates, repeated (median and spread), and on 2N and 4N;
- brute-force enumeration of every award on a smaller instance, whose best 5
  and frontier the fast method must equal (asserted);
- peak memory of one fast run at N (tracemalloc, in an untimed run).
"""

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from fractions import Fraction

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.awards import best_awards
from evaluations.engine.awards_bruteforce import enumerate_awards
from evaluations.engine.pricing import ProposalInput, UnitPrice

LOTS = (("msp", "msp", 3), ("soc", "mssp", 3), ("vciso", "vciso", 1), ("vcio", "vcio", 1))
OPTIONS = {"quantities": {"user": 120, "device": 150}, "horizon_months": 36}
PRICE_WEIGHT = Fraction(3, 10)


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def build_instance(candidates: int, seed: int = 1):
    """(lots, bids, proposals) for ``candidates`` bidders on the 4 lots, seeded."""
    rng = random.Random(seed)
    lots = [LotInput(code, weight, {model}) for code, model, weight in LOTS]
    codes = [lot.code for lot in lots]
    bids, proposals = [], []
    for cid in range(1, candidates + 1):
        mine = sorted(rng.sample(codes, rng.choice([1, 2, 3, 4, 4])))
        name = f"Provider {rng.randrange(10**6):06}"
        for code in mine:
            bids.append(
                LotBid(
                    cid,
                    name,
                    code,
                    rng.uniform(40, 100),
                    disqualified=rng.random() < 0.05,
                    handoff_weak=rng.random() < 0.3,
                )
            )
        offers = [{code} for code in mine if rng.random() < 0.9]
        for size, chance in ((2, 0.5), (3, 0.3)):
            if len(mine) >= size and rng.random() < chance:
                offers.append(set(rng.sample(mine, size)))
        for lots_offered in offers:
            proposals.append(
                ProposalInput(
                    len(proposals) + 1,
                    cid,
                    frozenset(lots_offered),
                    one_time=_price(rng, 0, 5000),
                    monthly=_price(rng, 200, 3000) * len(lots_offered),
                    unit_prices=(
                        UnitPrice("user", _price(rng, 0, 30)),
                        UnitPrice("device", _price(rng, 0, 10)),
                    ),
                    annual_increase_pct=Decimal(rng.choice([0, 2, 3, 5])),
                )
            )
    return lots, bids, proposals


def solve(instance, k: int = 5):
    return best_awards(*instance, **OPTIONS, price_weight=PRICE_WEIGHT, k=k)


def check_against_brute_force(instance) -> int:
    """Assert the fast method equals brute force (best 5, frontier, cheapest);
    return the number of feasible awards enumerated."""
    fast = solve(instance)
    every = enumerate_awards(*instance, **OPTIONS, price_weight=PRICE_WEIGHT)
    assert list(fast.awards) == every[:5], "best 5 differ from brute force"
    assert fast.min_cost == min(award.cost for award in every)
    points = {}
    for award in every:
        points.setdefault((award.quality, award.cost), award)
    frontier = [
        points[(q, c)]
        for q, c in sorted(points, key=lambda point: (point[1], point[0]))
        if not any(q2 >= q and c2 <= c and (q2, c2) != (q, c) for q2, c2 in points)
    ]
    assert fast.efficient_total == len(frontier), "frontier size differs from brute force"
    if len(frontier) <= len(fast.efficient):
        assert list(fast.efficient) == frontier, "frontier differs from brute force"
    return len(every)


def _timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--brute", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    rows = []
    for size in (args.candidates, 2 * args.candidates, 4 * args.candidates):
        instance = build_instance(size, args.seed)
        solve(instance)  # warm up
        times = _timed(lambda instance=instance: solve(instance), args.runs)
        result = solve(instance)
        rows.append((size, len(instance[2]), times, result))

    small = build_instance(args.brute, args.seed)
    start = time.perf_counter()
    awards = check_against_brute_force(small)
    brute_check = time.perf_counter() - start
    brute = _timed(lambda: enumerate_awards(*small, **OPTIONS, price_weight=PRICE_WEIGHT), 1)[0]
    fast_small = statistics.median(_timed(lambda: solve(small), args.runs))

    tracemalloc.start()
    solve(build_instance(args.candidates, args.seed))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    print(
        f"4 lots, price weight {PRICE_WEIGHT}, best 5 with frontier and tipping points, "
        f"seed {args.seed}"
    )
    print(
        f"{'candidates':>10} {'proposals':>9} {'median ms':>10} {'min ms':>8} {'max ms':>8} "
        f"{'frontier':>8}  best award"
    )
    for size, proposals, times, result in rows:
        best = result.awards[0].to_dict()
        print(
            f"{size:>10} {proposals:>9} {statistics.median(times) * 1000:>10.1f} "
            f"{min(times) * 1000:>8.1f} {max(times) * 1000:>8.1f} {result.efficient_total:>8}  "
            f"V {best['value']} Q {best['quality']} C {best['cost']}"
        )
    print(
        f"brute force, {args.brute} candidates: {awards} feasible awards enumerated in "
        f"{brute * 1000:.0f} ms; fast method {fast_small * 1000:.1f} ms; equal (asserted, "
        f"check took {brute_check * 1000:.0f} ms)"
    )
    print(f"peak memory of one fast run at {args.candidates} candidates: {peak / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

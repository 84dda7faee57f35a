"""Exact search over awards: per-block tables, the cheapest award, the best k, the frontier.

Pure module (standard library only). An award is a set partition of the lots
into blocks, each block won by a different candidate (a candidate winning two
blocks is the award whose partition merges them). For every block, the
``Entry`` of each candidate that can win exactly that block (qualified in all
its lots and, when priced, with a cover) carries its exact share of Q and its
cost as integers over common denominators, so the search adds and compares
plain ints and stays exact.

Two facts make the search small:
- Dominance. ``d`` dominates ``e`` in a block when q_d >= q_e, c_d <= c_e and
  (q, -c, name, id) ranks d first. Swapping e for an unused d gives a strictly
  better award in the v2 order at every price weight (V is increasing in Q and
  in P, provider count unchanged, C lower or equal, and the names and ids of
  that block come first). With m blocks at most m - 1 dominators are used
  elsewhere, so an entry with m - 1 + k dominators is never in the best k, and
  one with m dominators never represents a frontier point.
- Bounds. Q of the blocks still open is at most the sum of their best shares
  and C at least the sum of their cheapest; V rises with Q and falls with C,
  so a branch whose bound is below the k-th best V found is cut (a strictly
  lower bound only: equal V may still win a tie-break).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import combinations

from evaluations.engine.award_market import Market, Part
from evaluations.engine.pricing import cheapest_covers


@dataclass(frozen=True, slots=True)
class Entry:
    candidate_id: int
    name: str
    part: Part
    q: int  # share of Q times quality_scale
    c: int  # cost times cost_scale (0 when unpriced)
    dominators: int = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """One partition, ready to search: per block its entries (best share first),
    the bounds of the blocks from i on, and which block holds each lot."""

    lists: tuple[tuple[Entry, ...], ...]
    max_q: tuple[int, ...]  # max_q[i] = sum of the best shares of blocks i..m-1
    min_c: tuple[int, ...]
    block_of: tuple[int, ...]  # lot index (code order) -> block index


@dataclass(frozen=True, slots=True)
class Found:
    """An award found by the search: its entries in block order and exact Q and C as ints."""

    entries: tuple[Entry, ...]
    q: int
    c: int

    @property
    def parts(self) -> list[Part]:
        return [entry.part for entry in self.entries]


def set_partitions(items: Sequence[str]) -> Iterator[tuple[frozenset[str], ...]]:
    """Every partition of ``items`` into blocks; the first block holds items[0]."""
    if not items:
        yield ()
        return
    first, rest = items[0], items[1:]
    for size in range(len(rest) + 1):
        for others in combinations(rest, size):
            remaining = [item for item in rest if item not in others]
            for tail in set_partitions(remaining):
                yield (frozenset((first, *others)), *tail)


def _with_dominators(entries: list[Entry]) -> tuple[Entry, ...]:
    # Sorted by (-q, c, name, id), every dominator of an entry comes before it,
    # and an earlier entry dominates it exactly when it costs no more.
    entries = sorted(entries, key=lambda e: (-e.q, e.c, e.name, e.candidate_id))
    costs: list[int] = []
    counted = []
    for entry in entries:
        counted.append(replace(entry, dominators=bisect.bisect_right(costs, entry.c)))
        bisect.insort(costs, entry.c)
    return tuple(counted)


class AwardSearch:
    def __init__(self, market: Market) -> None:
        self.market = market
        codes = market.codes
        raw: list[tuple[frozenset[str], Fraction, Part]] = []
        for candidate_id in sorted(market.bids):
            qualified = sorted(market.qualified_lots(candidate_id))
            covers = {}
            if market.priced:
                covers = cheapest_covers(market.proposals.get(candidate_id, ()), market.costs)
            for size in range(1, len(qualified) + 1):
                for combo in combinations(qualified, size):
                    block = frozenset(combo)
                    if market.priced:
                        cover = covers.get(block)
                        if cover is None:
                            continue
                        part = Part(candidate_id, block, cover.proposal_ids, cover.cost)
                    else:
                        part = Part(candidate_id, block, (), Fraction(0))
                    raw.append((block, market.quality(candidate_id, block), part))
        self.quality_scale = math.lcm(1, *(quality.denominator for _, quality, _ in raw))
        self.cost_scale = math.lcm(1, *(part.cost.denominator for _, _, part in raw))
        grouped: dict[frozenset[str], list[Entry]] = {}
        for block, quality, part in raw:
            entry = Entry(
                part.candidate_id,
                market.names[part.candidate_id],
                part,
                int(quality * self.quality_scale),
                int(part.cost * self.cost_scale),
            )
            grouped.setdefault(block, []).append(entry)
        self.blocks = {block: _with_dominators(entries) for block, entries in grouped.items()}
        self.partitions = [
            partition
            for partition in set_partitions(codes)
            if all(block in self.blocks for block in partition)
        ]
        self._layouts: dict[int, list[Layout]] = {}

    # ------------------------------------------------------------ cheapest award

    def min_cost(self) -> int | None:
        """The least C (scaled) over all awards, or None when no award is feasible.

        Dynamic programming over lot subsets; a candidate may take two blocks
        here, which costs no less than its cover of their union, so the minimum
        is that of real awards."""
        bit = {code: 1 << index for index, code in enumerate(self.market.codes)}
        by_lowest: dict[int, list[tuple[int, int]]] = {}
        for block, entries in self.blocks.items():
            mask = sum(bit[code] for code in block)
            by_lowest.setdefault(mask & -mask, []).append((mask, min(e.c for e in entries)))
        best = {0: 0}
        for mask in range(1, 1 << len(bit)):
            options = [
                cost + best[mask & ~block]
                for block, cost in by_lowest.get(mask & -mask, ())
                if block & ~mask == 0 and (mask & ~block) in best
            ]
            if options:
                best[mask] = min(options)
        return best.get((1 << len(bit)) - 1)

    # ------------------------------------------------------------ layouts

    def layouts(self, extra: int) -> list[Layout]:
        """Partitions with entries having fewer than ``m + extra`` dominators."""
        if extra not in self._layouts:
            layouts = []
            codes = self.market.codes
            for partition in self.partitions:
                limit = len(partition) + extra
                lists = tuple(
                    tuple(e for e in self.blocks[block] if e.dominators < limit)
                    for block in partition
                )
                max_q, min_c = [0], [0]
                for entries in reversed(lists):
                    max_q.append(max_q[-1] + entries[0].q)
                    min_c.append(min_c[-1] + min(e.c for e in entries))
                block_of = tuple(
                    next(i for i, block in enumerate(partition) if code in block) for code in codes
                )
                layouts.append(
                    Layout(lists, tuple(reversed(max_q)), tuple(reversed(min_c)), block_of)
                )
            self._layouts[extra] = layouts
        return self._layouts[extra]

    @staticmethod
    def _walk(
        layout: Layout,
        cut: Callable[[int, int], bool],
        leaf: Callable[[Found], None],
        monotone: bool,
    ) -> None:
        """Depth-first over distinct winners; ``cut(q_bound, c_bound)`` prunes a branch.
        ``monotone``: the cut depends on q only, so a cut entry cuts every later one."""
        lists, max_q, min_c = layout.lists, layout.max_q, layout.min_c
        depth = len(lists)
        used: set[int] = set()
        chosen: list[Entry] = []

        def walk(i: int, q: int, c: int) -> None:
            if i == depth:
                leaf(Found(tuple(chosen), q, c))
                return
            bound_q, bound_c = max_q[i + 1], min_c[i + 1]
            for entry in lists[i]:
                if entry.candidate_id in used:
                    continue
                nq, nc = q + entry.q, c + entry.c
                if cut(nq + bound_q, nc + bound_c):
                    if monotone:
                        break
                    continue
                used.add(entry.candidate_id)
                chosen.append(entry)
                walk(i + 1, nq, nc)
                chosen.pop()
                used.discard(entry.candidate_id)

        walk(0, 0, 0)

    @staticmethod
    def tie_key(found: Found, layout: Layout) -> tuple:
        """(providers, names, ids) in lot-code order: the order among equal V and C."""
        entries = [found.entries[i] for i in layout.block_of]
        return (
            len(found.entries),
            tuple(e.name for e in entries),
            tuple(e.candidate_id for e in entries),
        )

    # ------------------------------------------------------------ best k

    def best(self, price_weight: Fraction, k: int, min_cost: int) -> list[tuple[Fraction, Found]]:
        """The best ``k`` awards at ``price_weight`` (exact V, best first).

        V is kept as a pair (num, den) with V = num / (den * quality_scale * pd)
        for p = pn / pd; the common factor drops out of every comparison."""
        priced = self.market.priced
        pn, pd = price_weight.numerator, price_weight.denominator
        if not priced:
            pn, pd = 0, 1
        share = pd - pn
        if priced and min_cost > 0:
            bonus = 100 * pn * min_cost * self.quality_scale

            def score(q: int, c: int) -> tuple[int, int]:
                return share * q * c + bonus, c
        else:
            bonus = 100 * pn * self.quality_scale

            def score(q: int, c: int) -> tuple[int, int]:
                return share * q + (bonus if c == 0 else 0), 1

        kept: list[tuple[tuple, tuple[int, int], Found]] = []
        threshold: list[tuple[int, int]] = []  # the k-th best score once k are kept
        scale = self.quality_scale * pd

        def cut(q: int, c: int) -> bool:
            if not threshold:
                return False
            num, den = score(q, c)
            return num * threshold[0][1] < threshold[0][0] * den

        for layout in self.layouts(k - 1):

            def leaf(found: Found, layout: Layout = layout) -> None:
                if cut(found.q, found.c):
                    return
                num, den = score(found.q, found.c)
                providers, names, ids = self.tie_key(found, layout)
                key = (-Fraction(num, den * scale), providers, found.c, names, ids)
                if len(kept) == k and key >= kept[-1][0]:
                    return
                bisect.insort(kept, (key, (num, den), found), key=lambda item: item[0])
                if len(kept) > k:
                    kept.pop()
                if len(kept) == k:
                    threshold[:] = [kept[-1][1]]

            self._walk(layout, cut, leaf, monotone=pn == 0)
        return [(-key[0], found) for key, _, found in kept]

    # ------------------------------------------------------------ frontier

    def frontier(self) -> list[Found]:
        """The exact (Q, C) Pareto frontier, cost ascending; each point represented
        by its best award in the v2 order (fewest providers, then names, then ids)."""
        costs: list[int] = []
        qualities: list[int] = []  # strictly increasing with cost
        points: list[tuple[tuple, Found]] = []

        def dominated(q: int, c: int) -> bool:
            index = bisect.bisect_right(costs, c) - 1
            return (
                index >= 0 and qualities[index] >= q and (qualities[index] > q or costs[index] < c)
            )

        for layout in self.layouts(0):

            def leaf(found: Found, layout: Layout = layout) -> None:
                q, c = found.q, found.c
                if dominated(q, c):
                    return
                tie = self.tie_key(found, layout)
                index = bisect.bisect_right(costs, c) - 1
                if index >= 0 and costs[index] == c and qualities[index] == q:
                    if tie < points[index][0]:
                        points[index] = (tie, found)
                    return
                start = end = bisect.bisect_left(costs, c)
                while end < len(costs) and qualities[end] <= q:
                    end += 1
                costs[start:end], qualities[start:end] = [c], [q]
                points[start:end] = [(tie, found)]

            self._walk(layout, dominated, leaf, monotone=False)
        return [found for _, found in points]

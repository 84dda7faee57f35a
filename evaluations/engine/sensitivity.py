"""Sensitivity of a comparison, docs/scoring.md "Sensitivity": tipping points and Monte Carlo.

Pure module (standard library and numpy; no Django). Plain data in: candidates
with their full-precision section scores S_s in [0, 1] (``Scorecard.sections[i].s``)
and the effective section weights W_s; plain data out.

    report = analyse_sensitivity(candidates, section_weights, seed=42)
    report.to_dict()

Only qualified (not disqualified) candidates take part; with fewer than two the
report says so (``sufficient`` is False) instead of raising. Choices where
the rules are silent are listed in docs/scoring.md, "Implementation choices".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from evaluations.engine.types import CandidateId, Scorecard, round_half_even, to_float

ROBUST_WIN_PROBABILITY = Fraction(4, 5)  # the leader is robust at >= 0.8
_CHUNK_ELEMENTS = 4_000_000  # bounds the (trials x n x n) rank comparison per block


@dataclass(frozen=True, slots=True)
class SensitivityCandidate:
    id: CandidateId
    name: str
    section_scores: Mapping[str, float]  # full-precision S_s in [0, 1]
    disqualified: bool = False


@dataclass(frozen=True, slots=True)
class TippingPoint:
    """Per applicable section: the nearest factors on W_s that change the leader."""

    section: str
    weight: float
    increase_factor: float | None  # smallest f_c > 1, full precision
    increase_leader_id: CandidateId | None
    increase_leader_name: str | None
    decrease_factor: float | None  # largest f_c in (0, 1), full precision
    decrease_leader_id: CandidateId | None
    decrease_leader_name: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "weight": self.weight,
            "increase_factor": self.increase_factor,
            "increase_leader_id": self.increase_leader_id,
            "increase_leader_name": self.increase_leader_name,
            "decrease_factor": self.decrease_factor,
            "decrease_leader_id": self.decrease_leader_id,
            "decrease_leader_name": self.decrease_leader_name,
        }


@dataclass(frozen=True, slots=True)
class CandidateOutcome:
    candidate_id: CandidateId
    name: str
    win_probability: float
    min_rank: int
    median_rank: float
    max_rank: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "name": self.name,
            "win_probability": round_half_even(self.win_probability, 4),
            "min_rank": self.min_rank,
            "median_rank": self.median_rank,
            "max_rank": self.max_rank,
        }


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    seed: int
    trials: int
    spread: float
    leader_id: CandidateId
    leader_name: str
    leader_win_probability: float
    robust: bool
    candidates: tuple[CandidateOutcome, ...]  # in baseline ranking order

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "trials": self.trials,
            "spread": self.spread,
            "leader_id": self.leader_id,
            "leader_name": self.leader_name,
            "leader_win_probability": round_half_even(self.leader_win_probability, 4),
            "robust": self.robust,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class SensitivityReport:
    sufficient: bool
    message: str | None
    qualified_count: int
    leader_id: CandidateId | None
    leader_name: str | None
    seed: int
    trials: int
    spread: float
    section_weights: Mapping[str, float] = field(default_factory=dict)
    tipping_points: tuple[TippingPoint, ...] = ()
    monte_carlo: MonteCarloResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sufficient": self.sufficient,
            "message": self.message,
            "qualified_count": self.qualified_count,
            "leader_id": self.leader_id,
            "leader_name": self.leader_name,
            "seed": self.seed,
            "trials": self.trials,
            "spread": self.spread,
            "section_weights": dict(self.section_weights),
            "tipping_points": [t.to_dict() for t in self.tipping_points],
            "monte_carlo": None if self.monte_carlo is None else self.monte_carlo.to_dict(),
        }


# ---------------------------------------------------------------- preparation


@dataclass(frozen=True, slots=True)
class _Field:
    """Qualified candidates in baseline ranking order, applicable sections, weights."""

    candidates: tuple[SensitivityCandidate, ...]
    weights: dict[str, float]  # applicable sections (W > 0), in the given order


def _ranking_key(overall: float, candidate: SensitivityCandidate) -> tuple[Any, ...]:
    # The scorecard ranking among qualified candidates: rounded overall descending,
    # then name (case-insensitive first), then id.
    cid = candidate.id
    return (
        -round_half_even(overall, 2),
        candidate.name.casefold(),
        candidate.name,
        isinstance(cid, str),
        cid,
    )


def _prepare(
    candidates: Iterable[SensitivityCandidate], section_weights: Mapping[str, Any]
) -> _Field:
    weights = {}
    for code, weight in section_weights.items():
        value = to_float(weight, f"section weight {code!r}")
        if value > 0:
            weights[code] = value
    if not weights:
        raise ValueError("sensitivity needs at least one section with a positive weight")
    candidates = list(candidates)
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    for candidate in candidates:
        for code in weights:
            if code not in candidate.section_scores:
                raise ValueError(f"candidate {candidate.id!r} has no score for section {code!r}")
            to_float(candidate.section_scores[code], f"S[{code!r}]", high=1.0)
    qualified = [c for c in candidates if not c.disqualified]
    total = math.fsum(weights.values())

    def overall(c: SensitivityCandidate) -> float:
        terms = (w * float(c.section_scores[code]) for code, w in weights.items())
        return 100 * (math.fsum(terms) / total)  # as in scoring.score_candidate

    ordered = sorted(qualified, key=lambda c: _ranking_key(overall(c), c))
    return _Field(tuple(ordered), weights)


def _insufficient(count: int) -> str:
    return f"Sensitivity needs at least two qualified candidates; this comparison has {count}."


# ---------------------------------------------------------------- tipping points


def _tipping(field_: _Field) -> tuple[TippingPoint, ...]:
    leader, others = field_.candidates[0], field_.candidates[1:]
    weights = field_.weights
    s_leader = {code: float(leader.section_scores[code]) for code in weights}
    points = []
    for section, w_s in weights.items():
        up = down = None  # (sort key, factor, candidate)
        for rank, c in enumerate(others):
            s_c = {code: float(c.section_scores[code]) for code in weights}
            a = math.fsum(w * (s_leader[t] - s_c[t]) for t, w in weights.items() if t != section)
            b = w_s * (s_leader[section] - s_c[section])
            if b == 0:
                continue  # this section cannot separate c from the leader
            f = -a / b
            if not f > 0:
                continue
            # c is strictly ahead for f > f_c when b < 0, for f < f_c when b > 0.
            # Among equal factors the one gaining fastest past f_c leads, then ranking.
            if b < 0 and f > 1 and (up is None or (f, b, rank) < up[0]):
                up = ((f, b, rank), f, c)
            if b > 0 and f < 1 and (down is None or (-f, -b, rank) < down[0]):
                down = ((-f, -b, rank), f, c)
        points.append(
            TippingPoint(
                section=section,
                weight=w_s,
                increase_factor=up[1] if up else None,
                increase_leader_id=up[2].id if up else None,
                increase_leader_name=up[2].name if up else None,
                decrease_factor=down[1] if down else None,
                decrease_leader_id=down[2].id if down else None,
                decrease_leader_name=down[2].name if down else None,
            )
        )
    return tuple(points)


def tipping_points(
    candidates: Iterable[SensitivityCandidate], section_weights: Mapping[str, Any]
) -> tuple[TippingPoint, ...]:
    """Exact tipping points per applicable section; () with fewer than two qualified."""
    field_ = _prepare(candidates, section_weights)
    return _tipping(field_) if len(field_.candidates) >= 2 else ()


# ---------------------------------------------------------------- Monte Carlo


def _check_run(seed: Any, trials: Any, spread: Any) -> float:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")
    value = to_float(spread, "spread")
    if not value < 1:
        raise ValueError(f"spread must be in [0, 1), got {spread!r}")
    return value


def _monte_carlo(field_: _Field, seed: int, trials: int, spread: float) -> MonteCarloResult:
    codes = sorted(field_.weights)  # draw order independent of the mapping's order
    base = np.array([field_.weights[code] for code in codes])
    scores = np.array(
        [[float(c.section_scores[code]) for code in codes] for c in field_.candidates]
    )
    n = len(field_.candidates)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(trials, len(codes)))
    ranks = np.empty((trials, n), dtype=np.int64)
    step = max(1, _CHUNK_ELEMENTS // (n * max(n, len(codes))))
    for start in range(0, trials, step):
        w = base * factors[start : start + step]  # (b, k)
        # Same summation for every candidate, so equal inputs give equal overalls;
        # rounded to 2 decimals as the ranking rule is.
        weighted = (w[:, None, :] * scores[None, :, :]).sum(axis=2)  # (b, n)
        overall = np.round(100 * (weighted / w.sum(axis=1, keepdims=True)), 2)
        beaten_by = (overall[:, None, :] > overall[:, :, None]).sum(axis=2)
        ranks[start : start + step] = 1 + beaten_by  # competition ranking "1224"
    first = ranks == 1
    sharing = first.sum(axis=1)  # how many share first place in each trial
    wins = [Fraction(0)] * n
    for k in np.unique(sharing):
        counts = first[sharing == k].sum(axis=0)
        wins = [acc + Fraction(int(count), int(k)) for acc, count in zip(wins, counts, strict=True)]
    probabilities = [win / trials for win in wins]  # exact; they sum to 1
    outcomes = tuple(
        CandidateOutcome(
            candidate_id=c.id,
            name=c.name,
            win_probability=float(probabilities[i]),
            min_rank=int(ranks[:, i].min()),
            median_rank=float(np.median(ranks[:, i])),
            max_rank=int(ranks[:, i].max()),
        )
        for i, c in enumerate(field_.candidates)
    )
    leader = field_.candidates[0]
    return MonteCarloResult(
        seed=seed,
        trials=trials,
        spread=spread,
        leader_id=leader.id,
        leader_name=leader.name,
        leader_win_probability=float(probabilities[0]),
        robust=probabilities[0] >= ROBUST_WIN_PROBABILITY,
        candidates=outcomes,
    )


def monte_carlo(
    candidates: Iterable[SensitivityCandidate],
    section_weights: Mapping[str, Any],
    *,
    seed: int,
    trials: int = 1000,
    spread: float = 0.25,
) -> MonteCarloResult | None:
    """Seeded Monte Carlo over section weights; None with fewer than two qualified."""
    spread = _check_run(seed, trials, spread)
    field_ = _prepare(candidates, section_weights)
    if len(field_.candidates) < 2:
        return None
    return _monte_carlo(field_, seed, trials, spread)


# ---------------------------------------------------------------- the report


def analyse_sensitivity(
    candidates: Iterable[SensitivityCandidate],
    section_weights: Mapping[str, Any],
    *,
    seed: int,
    trials: int = 1000,
    spread: float = 0.25,
) -> SensitivityReport:
    """Tipping points and Monte Carlo over the qualified candidates."""
    spread = _check_run(seed, trials, spread)
    field_ = _prepare(candidates, section_weights)
    count = len(field_.candidates)
    leader = field_.candidates[0] if count else None
    common = {
        "qualified_count": count,
        "leader_id": leader.id if leader else None,
        "leader_name": leader.name if leader else None,
        "seed": seed,
        "trials": trials,
        "spread": spread,
        "section_weights": dict(field_.weights),
    }
    if count < 2:
        return SensitivityReport(sufficient=False, message=_insufficient(count), **common)
    return SensitivityReport(
        sufficient=True,
        message=None,
        tipping_points=_tipping(field_),
        monte_carlo=_monte_carlo(field_, seed, trials, spread),
        **common,
    )


def candidates_from_scorecards(scorecards: Sequence[Scorecard]) -> list[SensitivityCandidate]:
    """Sensitivity inputs from scorecards (their full-precision section scores).

    The section weights are ``scorecards[0].section_weights`` (the same for all).
    """
    return [
        SensitivityCandidate(
            id=card.candidate_id,
            name=card.name,
            section_scores={section.code: section.s for section in card.sections},
            disqualified=card.disqualified,
        )
        for card in scorecards
    ]

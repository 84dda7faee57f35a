"""Plain-data types of awards (docs/scoring.md v2 "Awards"): lots, lot bids, awards, results.

Standard library only. Inputs validate themselves on construction; weights and
overalls are kept exactly as ``Fraction`` (a float converts exactly). Results
keep exact Fractions; ``to_dict`` rounds for output: quality and value to 2
decimals, price score and price weight to 4, half-even, as floats; cost as a
money string with 2 places ("1234.50"), so JSON never sees a binary fraction of
a cent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from evaluations.engine.pricing import money, round_fraction

HANDOFF_RISK = "handoff_risk"
VCISO, MSSP = "vciso", "mssp"


def exact(value: Any, what: str) -> Fraction:
    """An int, float, Decimal or Fraction (never a bool) as an exact Fraction."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be finite, got {value!r}")
    return Fraction(value)


def _int_id(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class LotInput:
    """A lot. ``service_models`` may be empty only for the implicit lot ``all``
    of an evaluation without lots (v1 allows no required models)."""

    code: str
    weight: Fraction = Fraction(1)
    service_models: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code:
            raise ValueError(f"lot code must be a non-empty string, got {self.code!r}")
        weight = exact(self.weight, f"lot {self.code}: weight")
        if weight <= 0:
            raise ValueError(f"lot {self.code}: weight must be > 0, got {self.weight!r}")
        object.__setattr__(self, "weight", weight)
        models = self.service_models
        if isinstance(models, str) or not isinstance(models, Iterable):
            raise ValueError(f"lot {self.code}: service_models must be a collection of strings")
        models = frozenset(models)
        if not all(isinstance(model, str) for model in models):
            raise ValueError(f"lot {self.code}: service_models must contain strings only")
        object.__setattr__(self, "service_models", models)


@dataclass(frozen=True, slots=True)
class LotBid:
    """One candidate's bid on one lot, with its lot scorecard's figures.

    ``overall`` is the exact, unrounded overall (``Scorecard.overall_exact``);
    ``handoff_weak``: an applicable question tagged ``handoff`` is unanswered or
    has x < 0.5 in that lot scorecard (``lot_scoring.handoff_weak``).
    """

    candidate_id: int
    name: str
    lot: str
    overall: float
    disqualified: bool = False
    handoff_weak: bool = False

    def __post_init__(self) -> None:
        who = _int_id(self.candidate_id, "bid candidate_id")
        if not isinstance(self.name, str):
            raise ValueError(f"candidate {who}: name must be a string")
        if not isinstance(self.lot, str) or not self.lot:
            raise ValueError(f"candidate {who}: bid lot must be a non-empty string")
        overall = exact(self.overall, f"candidate {who}, lot {self.lot}: overall")
        if not 0 <= overall <= 100:
            raise ValueError(f"candidate {who}, lot {self.lot}: overall must be in [0, 100]")
        object.__setattr__(self, "disqualified", bool(self.disqualified))
        object.__setattr__(self, "handoff_weak", bool(self.handoff_weak))


def _r(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(round_fraction(value, places))


@dataclass(frozen=True, slots=True)
class Winner:
    candidate_id: int
    name: str
    lots: tuple[str, ...]  # lot codes ascending
    proposal_ids: tuple[int, ...]  # the cheapest cover; () when unpriced

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "name": self.name,
            "lots": list(self.lots),
            "proposal_ids": list(self.proposal_ids),
        }


@dataclass(frozen=True, slots=True)
class Award:
    """One award, exact. ``assignments`` maps lot code -> candidate id in lot-code
    order; ``winners`` are ordered by their first lot. ``cost`` and ``price_score``
    are None in an unpriced evaluation."""

    assignments: Mapping[str, int]
    winners: tuple[Winner, ...]
    quality: Fraction
    cost: Fraction | None
    price_score: Fraction | None
    value: Fraction
    flags: tuple[str, ...] = ()

    @property
    def provider_count(self) -> int:
        return len(self.winners)

    def to_dict(self) -> dict[str, Any]:
        return {
            "assignments": dict(self.assignments),
            "winners": [winner.to_dict() for winner in self.winners],
            "quality": _r(self.quality, 2),
            "cost": None if self.cost is None else str(money(self.cost)),
            "price_score": _r(self.price_score, 4),
            "value": _r(self.value, 2),
            "provider_count": self.provider_count,
            "flags": list(self.flags),
        }


@dataclass(frozen=True, slots=True)
class TippingPoint:
    """Past ``price_weight`` (exact) the best award becomes ``award``."""

    price_weight: Fraction
    award: Award

    def to_dict(self) -> dict[str, Any]:
        return {
            "price_weight": _r(self.price_weight, 4),
            "price_weight_exact": str(self.price_weight),
            "award": self.award.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Why there is no feasible award (``lot`` None: not one lot's fault), or why
    a candidate cannot win (``candidate_id``)."""

    reason: str
    lot: str | None = None
    candidate_id: int | None = None


@dataclass(frozen=True, slots=True)
class AwardsResult:
    priced: bool
    price_weight: Fraction  # as given; unpriced evaluations score with 0
    awards: tuple[Award, ...]  # the best k, best first
    infeasible: tuple[Problem, ...] = ()
    not_awardable: tuple[Problem, ...] = ()
    min_cost: Fraction | None = None
    efficient: tuple[Award, ...] = ()  # at most MAX_EFFICIENT, cost ascending
    efficient_total: int = 0  # the frontier's size before that bound
    increase: TippingPoint | None = None  # smallest p* in (p, 1)
    decrease: TippingPoint | None = None  # largest p* in (0, p)

    @property
    def feasible(self) -> bool:
        return bool(self.awards)

    def to_dict(self) -> dict[str, Any]:
        def point(tipping: TippingPoint | None) -> dict[str, Any] | None:
            return None if tipping is None else tipping.to_dict()

        return {
            "feasible": self.feasible,
            "priced": self.priced,
            "price_weight": _r(self.price_weight, 4),
            "awards": [award.to_dict() for award in self.awards],
            "infeasible": [{"lot": p.lot, "reason": p.reason} for p in self.infeasible],
            "not_awardable": [
                {"candidate_id": p.candidate_id, "reason": p.reason} for p in self.not_awardable
            ],
            "min_cost": None if self.min_cost is None else str(money(self.min_cost)),
            "efficient": [award.to_dict() for award in self.efficient],
            "efficient_total": self.efficient_total,
            "tipping_points": None
            if not self.priced
            else {"increase": point(self.increase), "decrease": point(self.decrease)},
        }

"""Coverage of an evaluation split into lots. Pure Python.

A required capability belongs to the lot that holds its service model. A
candidate counts for it only where it is *qualified* in that lot: it bids there,
its scorecard for the lot exists and it is not disqualified in it. So a firm
knocked out of the SOC lot covers no SOC capability, and a firm that bids only on
governance brings only its governance capabilities, whatever else it sells.

Combinations follow awards: with lots, a combination is an assignment of every
lot to one candidate qualified in it, and each lot's capabilities count from its
winner alone (the buyer will not get half a lot from each of two firms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, product
from math import prod

from evaluations.engine.coverage import (
    Candidate,
    CapabilityLike,
    CoverageResult,
    analyze_coverage,
)
from providers.vocabulary import ServiceModel


@dataclass(frozen=True, slots=True)
class QualifiedLot:
    """A lot and the ids of the candidates qualified in it, in candidate order."""

    code: str
    service_models: frozenset[str]
    qualified: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class AwardCoverage:
    award: Mapping[str, int]  # lot code -> winning candidate id, in lot order
    result: CoverageResult
    mix: tuple[Candidate, ...]  # the winners, each restricted to the lots it wins


@dataclass(frozen=True, slots=True)
class AwardCombinationSearch:
    results: tuple[AwardCoverage, ...] = field(default_factory=tuple)
    total_combinations: int = 0  # every assignment of the lots to qualified candidates
    examined: int = 0
    truncated: bool = False


def restricted(
    candidate: Candidate, models: Iterable[str], catalog: Iterable[CapabilityLike]
) -> Candidate:
    """``candidate`` as it counts in lots holding ``models``: those service models
    and the offerings of capabilities in them, nothing else."""
    wanted = {ServiceModel(m) for m in models}
    model_of = {c.code: ServiceModel(c.service_model) for c in catalog}
    return Candidate(
        id=candidate.id,
        name=candidate.name,
        service_models=tuple(m for m in candidate.service_models if m in wanted),
        offerings=tuple(
            o for o in candidate.offerings if model_of.get(o.capability_code) in wanted
        ),
    )


def counted_candidates(
    candidates: Sequence[Candidate], lots: Sequence[QualifiedLot], catalog: Sequence[CapabilityLike]
) -> tuple[Candidate, ...]:
    """Each candidate restricted to the lots it is qualified in; a candidate
    qualified nowhere is left out."""
    out = []
    for candidate in candidates:
        models = [m for lot in lots if candidate.id in lot.qualified for m in lot.service_models]
        if models:
            out.append(restricted(candidate, models, catalog))
    return tuple(out)


def lot_coverage(
    candidates: Sequence[Candidate], lots: Sequence[QualifiedLot], catalog: Sequence[CapabilityLike]
) -> list[dict]:
    """Per lot: its capabilities, the qualified bidders, and which of them offer
    every capability of the lot alone (``sole_cover``: in-house or through a
    partner). A gap-free award exists exactly when every lot has one, since each
    lot's capabilities come from its winner only."""
    by_id = {c.id: c for c in candidates}
    out = []
    for lot in lots:
        models = {ServiceModel(m) for m in lot.service_models}
        codes = [c.code for c in catalog if ServiceModel(c.service_model) in models]
        bidders = [by_id[i] for i in lot.qualified if i in by_id]
        offered = {
            c.id: {o.capability_code for o in restricted(c, models, catalog).offerings}
            for c in bidders
        }
        out.append(
            {
                "lot": lot.code,
                "capabilities": codes,
                "qualified": [c.id for c in bidders],
                "sole_cover": [c.id for c in bidders if offered[c.id] >= set(codes)],
                "gap": [code for code in codes if not any(code in o for o in offered.values())],
            }
        )
    return out


def award_combinations(
    required_models: Iterable[str],
    catalog: Sequence[CapabilityLike],
    candidates: Sequence[Candidate],
    lots: Sequence[QualifiedLot],
    *,
    max_size: int,
    max_combinations: int,
    max_results: int,
    handoff_defined: Callable[[Sequence[Candidate]], bool],
) -> AwardCombinationSearch:
    """Gap-free awards with at most ``max_size`` distinct winners, best first.

    Assignments are tried in candidate order, lot by lot, and the search stops
    after ``max_combinations`` (``truncated`` says so). Results are ordered as the
    combinations of an evaluation without lots: fewest providers, fewest
    partner-only capabilities, no hand-off risk first, fewest overlaps, then the
    winners' candidate order lot by lot.
    """
    required_models = tuple(required_models)
    position = {c.id: i for i, c in enumerate(candidates)}
    by_id = {c.id: c for c in candidates}
    choices = [[i for i in lot.qualified if i in by_id] for lot in lots]
    total = prod(len(choice) for choice in choices) if lots else 0
    examined = 0
    found: list[tuple[tuple, AwardCoverage]] = []
    for winners in islice(product(*choices), max_combinations) if total else ():
        examined += 1
        distinct = sorted(set(winners), key=position.__getitem__)
        if len(distinct) > max_size:
            continue
        won = {i: [] for i in distinct}
        for lot, winner in zip(lots, winners, strict=True):
            won[winner].extend(lot.service_models)
        mix = [restricted(by_id[i], won[i], catalog) for i in distinct]
        result = analyze_coverage(
            required_models, catalog, mix, handoff_defined=handoff_defined(mix)
        )
        if not result.complete:
            continue
        key = (
            len(mix),
            len(result.partner_only),
            result.handoff_risk,
            len(result.overlaps),
            tuple(position[w] for w in winners),
        )
        award = {lot.code: w for lot, w in zip(lots, winners, strict=True)}
        found.append((key, AwardCoverage(award, result, tuple(mix))))
    found.sort(key=lambda item: item[0])
    return AwardCombinationSearch(
        results=tuple(item for _, item in found[:max_results]),
        total_combinations=total,
        examined=examined,
        truncated=examined < total,
    )

"""Coverage-gap analysis of a mix of candidate providers. Pure Python.

``analyze_coverage`` classifies each required capability for one combination of
candidates as ``gap``, ``partner_only``, ``overlap`` or ``in_house`` and raises
``handoff_risk`` when vCISO and MSSP functions come from different firms with no
defined hand-off; ``find_complete_combinations`` searches bounded combinations
for gap-free mixes. Semantics in full: docs/needs-assessment.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations, islice
from types import MappingProxyType
from typing import Any, Protocol

from providers.vocabulary import ServiceModel

MAX_COMBINATION_SIZE = 4
MAX_COMBINATIONS_LIMIT = 10_000
MAX_RESULTS_LIMIT = 100

HANDOFF_RISK = "handoff_risk"
HANDOFF_SPLIT_DEFINED = "handoff_split_defined"
FINDINGS: Mapping[str, str] = MappingProxyType(
    {
        HANDOFF_RISK: (
            "vCISO functions and MSSP functions come from different firms and no firm in this "
            "mix covers both, and nobody has said where one stops and the other starts. Gaps of "
            "this kind surface during incidents and audits: agree the hand-off in writing."
        ),
        HANDOFF_SPLIT_DEFINED: (
            "vCISO and MSSP functions come from different firms; the evaluation records a "
            "defined hand-off between them, so check it is in the contracts."
        ),
    }
)


class DeliveredBy(StrEnum):
    SELF = "self"
    PARTNER = "partner"


class CoverageStatus(StrEnum):
    GAP = "gap"
    PARTNER_ONLY = "partner_only"
    OVERLAP = "overlap"
    IN_HOUSE = "in_house"


class CapabilityLike(Protocol):
    """What coverage needs from a catalog entry (``providers.catalog.Capability`` fits)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def service_model(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Offering:
    capability_code: str
    delivered_by: DeliveredBy = DeliveredBy.SELF
    partner_name: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "delivered_by", DeliveredBy(self.delivered_by))
        except ValueError:
            raise ValueError(
                f"delivered_by must be 'self' or 'partner', not {self.delivered_by!r}"
            ) from None
        if self.delivered_by == DeliveredBy.SELF or not self.partner_name:
            object.__setattr__(self, "partner_name", None)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A provider under consideration. ``offerings`` items may be Offering objects,
    ``(code, delivered_by, partner_name)`` tuples or mappings with those keys."""

    id: str | int
    name: str
    service_models: tuple[ServiceModel, ...] = ()
    offerings: tuple[Offering, ...] = ()

    def __post_init__(self) -> None:
        models = {ServiceModel(m) for m in self.service_models}
        object.__setattr__(self, "service_models", tuple(m for m in ServiceModel if m in models))
        object.__setattr__(self, "offerings", tuple(_offering(o) for o in self.offerings))


def _offering(item: Any) -> Offering:
    if isinstance(item, Offering):
        return item
    if isinstance(item, Mapping):
        return Offering(**item)
    return Offering(*item)


@dataclass(frozen=True, slots=True)
class Provision:
    candidate_id: str | int
    candidate_name: str
    delivered_by: DeliveredBy
    partner_name: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "candidate_name": self.candidate_name,
            "delivered_by": self.delivered_by.value,
            "partner_name": self.partner_name,
        }


@dataclass(frozen=True, slots=True)
class CapabilityCoverage:
    code: str
    name: str
    service_model: ServiceModel
    status: CoverageStatus
    providers: tuple[Provision, ...]  # in candidate order

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "service_model": self.service_model.value,
            "status": self.status.value,
            "providers": [p.to_dict() for p in self.providers],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    finding_id: str
    explanation: str
    candidate_ids: tuple[str | int, ...]  # the firms involved

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "explanation": self.explanation,
            "candidate_ids": list(self.candidate_ids),
        }


@dataclass(frozen=True, slots=True)
class CoverageResult:
    candidate_ids: tuple[str | int, ...]
    required_models: tuple[ServiceModel, ...]
    capabilities: tuple[CapabilityCoverage, ...]  # required models in ServiceModel order
    findings: tuple[Finding, ...]
    unknown_capability_codes: tuple[str, ...]  # offered codes missing from the catalog, ignored

    def _codes(self, status: CoverageStatus) -> tuple[str, ...]:
        return tuple(c.code for c in self.capabilities if c.status == status)

    @property
    def gaps(self) -> tuple[str, ...]:
        return self._codes(CoverageStatus.GAP)

    @property
    def partner_only(self) -> tuple[str, ...]:
        return self._codes(CoverageStatus.PARTNER_ONLY)

    @property
    def overlaps(self) -> tuple[str, ...]:
        return self._codes(CoverageStatus.OVERLAP)

    @property
    def in_house(self) -> tuple[str, ...]:
        return self._codes(CoverageStatus.IN_HOUSE)

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def handoff_risk(self) -> bool:
        return any(f.finding_id == HANDOFF_RISK for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_ids": list(self.candidate_ids),
            "required_models": [m.value for m in self.required_models],
            "complete": self.complete,
            "summary": {
                "gap": list(self.gaps),
                "partner_only": list(self.partner_only),
                "overlap": list(self.overlaps),
                "in_house": list(self.in_house),
            },
            "capabilities": [c.to_dict() for c in self.capabilities],
            "handoff_risk": self.handoff_risk,
            "findings": [f.to_dict() for f in self.findings],
            "unknown_capability_codes": list(self.unknown_capability_codes),
        }


@dataclass(frozen=True, slots=True)
class CombinationSearch:
    results: tuple[CoverageResult, ...]  # gap-free combinations, best first
    max_size: int
    total_combinations: int  # combinations of up to max_size among useful candidates
    examined: int
    truncated: bool  # True when max_combinations stopped the search early

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_size": self.max_size,
            "total_combinations": self.total_combinations,
            "examined": self.examined,
            "truncated": self.truncated,
            "results": [r.to_dict() for r in self.results],
        }


def _models(required_models: Iterable[ServiceModel | str]) -> tuple[ServiceModel, ...]:
    wanted = {ServiceModel(m) for m in required_models}
    return tuple(m for m in ServiceModel if m in wanted)


def _check_unique(candidates: Sequence[Candidate]) -> None:
    seen: set[str | int] = set()
    for candidate in candidates:
        if candidate.id in seen:
            raise ValueError(f"candidate id {candidate.id!r} appears more than once")
        seen.add(candidate.id)


def _delivery_map(
    candidate: Candidate, known: Mapping[str, ServiceModel]
) -> dict[str, tuple[DeliveredBy, str | None]]:
    """Capability code -> how this candidate delivers it; delivering itself wins."""
    out: dict[str, tuple[DeliveredBy, str | None]] = {}
    for offer in candidate.offerings:
        if offer.capability_code not in known:
            continue
        current = out.get(offer.capability_code)
        if current is None or (
            current[0] == DeliveredBy.PARTNER and offer.delivered_by == DeliveredBy.SELF
        ):
            out[offer.capability_code] = (offer.delivered_by, offer.partner_name)
    return out


def _gives(candidate: Candidate, model: ServiceModel, known: Mapping[str, ServiceModel]) -> bool:
    if model in candidate.service_models:
        return True
    return any(known.get(o.capability_code) == model for o in candidate.offerings)


def _status(providers: Sequence[Provision]) -> CoverageStatus:
    if not providers:
        return CoverageStatus.GAP
    if all(p.delivered_by == DeliveredBy.PARTNER for p in providers):
        return CoverageStatus.PARTNER_ONLY
    return CoverageStatus.OVERLAP if len(providers) > 1 else CoverageStatus.IN_HOUSE


def _handoff(
    candidates: Sequence[Candidate], known: Mapping[str, ServiceModel], handoff_defined: bool
) -> tuple[Finding, ...]:
    vciso = [c.id for c in candidates if _gives(c, ServiceModel.VCISO, known)]
    mssp = [c.id for c in candidates if _gives(c, ServiceModel.MSSP, known)]
    if not vciso or not mssp or set(vciso) & set(mssp):
        return ()
    involved = tuple(c.id for c in candidates if c.id in vciso or c.id in mssp)
    finding_id = HANDOFF_SPLIT_DEFINED if handoff_defined else HANDOFF_RISK
    return (Finding(finding_id, FINDINGS[finding_id], involved),)


def analyze_coverage(
    required_models: Iterable[ServiceModel | str],
    catalog: Iterable[CapabilityLike],
    candidates: Sequence[Candidate],
    *,
    handoff_defined: bool = False,
) -> CoverageResult:
    """Classify every capability of the required models for this combination of candidates.

    ``handoff_defined``: pass True when the evaluation holds a clear, documented answer
    to where the vCISO's and the MSSP's responsibilities meet; it turns ``handoff_risk``
    into the informational ``handoff_split_defined`` finding.
    """
    _check_unique(candidates)
    models = _models(required_models)
    catalog = tuple(catalog)
    known = {c.code: ServiceModel(c.service_model) for c in catalog}
    deliveries = [(c, _delivery_map(c, known)) for c in candidates]
    capabilities = []
    for model in models:
        for capability in catalog:
            if known[capability.code] != model:
                continue
            providers = tuple(
                Provision(c.id, c.name, *delivery[capability.code])
                for c, delivery in deliveries
                if capability.code in delivery
            )
            capabilities.append(
                CapabilityCoverage(
                    capability.code, capability.name, model, _status(providers), providers
                )
            )
    unknown = sorted({o.capability_code for c in candidates for o in c.offerings} - set(known))
    return CoverageResult(
        candidate_ids=tuple(c.id for c in candidates),
        required_models=models,
        capabilities=tuple(capabilities),
        findings=_handoff(candidates, known, handoff_defined),
        unknown_capability_codes=tuple(unknown),
    )


def _bounded(name: str, value: int, upper: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= upper:
        raise ValueError(f"{name} must be an integer between 1 and {upper}")
    return value


def find_complete_combinations(
    required_models: Iterable[ServiceModel | str],
    catalog: Iterable[CapabilityLike],
    candidates: Sequence[Candidate],
    *,
    max_size: int = 3,
    max_combinations: int = 5_000,
    max_results: int = 20,
    handoff_defined: bool = False,
) -> CombinationSearch:
    """Combinations of up to ``max_size`` candidates that leave no gap, best first.

    Candidates offering none of the required capabilities are left out of the search.
    Combinations are tried smallest first, in candidate order, and the search stops
    after ``max_combinations`` (``truncated`` then says so). Results are ordered by
    fewest providers, then fewest partner-only capabilities, then no hand-off risk
    before hand-off risk, then fewest overlaps, then candidate order.
    """
    _bounded("max_size", max_size, MAX_COMBINATION_SIZE)
    _bounded("max_combinations", max_combinations, MAX_COMBINATIONS_LIMIT)
    _bounded("max_results", max_results, MAX_RESULTS_LIMIT)
    _check_unique(candidates)
    models = _models(required_models)
    catalog = tuple(catalog)
    required = [c.code for c in catalog if ServiceModel(c.service_model) in models]
    known = {c.code: ServiceModel(c.service_model) for c in catalog}
    bit = {code: 1 << i for i, code in enumerate(required)}
    full = (1 << len(required)) - 1

    masks: list[tuple[int, Candidate, int]] = []  # (input position, candidate, covered bits)
    for position, candidate in enumerate(candidates):
        covered = 0
        for code in _delivery_map(candidate, known):
            covered |= bit.get(code, 0)
        if covered:
            masks.append((position, candidate, covered))

    sizes = range(1, min(max_size, len(masks)) + 1)
    total = sum(math.comb(len(masks), k) for k in sizes)
    all_combos = (combo for k in sizes for combo in combinations(masks, k))
    examined = 0
    found: list[tuple[tuple, CoverageResult]] = []
    for combo in islice(all_combos, max_combinations):
        examined += 1
        union = 0
        for _, _, covered in combo:
            union |= covered
        if union != full:
            continue
        result = analyze_coverage(
            models, catalog, [c for _, c, _ in combo], handoff_defined=handoff_defined
        )
        key = (
            len(combo),
            len(result.partner_only),
            result.handoff_risk,
            len(result.overlaps),
            tuple(position for position, _, _ in combo),
        )
        found.append((key, result))
    found.sort(key=lambda item: item[0])
    return CombinationSearch(
        results=tuple(result for _, result in found[:max_results]),
        max_size=max_size,
        total_combinations=total,
        examined=examined,
        truncated=examined < total,
    )

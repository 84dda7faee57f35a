"""Proposals and their exact total cost, docs/scoring.md v2 "Proposals and total cost".

Pure module (standard library only). Money comes in as ``Decimal`` with at most
two places; every total is an exact ``Fraction`` (escalation compounds yearly,
so a fixed-precision decimal context would round), and ``money`` rounds it
half-even to cents only for output.

    costs = {p.id: tco(p, quantities, 36) for p in proposals}
    covers = cheapest_covers(proposals_of_candidate, costs)  # every lot set it can cover
    cover = cheapest_cover(proposals_of_candidate, frozenset({"msp", "soc"}), costs)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

MAX_HORIZON_MONTHS = 120


def _plain_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: Any, what: str, *, high: Decimal | None = None, places: int | None = 2):
    """A finite, non-negative Decimal (ints accepted) with at most ``places`` decimals."""
    if _plain_int(value):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{what} must be a finite decimal, got {value!r}")
    if value < 0 or (high is not None and value > high):
        bound = f"[0, {high}]" if high is not None else ">= 0"
        raise ValueError(f"{what} must be {bound}, got {value}")
    if places is not None and value.as_tuple().exponent < -places:
        raise ValueError(f"{what} has more than {places} decimal places: {value}")
    return value


def _lot_codes(value: Any, what: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{what} must be a collection of lot codes, got {value!r}")
    codes = frozenset(value)
    if not codes or not all(isinstance(code, str) and code for code in codes):
        raise ValueError(f"{what} must be a non-empty set of non-empty strings, got {value!r}")
    return codes


@dataclass(frozen=True, slots=True)
class UnitPrice:
    unit: str
    monthly_price: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.unit, str) or not self.unit:
            raise ValueError(f"unit must be a non-empty string, got {self.unit!r}")
        price = _decimal(self.monthly_price, f"unit {self.unit}: monthly_price")
        object.__setattr__(self, "monthly_price", price)


@dataclass(frozen=True, slots=True)
class ProposalInput:
    id: int
    candidate_id: int
    lots: frozenset[str]
    one_time: Decimal = Decimal(0)
    monthly: Decimal = Decimal(0)
    unit_prices: tuple[UnitPrice, ...] = ()
    annual_increase_pct: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        put = object.__setattr__
        if not _plain_int(self.id):
            raise ValueError(f"proposal id must be an int, got {self.id!r}")
        what = f"proposal {self.id}"
        if not _plain_int(self.candidate_id):
            raise ValueError(f"{what}: candidate_id must be an int, got {self.candidate_id!r}")
        put(self, "lots", _lot_codes(self.lots, f"{what}: lots"))
        put(self, "one_time", _decimal(self.one_time, f"{what}: one_time"))
        put(self, "monthly", _decimal(self.monthly, f"{what}: monthly"))
        pct = _decimal(
            self.annual_increase_pct, f"{what}: annual_increase_pct", high=Decimal(100), places=None
        )
        put(self, "annual_increase_pct", pct)
        prices = tuple(self.unit_prices)
        if not all(isinstance(price, UnitPrice) for price in prices):
            raise ValueError(f"{what}: unit_prices must be UnitPrice values")
        units = [price.unit for price in prices]
        if len(set(units)) != len(units):
            twice = sorted({unit for unit in units if units.count(unit) > 1})
            raise ValueError(f"{what}: unit listed twice: {', '.join(twice)}")
        put(self, "unit_prices", prices)


@dataclass(frozen=True, slots=True)
class Cover:
    """The proposals (ids ascending) that pay for a set of lots, and their total cost."""

    cost: Fraction
    proposal_ids: tuple[int, ...]


def money(value: Fraction) -> Decimal:
    """An exact amount rounded half-even to 2 places, for output."""
    return round_fraction(value, 2)


def round_fraction(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half-even to ``places`` decimals, exactly (no float on the way)."""
    # round() of a Fraction rounds half to even on the exact value.
    return Decimal(round(Fraction(value) * 10**places)).scaleb(-places)


def monthly_total(proposal: ProposalInput, quantities: Mapping[str, int]) -> Fraction:
    """M = monthly + sum(monthly_price * quantities[unit]), exactly."""
    total = Fraction(proposal.monthly)
    for price in proposal.unit_prices:
        if price.unit not in quantities:
            raise ValueError(f"proposal {proposal.id}: unit {price.unit!r} is not in quantities")
        count = quantities[price.unit]
        if not _plain_int(count) or count < 0:
            raise ValueError(f"quantities[{price.unit!r}] must be a non-negative integer")
        total += Fraction(price.monthly_price) * count
    return total


def tco(proposal: ProposalInput, quantities: Mapping[str, int], horizon_months: int) -> Fraction:
    """one_time + sum over m < H of M * g ** (m // 12) with g = 1 + pct / 100, exactly.

    Each full year pays 12 * M * g ** year, a geometric series summed in closed
    form; the months of a last, partial year pay M * g ** full_years each.
    """
    if not _plain_int(horizon_months) or not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        raise ValueError(
            f"horizon_months must be an integer 1..{MAX_HORIZON_MONTHS}, got {horizon_months!r}"
        )
    growth = 1 + Fraction(proposal.annual_increase_pct) / 100
    years, months = divmod(horizon_months, 12)
    full_years = years if growth == 1 else (growth**years - 1) / (growth - 1)
    months_paid = 12 * full_years + months * growth**years
    return Fraction(proposal.one_time) + monthly_total(proposal, quantities) * months_paid


def _cover_key(cover: Cover) -> tuple[Fraction, int, tuple[int, ...]]:
    return cover.cost, len(cover.proposal_ids), cover.proposal_ids


def cheapest_covers(
    proposals: Iterable[ProposalInput], costs: Mapping[int, Fraction]
) -> dict[frozenset[str], Cover]:
    """Every set of lots the proposals can cover exactly, with its cheapest cover.

    A cover is a set of proposals with pairwise disjoint lot sets whose union
    is the lot set. Cheapest wins; ties go to fewer proposals, then the lower
    sorted id tuple. Dynamic programming over the subsets of the proposals'
    lots: a cover of a set contains exactly one proposal holding its lowest lot,
    so the best cover of ``mask`` is the best over those proposals ``p`` of p
    plus the best cover of ``mask - p``. That is exact for the tie-breaks too:
    cost and count add up, and putting the same id into two equally long
    sorted tuples keeps their order.
    """
    proposals = list(proposals)
    codes = sorted({code for proposal in proposals for code in proposal.lots})
    bit = {code: 1 << index for index, code in enumerate(codes)}
    by_lowest: dict[int, list[tuple[int, ProposalInput]]] = {}
    for proposal in proposals:
        if proposal.id not in costs:
            raise ValueError(f"no cost given for proposal {proposal.id}")
        mask = sum(bit[code] for code in proposal.lots)
        by_lowest.setdefault(mask & -mask, []).append((mask, proposal))
    best: dict[int, Cover] = {0: Cover(Fraction(0), ())}
    for mask in range(1, 1 << len(codes)):
        found = None
        for proposal_mask, proposal in by_lowest.get(mask & -mask, ()):
            rest = best.get(mask & ~proposal_mask) if proposal_mask & ~mask == 0 else None
            if rest is None:
                continue
            cover = Cover(
                rest.cost + costs[proposal.id], tuple(sorted((*rest.proposal_ids, proposal.id)))
            )
            if found is None or _cover_key(cover) < _cover_key(found):
                found = cover
        if found is not None:
            best[mask] = found
    return {
        frozenset(code for code in codes if mask & bit[code]): cover
        for mask, cover in best.items()
        if mask
    }


def cheapest_cover(
    proposals: Iterable[ProposalInput], lots: frozenset[str], costs: Mapping[int, Fraction]
) -> Cover | None:
    """The cheapest cover of exactly ``lots`` by one candidate's proposals, or None."""
    proposals = list(proposals)
    if len({proposal.candidate_id for proposal in proposals}) > 1:
        raise ValueError("cheapest_cover takes the proposals of one candidate")
    lots = frozenset(lots)
    inside = [proposal for proposal in proposals if proposal.lots <= lots]
    return cheapest_covers(inside, costs).get(lots)

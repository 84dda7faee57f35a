"""Proposal pricing (docs/scoring.md v2 "Proposals and total cost"): TCO, money, covers."""

from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.pricing import (
    Cover,
    ProposalInput,
    UnitPrice,
    cheapest_cover,
    cheapest_covers,
    money,
    monthly_total,
    tco,
)

MONEY = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
PCT = st.decimals(min_value=0, max_value=100, places=3)


def proposal(pid=1, lots=("a",), **fields):
    return ProposalInput(pid, 9, frozenset(lots), **fields)


def test_monthly_total_adds_unit_prices_times_quantities():
    p = proposal(
        monthly=Decimal("100.50"),
        unit_prices=(UnitPrice("user", Decimal("2.25")), UnitPrice("server", Decimal(40))),
    )
    # 100.50 + 2.25 * 10 + 40 * 3; a quantity no price uses changes nothing
    assert monthly_total(p, {"user": 10, "server": 3}) == Fraction(243)
    assert monthly_total(p, {"user": 10, "server": 3, "site": 7}) == Fraction(243)
    assert monthly_total(proposal(monthly=Decimal("0.10")), {}) == Fraction(1, 10)


def test_tco_without_escalation():
    p = proposal(one_time=Decimal("500.00"), monthly=Decimal("99.99"))
    assert tco(p, {}, 36) == Fraction(50000 + 36 * 9999, 100)


def test_tco_escalates_once_a_year_and_counts_a_partial_year():
    p = proposal(monthly=Decimal(1000), annual_increase_pct=Decimal(10))
    # 12 * 1000 + 12 * 1100 + 6 * 1210
    assert tco(p, {}, 30) == 12000 + 13200 + 7260
    assert tco(p, {}, 12) == 12000
    assert tco(p, {}, 1) == 1000


def test_tco_is_exact_where_a_28_digit_decimal_is_not():
    p = proposal(monthly=Decimal("0.01"), annual_increase_pct=Decimal("3.333"))
    total = tco(p, {}, 120)
    growth = Fraction(103333, 100000)
    assert total == sum(Fraction(1, 100) * growth ** (m // 12) for m in range(120))
    assert total.denominator > 10**28


@settings(max_examples=200, deadline=None)
@given(MONEY, MONEY, MONEY, st.integers(0, 500), PCT, st.integers(1, 120))
def test_tco_equals_the_month_by_month_sum(one_time, monthly, unit, count, pct, horizon):
    p = proposal(
        one_time=one_time,
        monthly=monthly,
        unit_prices=(UnitPrice("device", unit),),
        annual_increase_pct=pct,
    )
    m = Fraction(monthly) + Fraction(unit) * count
    growth = 1 + Fraction(pct) / 100
    expected = Fraction(one_time) + sum(m * growth ** (month // 12) for month in range(horizon))
    assert tco(p, {"device": count}, horizon) == expected


def test_money_rounds_half_even_to_cents():
    assert money(Fraction(1, 8)) == Decimal("0.12")
    assert money(Fraction(3, 8)) == Decimal("0.38")
    assert money(Fraction(2675, 1000)) == Decimal("2.68")
    assert money(Fraction(2665, 1000)) == Decimal("2.66")
    assert money(Fraction(1, 3)) == Decimal("0.33")
    assert str(money(Fraction(0))) == "0.00"
    assert str(money(Fraction(79200))) == "79200.00"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"monthly": Decimal("1.005")}, "more than 2 decimal places"),
        ({"one_time": Decimal(-1)}, "one_time must be >= 0"),
        ({"monthly": 1.5}, "monthly must be a finite decimal"),
        ({"monthly": Decimal("NaN")}, "monthly must be a finite decimal"),
        ({"annual_increase_pct": Decimal("100.5")}, r"annual_increase_pct must be \[0, 100\]"),
        (
            {"unit_prices": (UnitPrice("user", Decimal(1)), UnitPrice("user", Decimal(2)))},
            "unit listed twice: user",
        ),
        ({"unit_prices": ({"unit": "user"},)}, "UnitPrice values"),
    ],
)
def test_proposal_validation(fields, message):
    with pytest.raises(ValueError, match=message):
        proposal(**fields)


def test_proposal_needs_lots_and_int_ids():
    with pytest.raises(ValueError, match="non-empty set"):
        ProposalInput(1, 2, frozenset())
    with pytest.raises(ValueError, match="proposal id must be an int"):
        ProposalInput(True, 2, {"a"})
    with pytest.raises(ValueError, match="candidate_id must be an int"):
        ProposalInput(1, "x", {"a"})
    with pytest.raises(ValueError, match="monthly_price has more than 2"):
        UnitPrice("user", Decimal("0.001"))


def test_unknown_unit_and_bad_horizon():
    p = proposal(unit_prices=(UnitPrice("user", Decimal(1)),))
    with pytest.raises(ValueError, match="unit 'user' is not in quantities"):
        tco(p, {"device": 2}, 12)
    with pytest.raises(ValueError, match=r"quantities\['user'\] must be a non-negative integer"):
        tco(p, {"user": -1}, 12)
    for horizon in (0, 121, 12.0, True):
        with pytest.raises(ValueError, match=r"horizon_months must be an integer 1\.\.120"):
            tco(p, {"user": 1}, horizon)


# ---------------------------------------------------------------- covers


def test_bundle_beats_singles_when_cheaper():
    ps = [proposal(1, "a"), proposal(2, "b"), proposal(3, "ab")]
    costs = {1: Fraction(60), 2: Fraction(50), 3: Fraction(100)}
    assert cheapest_cover(ps, frozenset("ab"), costs) == Cover(Fraction(100), (3,))
    assert cheapest_cover(ps, frozenset("a"), costs) == Cover(Fraction(60), (1,))
    assert cheapest_cover(ps, frozenset("c"), costs) is None


def test_cover_ties_go_to_fewer_proposals_then_lower_ids():
    ps = [proposal(5, "a"), proposal(6, "b"), proposal(9, "ab")]
    assert cheapest_cover(ps, frozenset("ab"), {5: 1, 6: 1, 9: 2}).proposal_ids == (9,)
    ps = [proposal(4, "a"), proposal(8, "b"), proposal(2, "a"), proposal(7, "b")]
    assert cheapest_cover(ps, frozenset("ab"), {4: 1, 8: 1, 2: 1, 7: 1}).proposal_ids == (2, 7)


def test_overlapping_bundles_never_pay_a_lot_twice():
    ps = [proposal(1, "ab"), proposal(2, "bc")]
    assert cheapest_cover(ps, frozenset("abc"), {1: 1, 2: 1}) is None
    assert set(cheapest_covers(ps, {1: 1, 2: 1})) == {frozenset("ab"), frozenset("bc")}


def test_cover_of_one_candidate_only():
    with pytest.raises(ValueError, match="one candidate"):
        cheapest_cover([proposal(1), ProposalInput(2, 3, {"a"})], frozenset("a"), {1: 1, 2: 1})
    with pytest.raises(ValueError, match="no cost given for proposal 1"):
        cheapest_covers([proposal(1)], {})


def brute_cover(ps, lots, costs):
    best = None
    for size in range(1, len(ps) + 1):
        for chosen in combinations(ps, size):
            sets = [p.lots for p in chosen]
            if sum(len(s) for s in sets) != len(frozenset().union(*sets)):
                continue  # a lot paid twice
            if frozenset().union(*sets) != lots:
                continue
            key = (sum(costs[p.id] for p in chosen), size, tuple(sorted(p.id for p in chosen)))
            best = key if best is None or key < best else best
    return None if best is None else Cover(best[0], best[2])


LOT_SETS = st.sets(st.sampled_from("abcd"), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(LOT_SETS, st.integers(0, 6)), min_size=0, max_size=7),
    LOT_SETS,
    st.randoms(use_true_random=False),
)
def test_cheapest_cover_equals_brute_force(specs, target, rng):
    ids = rng.sample(range(1, 100), len(specs))
    ps = [proposal(pid, lots) for pid, (lots, _) in zip(ids, specs, strict=True)]
    costs = {pid: Fraction(cost) for pid, (_, cost) in zip(ids, specs, strict=True)}
    target = frozenset(target)
    assert cheapest_cover(ps, target, costs) == brute_cover(ps, target, costs)
    covers = cheapest_covers(ps, costs)
    assert covers.get(target) == brute_cover(ps, target, costs)

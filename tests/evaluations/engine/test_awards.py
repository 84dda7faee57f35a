"""Award rules (docs/scoring.md v2 "Awards"): Q, C, P, V, the order and its tie-breaks,
infeasibility, not awardable bidders, handoff_risk, tipping points, validation."""

from decimal import Decimal
from fractions import Fraction

import pytest

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.awards import MAX_EFFICIENT, best_awards, envelope_breaks
from evaluations.engine.pricing import ProposalInput

A = LotInput("a", 1, {"msp"})
B = LotInput("b", 1, {"mssp"})


def bid(cid, lot, overall, name=None, **flags):
    return LotBid(cid, name or f"C{cid}", lot, overall, **flags)


def offer(pid, cid, lots, monthly):
    return ProposalInput(pid, cid, frozenset(lots), monthly=Decimal(monthly))


def solve(lots, bids, proposals=(), **options):
    options.setdefault("horizon_months", 1)
    return best_awards(lots, bids, proposals, **options)


def winners(result):
    return [dict(award.assignments) for award in result.awards]


def test_quality_is_the_lot_weighted_mean_of_exact_overalls():
    lots = [LotInput("a", 3, {"msp"}), LotInput("b", Decimal("1.5"), {"mssp"})]
    result = solve(lots, [bid(1, "a", 80.125), bid(2, "b", 41.0)])
    (award,) = result.awards
    assert award.quality == (3 * Fraction(80.125) + Fraction(3, 2) * 41) / Fraction(9, 2)
    assert award.value == award.quality and award.cost is None and award.price_score is None
    assert result.to_dict()["awards"][0]["quality"] == 67.08  # 67.0833... half-even
    assert result.to_dict()["tipping_points"] is None and result.efficient == ()


def test_unpriced_ignores_the_price_weight():
    result = solve([A], [bid(1, "a", 70), bid(2, "a", 90)], price_weight=Fraction(1, 2))
    assert winners(result) == [{"a": 2}, {"a": 1}]
    assert result.awards[0].value == 90 and not result.priced


def test_value_mixes_quality_and_price_score():
    result = solve(
        [A],
        [bid(1, "a", 90), bid(2, "a", 60)],
        [offer(1, 1, "a", 200), offer(2, 2, "a", 100)],
        price_weight=Fraction(1, 2),
    )
    assert [(a.price_score, a.value) for a in result.awards] == [
        (Fraction(1), Fraction(80)),  # 0.5 * 60 + 50 * 1
        (Fraction(1, 2), Fraction(70)),  # 0.5 * 90 + 50 * 0.5
    ]
    assert result.min_cost == 100


def test_price_score_when_the_minimum_costs_nothing():
    result = solve(
        [A],
        [bid(1, "a", 90), bid(2, "a", 60), bid(3, "a", 50)],
        [offer(1, 1, "a", 10), offer(2, 2, "a", 0), offer(3, 3, "a", 1)],
        price_weight=Fraction(1, 10),
    )
    scores = {a.assignments["a"]: a.price_score for a in result.awards}
    assert scores == {1: 0, 2: 1, 3: 0}


def test_ties_go_to_fewer_providers():
    lots = [A, B]
    bids = [bid(1, "a", 80), bid(1, "b", 80), bid(2, "b", 80, name="A0")]
    assert winners(solve(lots, bids)) == [{"a": 1, "b": 1}, {"a": 1, "b": 2}]


def test_then_to_lower_cost():
    bids = [bid(1, "a", 80, name="Zed"), bid(2, "a", 80, name="Abe")]
    result = solve([A], bids, [offer(1, 1, "a", 50), offer(2, 2, "a", 60)])
    assert winners(result) == [{"a": 1}, {"a": 2}]  # p = 0: equal V, Zed is cheaper


def test_then_to_winner_names_by_code_point_then_ids():
    bids = [bid(1, "a", 80, name="alpha"), bid(2, "a", 80, name="Beta"), bid(3, "a", 80, "Beta")]
    # "B" (66) sorts before "a" (97); the two "Beta" go by id.
    assert winners(solve([A], bids)) == [{"a": 2}, {"a": 3}, {"a": 1}]
    lots = [A, B]
    bids = [
        bid(1, "a", 80, name="Y"),
        bid(2, "a", 80, name="X"),
        bid(3, "b", 80, name="A"),
        bid(4, "b", 80, name="B"),
    ]
    assert winners(solve(lots, bids, k=2)) == [{"a": 2, "b": 3}, {"a": 2, "b": 4}]


def test_k_limits_the_list():
    bids = [bid(i, "a", 10 * i) for i in range(1, 8)]
    result = solve([A], bids, k=3)
    assert [a.assignments["a"] for a in result.awards] == [7, 6, 5]
    assert len(solve([A], bids).awards) == 5


def test_disqualified_bidders_never_win():
    bids = [bid(1, "a", 99, disqualified=True), bid(2, "a", 10)]
    assert winners(solve([A], bids)) == [{"a": 2}]


def test_a_lot_nobody_qualified_bid_on_is_named():
    result = solve([A, B], [bid(1, "a", 50), bid(2, "a", 60)])
    assert not result.feasible and result.awards == ()
    assert result.to_dict()["infeasible"] == [{"lot": "b", "reason": "no candidate bid on lot b"}]
    result = solve([A, B], [bid(1, "a", 50), bid(1, "b", 60, disqualified=True)])
    assert result.to_dict()["infeasible"] == [
        {"lot": "b", "reason": "every bidder on lot b is disqualified in it"}
    ]


def test_a_lot_no_proposal_covers_is_named():
    bids = [bid(1, "a", 50), bid(1, "b", 50), bid(2, "b", 70, disqualified=True)]
    # Candidate 1 prices only a bundle containing lot b, and is qualified in both, so
    # the bundle works; candidate 2 is disqualified in b. Remove the bundle: b is uncovered.
    result = solve([A, B], bids, [offer(1, 1, "a", 10), offer(2, 2, "b", 5)])
    assert result.to_dict()["infeasible"] == [
        {
            "lot": "b",
            "reason": "no qualified bidder on lot b has proposals covering it (alone, "
            "or in a bundle of lots it is qualified for)",
        }
    ]


def test_overlapping_bundles_cover_no_award():
    c = LotInput("c", 1, {"vciso"})
    bids = [bid(1, code, 50) for code in "abc"] + [bid(2, code, 50) for code in "bc"]
    result = solve([A, B, c], bids, [offer(1, 1, "ab", 10), offer(2, 2, "bc", 10)])
    assert not result.feasible
    assert [(p.lot, p.reason) for p in result.infeasible] == [
        (
            None,
            "no combination of proposals covers every lot exactly once: the bundles "
            "offered overlap or leave a lot out",
        )
    ]


def test_not_awardable_bidders_and_their_reasons():
    bids = [
        bid(1, "a", 50),
        bid(2, "a", 60),
        bid(3, "a", 70, disqualified=True),
        bid(4, "a", 80),
        bid(4, "b", 80, disqualified=True),
        bid(5, "b", 90),
    ]
    proposals = [offer(1, 1, "a", 10), offer(3, 3, "a", 1), offer(4, 4, "ab", 1)]
    proposals.append(offer(5, 5, "b", 1))
    result = solve([A, B], bids, proposals)
    assert result.to_dict()["not_awardable"] == [
        {"candidate_id": 2, "reason": "no proposal"},
        {"candidate_id": 3, "reason": "disqualified in every lot it bid on"},
        {"candidate_id": 4, "reason": "its proposals cover no set of lots it is qualified for"},
    ]
    assert winners(result) == [{"a": 1, "b": 5}]
    unpriced = solve([A, B], bids)
    assert [p.candidate_id for p in unpriced.not_awardable] == [3]


VCISO = LotInput("v", 1, {"vciso"})
SOC = LotInput("s", 1, {"mssp", "soc"})


@pytest.mark.parametrize(
    ("weak", "same_winner", "flagged"),
    [
        ({}, False, False),
        ({(1, "v")}, False, True),
        ({(2, "s")}, False, True),
        ({(1, "v"), (2, "s")}, True, False),  # one provider: no hand-off to define
        ({(1, "s")}, False, False),  # weak only in a lot it does not win here
    ],
)
def test_handoff_risk(weak, same_winner, flagged):
    def b(cid, lot, overall):
        return bid(cid, lot, overall, handoff_weak=(cid, lot) in weak)

    bids = [b(1, "v", 90), b(2, "s", 90), b(1, "s", 95 if same_winner else 10)]
    best = solve([VCISO, SOC], bids).awards[0]
    assert (best.assignments["v"] == best.assignments["s"]) is same_winner
    assert best.flags == (("handoff_risk",) if flagged else ())


def test_no_handoff_risk_when_one_lot_holds_both_models():
    lot = LotInput("all", 1, {"vciso", "mssp"})
    assert solve([lot], [bid(1, "all", 50, handoff_weak=True)]).awards[0].flags == ()


def test_decrease_tipping_point():
    # Cheap (C2) vs good (C1): p = 0.9 favours cheap; below p* quality wins.
    bids = [bid(1, "a", 90), bid(2, "a", 50)]
    result = solve(
        [A], bids, [offer(1, 1, "a", 200), offer(2, 2, "a", 100)], price_weight=Decimal("0.9")
    )
    assert result.awards[0].assignments["a"] == 2
    # V1 = 90 - 40 p, V2 = 50 + 50 p: equal at p = 40/90
    assert result.decrease.price_weight == Fraction(4, 9)
    assert result.decrease.award.assignments["a"] == 1
    assert result.increase is None


def test_envelope_breaks():
    lines = [(Fraction(85), Fraction(-5)), (Fraction(73), Fraction(27)), (Fraction(10), 0)]
    assert envelope_breaks(lines) == [Fraction(12, 32)]
    assert envelope_breaks([(Fraction(1), Fraction(1))]) == []
    # three lines through one point: the steepest takes over, once
    lines = [(Fraction(2), Fraction(-2)), (Fraction(1), Fraction(0)), (Fraction(0), Fraction(2))]
    assert envelope_breaks(lines) == [Fraction(1, 2)]


@pytest.mark.parametrize(
    ("lots", "bids", "proposals", "options", "message"),
    [
        ([], [], [], {}, "at least one lot"),
        ([A, A], [], [], {}, "lot codes must be unique"),
        ([A, LotInput("x", 1, {"msp"})], [], [], {}, "service model msp is in more than one lot"),
        ([A], [bid(1, "z", 5)], [], {}, "bids on unknown lot 'z'"),
        ([A], [bid(1, "a", 5), bid(1, "a", 6)], [], {}, "bids twice on lot a"),
        ([A, B], [bid(1, "a", 5), bid(1, "b", 6, name="x")], [], {}, "has two names"),
        ([A, B], [bid(1, "a", 5)], [offer(1, 1, "ab", 1)], {}, "did not bid on: b"),
        ([A], [bid(1, "a", 5)], [offer(1, 1, "a", 1), offer(1, 1, "a", 2)], {}, "given twice"),
        ([A], [bid(1, "a", 5)], [], {"price_weight": 1}, r"price_weight must be in \[0, 1\)"),
        ([A], [bid(1, "a", 5)], [], {"price_weight": True}, "price_weight must be a number"),
        ([A], [bid(1, "a", 5)], [], {"k": 0}, "k must be a positive integer"),
    ],
)
def test_bad_input_is_a_value_error(lots, bids, proposals, options, message):
    with pytest.raises(ValueError, match=message):
        solve(lots, bids, proposals, **options)


def test_input_types_validate_themselves():
    with pytest.raises(ValueError, match="weight must be > 0"):
        LotInput("a", 0)
    with pytest.raises(ValueError, match="must be finite"):
        LotInput("a", float("inf"))
    with pytest.raises(ValueError, match=r"overall must be in \[0, 100\]"):
        LotBid(1, "x", "a", 100.5)
    with pytest.raises(ValueError, match="candidate_id must be an int"):
        LotBid("1", "x", "a", 5)
    assert LotInput("a", 0.1).weight == Fraction(0.1)  # the float's exact value


def test_to_dict_shape():
    result = solve(
        [A, B],
        [bid(1, "a", 80), bid(1, "b", 70), bid(2, "b", 75)],
        [offer(1, 1, "ab", Decimal("100.10")), offer(2, 2, "b", 30), offer(3, 1, "a", 80)],
        price_weight=Fraction(1, 3),
        horizon_months=3,
    )
    out = result.to_dict()
    assert set(out) == {
        "feasible",
        "priced",
        "price_weight",
        "awards",
        "infeasible",
        "not_awardable",
        "min_cost",
        "efficient",
        "efficient_total",
        "tipping_points",
    }
    assert out["price_weight"] == 0.3333 and out["min_cost"] == "300.30"
    first = out["awards"][0]
    assert first["cost"] == "300.30" and first["price_score"] == 1.0
    assert first["winners"] == [
        {"candidate_id": 1, "name": "C1", "lots": ["a", "b"], "proposal_ids": [1]}
    ]


def test_a_long_frontier_is_spread_evenly_with_both_ends():
    # One lot, n bidders, each better and dearer than the last: all on the frontier.
    n = MAX_EFFICIENT + 11
    bids = [bid(i, "a", i) for i in range(1, n + 1)]
    result = solve([A], bids, [offer(i, i, "a", i) for i in range(1, n + 1)])
    assert result.efficient_total == n
    picked = [award.assignments["a"] for award in result.efficient]
    assert len(picked) == MAX_EFFICIENT == len(set(picked))
    assert picked[0] == 1 and picked[-1] == n and picked == sorted(picked)

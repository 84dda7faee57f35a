"""Tests of the sensitivity analysis: tipping points and Monte Carlo."""

import json
import math
from fractions import Fraction

import numpy as np
import pytest

from evaluations.engine.scoring import (
    CandidateInput,
    EvaluationSpec,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    score_evaluation,
)
from evaluations.engine.sensitivity import (
    SensitivityCandidate,
    analyse_sensitivity,
    candidates_from_scorecards,
    monte_carlo,
    tipping_points,
)


def c(cid, scores, name=None, disqualified=False):
    return SensitivityCandidate(cid, name or f"P{cid}", scores, disqualified)


def exact_overall(candidate, weights):
    """Overall as an exact fraction (independent of the module's float maths)."""
    total = sum(Fraction(w) for w in weights.values())
    value = sum(Fraction(w) * Fraction(candidate.section_scores[s]) for s, w in weights.items())
    return 100 * value / total


def strict_leader(candidates, weights):
    """The candidate strictly ahead of every other one, or None on a tie at the top."""
    values = sorted(((exact_overall(x, weights), x.id) for x in candidates), reverse=True)
    return values[0][1] if values[0][0] > values[1][0] else None


def scaled(weights, section, factor):
    return {s: (w * factor if s == section else w) for s, w in weights.items()}


# L leads 70 to 65. Raising W_b by 4/3 makes C tie; lowering W_a to 0.75 too.
TWO = [c(1, {"a": 0.9, "b": 0.5}, "Leader"), c(2, {"a": 0.5, "b": 0.8}, "Chaser")]
TWO_WEIGHTS = {"a": 1.0, "b": 1.0}


def test_tipping_points_hand_checked():
    points = {p.section: p for p in tipping_points(TWO, TWO_WEIGHTS)}
    a, b = points["a"], points["b"]
    # Section a: A = 1 * (0.5 - 0.8) = -0.3, B = 1 * (0.9 - 0.5) = 0.4, f = 0.75.
    assert a.decrease_factor == pytest.approx(0.75, rel=1e-12)
    assert (a.decrease_leader_id, a.decrease_leader_name) == (2, "Chaser")
    assert a.increase_factor is None and a.increase_leader_id is None
    # Section b: A = 0.4, B = -0.3, f = 4/3.
    assert b.increase_factor == pytest.approx(4 / 3, rel=1e-12)
    assert b.increase_leader_id == 2
    assert b.decrease_factor is None and b.decrease_leader_id is None


@pytest.mark.parametrize(
    ("section", "factor", "expected"),
    [("a", 0.76, 1), ("a", 0.74, 2), ("a", 0.0, 2), ("b", 1.33, 1), ("b", 1.34, 2)],
)
def test_hand_checked_factors_really_change_the_leader(section, factor, expected):
    assert strict_leader(TWO, scaled(TWO_WEIGHTS, section, factor)) == expected


def test_no_tipping_point_when_the_leader_dominates():
    candidates = [c(1, {"a": 0.9, "b": 0.9, "c": 0.4}), c(2, {"a": 0.5, "b": 0.8, "c": 0.4})]
    points = tipping_points(candidates, {"a": 2, "b": 1, "c": 1})
    for point in points:
        assert point.increase_factor is None and point.decrease_factor is None
    # c separates nobody (B = 0) and the others only widen or narrow a lead that stays.
    assert [p.section for p in points] == ["a", "b", "c"]


def test_only_increase_and_only_decrease():
    # The chaser is better only on b: raising b can tip, lowering it cannot.
    candidates = [c(1, {"a": 0.8, "b": 0.6}), c(2, {"a": 0.6, "b": 0.7})]
    points = {p.section: p for p in tipping_points(candidates, {"a": 1, "b": 1})}
    assert points["b"].increase_factor == pytest.approx(2.0) and points["b"].decrease_factor is None
    assert points["a"].decrease_factor == pytest.approx(0.5) and points["a"].increase_factor is None


def test_smallest_increase_and_largest_decrease_pick_the_right_candidate():
    weights = {"a": 1.0, "b": 1.0, "c": 1.0}
    candidates = [
        c(1, {"a": 0.9, "b": 0.5, "c": 0.6}, "Leader"),
        c(2, {"a": 0.5, "b": 0.9, "c": 0.5}, "Far"),
        c(3, {"a": 0.7, "b": 0.8, "c": 0.3}, "Near"),
        c(4, {"a": 0.1, "b": 0.2, "c": 0.1}, "Never"),
    ]
    points = {p.section: p for p in tipping_points(candidates, weights)}
    # b: Far: A = 0.4 + 0.1 = 0.5, B = -0.4, f = 1.25; Near: A = 0.2 + 0.3 = 0.5, B = -0.3, f = 5/3
    assert points["b"].increase_factor == pytest.approx(1.25)
    assert points["b"].increase_leader_name == "Far"
    # a: Far: A = -0.4 + 0.1 = -0.3, B = 0.4, f = 0.75; Near: A = -0.3 + 0.3 = 0 -> none
    assert points["a"].decrease_factor == pytest.approx(0.75)
    assert points["a"].decrease_leader_name == "Far"
    # c: Far: A = 0 -> none; Near: A = 0.2 - 0.3 = -0.1, B = 0.3, f = 1/3
    assert points["c"].decrease_factor == pytest.approx(1 / 3)
    assert points["c"].decrease_leader_name == "Near"
    assert points["a"].increase_factor is None and points["c"].increase_factor is None
    for section, point in points.items():
        for factor, cid in (
            (point.increase_factor, point.increase_leader_id),
            (point.decrease_factor, point.decrease_leader_id),
        ):
            if factor is None:
                continue
            below, above = factor * (1 - 1e-9), factor * (1 + 1e-9)
            inside, outside = (below, above) if factor > 1 else (above, below)
            assert strict_leader(candidates, scaled(weights, section, inside)) == 1
            assert strict_leader(candidates, scaled(weights, section, outside)) == cid


def test_nearest_factor_wins_among_several_candidates():
    candidates = [
        c(1, {"a": 0.9, "b": 0.5}, "Leader"),
        c(2, {"a": 0.5, "b": 0.8}, "Near"),  # a: f = 0.3 / 0.4 = 0.75; b: f = 0.4 / 0.3
        c(3, {"a": 0.3, "b": 0.85}, "Far"),  # a: f = 0.35 / 0.6; b: f = 0.6 / 0.35
    ]
    points = {p.section: p for p in tipping_points(candidates, TWO_WEIGHTS)}
    assert points["a"].decrease_factor == pytest.approx(0.75)
    assert points["a"].decrease_leader_name == "Near"
    assert points["b"].increase_factor == pytest.approx(4 / 3)
    assert points["b"].increase_leader_name == "Near"


def test_equal_factors_go_to_the_candidate_gaining_fastest():
    # Binary-exact scores: both chasers tie the leader at exactly f = 4/3 on b.
    candidates = [
        c(1, {"a": 0.875, "b": 0.5}, "Leader"),
        c(2, {"a": 0.625, "b": 0.6875}, "Slow"),  # A = 0.25, B = -0.1875
        c(3, {"a": 0.375, "b": 0.875}, "Fast"),  # A = 0.5, B = -0.375
    ]
    point = {p.section: p for p in tipping_points(candidates, TWO_WEIGHTS)}["b"]
    assert point.increase_factor == 4 / 3 and point.increase_leader_name == "Fast"
    assert strict_leader(candidates, scaled(TWO_WEIGHTS, "b", 4 / 3 * (1 + 1e-9))) == 3
    # a: Slow A = -0.1875, B = 0.25, f = 0.75; Fast A = -0.375, B = 0.5, f = 0.75
    point = {p.section: p for p in tipping_points(candidates, TWO_WEIGHTS)}["a"]
    assert point.decrease_factor == 0.75 and point.decrease_leader_name == "Fast"


def test_crossings_in_the_wrong_direction_are_not_tipping_points():
    # Abe leads on rounded overall (80.00 each) by name, though Zed is ahead by a
    # hair in full precision. Crossings at f = 1.0002 (a) and 0.9998 (b) hand the
    # strict lead to Abe, not away from it, so neither is a tipping point.
    candidates = [c(1, {"a": 0.9, "b": 0.69998}, "Abe"), c(2, {"a": 0.70002, "b": 0.9}, "Zed")]
    report = analyse_sensitivity(candidates, TWO_WEIGHTS, seed=1, trials=20)
    assert report.leader_name == "Abe"
    for point in report.tipping_points:
        assert point.increase_factor is None and point.decrease_factor is None


def first_change(candidates, weights, section, grid, leader):
    for factor in grid:
        if strict_leader(candidates, scaled(weights, section, factor)) != leader:
            return factor
    return None


def test_tipping_points_match_a_brute_force_scan():
    rng = np.random.default_rng(3)
    codes = [f"s{i}" for i in range(4)]
    up, down = np.linspace(1, 6, 251)[1:], np.linspace(1, 0, 251)[1:-1]
    step = 0.02
    checked = 0
    for _ in range(12):
        weights = {s: float(w) for s, w in zip(codes, rng.integers(1, 5, 4), strict=True)}
        candidates = [
            c(i, {s: round(float(v), 2) for s, v in zip(codes, rng.random(4), strict=True)})
            for i in range(4)
        ]
        ranked = sorted((exact_overall(x, weights) for x in candidates), reverse=True)
        if ranked[0] - ranked[1] < Fraction(1, 100):
            continue  # leave rounded ties to the dedicated tests
        leader = strict_leader(candidates, weights)
        for point in tipping_points(candidates, weights):
            for grid, factor, cid in (
                (up, point.increase_factor, point.increase_leader_id),
                (down, point.decrease_factor, point.decrease_leader_id),
            ):
                found = first_change(candidates, weights, point.section, grid, leader)
                if factor is None or factor > 6:
                    assert found is None
                    continue
                checked += 1
                assert found is not None and abs(found - factor) <= step + 1e-12
                beyond = factor * (1 + 1e-9) if factor > 1 else factor * (1 - 1e-9)
                assert strict_leader(candidates, scaled(weights, point.section, beyond)) == cid
    assert checked > 5


def test_disqualified_candidates_are_ignored():
    candidates = [*TWO, c(3, {"a": 1.0, "b": 1.0}, "Top but out", disqualified=True)]
    report = analyse_sensitivity(candidates, TWO_WEIGHTS, seed=1)
    assert report.leader_id == 1 and report.qualified_count == 2
    assert {o.candidate_id for o in report.monte_carlo.candidates} == {1, 2}


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_qualified_is_a_result_not_an_error(count):
    candidates = [c(1, {"a": 0.5}), c(2, {"a": 0.9}, disqualified=True)][1 - count :]
    report = analyse_sensitivity(candidates, {"a": 1}, seed=5)
    assert not report.sufficient and "two qualified" in report.message
    assert report.tipping_points == () and report.monte_carlo is None
    assert report.qualified_count == count
    assert report.leader_id == (1 if count else None)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["sufficient"] is False and data["seed"] == 5
    assert tipping_points(candidates, {"a": 1}) == ()
    assert monte_carlo(candidates, {"a": 1}, seed=5) is None


def test_no_candidates_at_all():
    report = analyse_sensitivity([], {"a": 1}, seed=5)
    assert not report.sufficient and report.qualified_count == 0


CLOSE = [
    c(1, {"a": 0.80, "b": 0.60, "c": 0.70}),
    c(2, {"a": 0.60, "b": 0.82, "c": 0.69}),
    c(3, {"a": 0.70, "b": 0.70, "c": 0.72}),
]
CLOSE_WEIGHTS = {"a": 1.0, "b": 1.0, "c": 1.0}


def test_monte_carlo_is_reproducible_and_seed_dependent():
    first = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=11)
    again = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=11)
    other = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=12)
    assert first == again and first.to_dict() == again.to_dict()
    assert [o.win_probability for o in first.candidates] != [
        o.win_probability for o in other.candidates
    ]
    assert (first.seed, first.trials, first.spread) == (11, 1000, 0.25)


def test_monte_carlo_does_not_depend_on_input_order():
    forward = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=4, trials=300)
    reordered = {k: CLOSE_WEIGHTS[k] for k in ("c", "a", "b")}
    backward = monte_carlo(CLOSE[::-1], reordered, seed=4, trials=300)
    assert forward == backward


def test_win_probabilities_sum_to_one_and_ranks_are_consistent():
    result = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=7, trials=500)
    probabilities = [o.win_probability for o in result.candidates]
    assert math.isclose(math.fsum(probabilities), 1.0, abs_tol=1e-12)
    assert min(probabilities) > 0  # close enough that each wins sometimes
    for outcome in result.candidates:
        assert 1 <= outcome.min_rank <= outcome.median_rank <= outcome.max_rank <= 3
        assert (outcome.min_rank == 1) is (outcome.win_probability > 0)
    assert result.robust is (result.leader_win_probability >= 0.8)


def test_ties_for_first_split_the_win():
    twins = [c(1, {"a": 0.7, "b": 0.5}, "Twin A"), c(2, {"a": 0.7, "b": 0.5}, "Twin B")]
    result = monte_carlo([*twins, c(3, {"a": 0.1, "b": 0.2})], {"a": 2, "b": 1}, seed=3)
    assert [o.win_probability for o in result.candidates] == [0.5, 0.5, 0.0]
    assert [(o.min_rank, o.max_rank) for o in result.candidates] == [(1, 1), (1, 1), (3, 3)]
    assert not result.robust


def test_three_way_tie_splits_in_thirds():
    same = {"a": 0.4, "b": 0.6}
    result = monte_carlo([c(i, same) for i in range(3)], {"a": 1, "b": 2}, seed=9, trials=7)
    assert [o.win_probability for o in result.candidates] == [1 / 3] * 3


def test_dominant_leader_is_robust_with_fixed_ranks():
    candidates = [
        c(1, {"a": 0.9, "b": 0.9}),
        c(2, {"a": 0.5, "b": 0.6}),
        c(3, {"a": 0.2, "b": 0.3}),
    ]
    result = monte_carlo(candidates, {"a": 1, "b": 3}, seed=0)
    assert result.robust and result.leader_id == 1 and result.leader_win_probability == 1.0
    assert [(o.min_rank, o.median_rank, o.max_rank) for o in result.candidates] == [
        (1, 1.0, 1),
        (2, 2.0, 2),
        (3, 3.0, 3),
    ]


def test_not_robust_when_the_lead_flips_often():
    # Leader by a hair on the baseline; a 25% wiggle hands it to the other often.
    candidates = [c(1, {"a": 0.9, "b": 0.5}), c(2, {"a": 0.5, "b": 0.89})]
    result = monte_carlo(candidates, {"a": 1, "b": 1}, seed=2)
    assert result.leader_id == 1
    assert 0.5 < result.leader_win_probability < 0.8 and not result.robust
    # Won more often than not: median rank 1 (a mean would be between 1 and 2).
    assert [o.median_rank for o in result.candidates] == [1.0, 2.0]
    assert [(o.min_rank, o.max_rank) for o in result.candidates] == [(1, 2), (1, 2)]


def test_spread_bounds_the_weight_factors():
    # The leader stays ahead while W_b / W_a < 1.5, i.e. f_b / f_a < 1.5.
    candidates = [c(1, {"a": 0.8, "b": 0.4}), c(2, {"a": 0.4, "b": 0.8})]
    weights = {"a": 1.5, "b": 1.0}
    narrow = monte_carlo(candidates, weights, seed=6, spread=0.2)  # f_b / f_a <= 1.5
    wide = monte_carlo(candidates, weights, seed=6, spread=0.3)  # up to 1.3 / 0.7
    assert narrow.leader_win_probability == 1.0 and narrow.candidates[1].min_rank == 2
    assert 0.9 < wide.leader_win_probability < 1.0


def test_spread_zero_reproduces_the_baseline_ranking():
    result = monte_carlo(CLOSE, CLOSE_WEIGHTS, seed=1, spread=0, trials=10)
    baseline = sorted(CLOSE, key=lambda x: -exact_overall(x, CLOSE_WEIGHTS))
    assert [o.candidate_id for o in result.candidates] == [x.id for x in baseline]
    assert [o.median_rank for o in result.candidates] == [1.0, 2.0, 3.0]
    assert result.leader_win_probability == 1.0 and result.robust


def test_leader_uses_rounded_overall_then_name():
    # Equal rounded overall: the leader is the first name, as in the scorecard ranking.
    candidates = [c(1, {"a": 0.80001}, "Zed"), c(2, {"a": 0.79999}, "Abe")]
    report = analyse_sensitivity(candidates, {"a": 1}, seed=1, trials=50)
    assert report.leader_name == "Abe"
    # In every trial the rounded overalls tie, so the win is shared.
    assert [o.win_probability for o in report.monte_carlo.candidates] == [0.5, 0.5]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": -1},
        {"seed": 1.5},
        {"seed": True},
        {"seed": 1, "trials": 0},
        {"seed": 1, "spread": 1},
        {"seed": 1, "spread": -0.1},
    ],
)
def test_invalid_run_parameters(kwargs):
    with pytest.raises(ValueError):
        analyse_sensitivity(TWO, TWO_WEIGHTS, **kwargs)


@pytest.mark.parametrize(
    ("candidates", "weights"),
    [
        (TWO, {"a": 0, "b": 0}),
        (TWO, {"a": 1, "z": 1}),
        ([c(1, {"a": 1.5}), c(2, {"a": 0.5})], {"a": 1}),
        ([c(1, {"a": 0.5}), c(1, {"a": 0.5})], {"a": 1}),
    ],
)
def test_invalid_inputs(candidates, weights):
    with pytest.raises(ValueError):
        analyse_sensitivity(candidates, weights, seed=1)


def test_report_from_scorecards_is_json_and_consistent():
    questionnaire = QuestionnaireSpec(
        (
            SectionSpec("soc", "SOC", 3, (QuestionSpec("S1", "scale"),)),
            SectionSpec("rep", "Reporting", 1, (QuestionSpec("R1", "scale"),)),
            SectionSpec("off", "Off", 0, (QuestionSpec("O1", "scale"),)),
        )
    )
    candidates = [
        CandidateInput(10, "Acme", {"S1": 5, "R1": 1}),
        CandidateInput(11, "Beta", {"S1": 4, "R1": 5}),
        CandidateInput("x", "Gamma", {"S1": 3, "R1": 5}),
    ]
    cards = score_evaluation(questionnaire, EvaluationSpec(), candidates)
    inputs = candidates_from_scorecards(cards)
    report = analyse_sensitivity(inputs, cards[0].section_weights, seed=42)
    assert report.sufficient and report.leader_id == cards[0].candidate_id == 11
    assert report.section_weights == {"soc": 3.0, "rep": 1.0}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["seed"] == 42 and data["trials"] == 1000 and data["spread"] == 0.25
    assert [t["section"] for t in data["tipping_points"]] == ["soc", "rep"]
    mc = data["monte_carlo"]
    assert mc["leader_id"] == 11 and isinstance(mc["robust"], bool)
    assert [o["candidate_id"] for o in mc["candidates"]] == [11, 10, "x"]
    points = {t.section: t for t in report.tipping_points}
    # Beta leads 85 to Acme 80 and Gamma 70.
    # soc vs Acme: A = 1 * (1 - 0.2) = 0.8, B = 3 * (0.8 - 1) = -0.6, f = 4/3.
    # soc vs Gamma: A = 0, no tipping. rep vs Acme: A = -0.6, B = 0.8, f = 0.75.
    assert points["soc"].increase_factor == pytest.approx(4 / 3)
    assert points["soc"].increase_leader_name == "Acme"
    assert points["soc"].decrease_factor is None
    assert points["rep"].decrease_factor == pytest.approx(0.75)
    assert points["rep"].decrease_leader_id == 10
    assert points["rep"].increase_factor is None


def test_large_comparison_shapes():
    rng = np.random.default_rng(0)
    codes = [f"s{k}" for k in range(20)]
    weights = {s: float(w) for s, w in zip(codes, rng.integers(1, 6, 20), strict=True)}
    candidates = [
        c(i, {s: float(v) for s, v in zip(codes, rng.random(20), strict=True)}) for i in range(50)
    ]
    report = analyse_sensitivity(candidates, weights, seed=8)
    assert len(report.tipping_points) == 20 and len(report.monte_carlo.candidates) == 50
    assert math.isclose(sum(o.win_probability for o in report.monte_carlo.candidates), 1.0)

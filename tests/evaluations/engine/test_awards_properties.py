"""Property tests of the award search against the brute-force enumeration (hypothesis)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.awards import best_awards
from evaluations.engine.awards_bruteforce import enumerate_awards
from tests.evaluations.engine.awards_cases import instances

EPSILON = Fraction(1, 10**14)  # far below any gap between two breaks of these instances


def row(award):
    return dict(award.assignments), award.quality, award.cost, award.value, award.flags


@settings(max_examples=400, deadline=None)
@given(st.one_of(instances(), instances(varied=True)), st.integers(1, 8))
def test_best_k_equals_brute_force(instance, k):
    lots, bids, proposals, options = instance
    result = best_awards(lots, bids, proposals, k=k, **options)
    every = enumerate_awards(lots, bids, proposals, **options)
    assert list(result.awards) == every[:k]
    assert result.feasible == bool(every)
    assert bool(result.infeasible) == (not every)
    if every:
        assert all(every[0].value >= award.value for award in every)
        if result.priced:
            assert result.min_cost == min(award.cost for award in every)


@settings(max_examples=200, deadline=None)
@given(instances(priced=True))
def test_price_score_is_in_unit_interval_and_one_for_the_cheapest(instance):
    lots, bids, proposals, options = instance
    every = enumerate_awards(lots, bids, proposals, **options)
    if not every or not proposals:
        return
    cheapest = min(award.cost for award in every)
    for award in every:
        assert 0 <= award.price_score <= 1
        assert (award.price_score == 1) == (award.cost == cheapest)


@settings(max_examples=200, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(instance, rng):
    lots, bids, proposals, options = instance
    expected = best_awards(lots, bids, proposals, **options).to_dict()
    for items in (lots, bids, proposals):
        rng.shuffle(items)
    assert best_awards(lots, bids, proposals, **options).to_dict() == expected


def brute_frontier(every):
    points = {}
    for award in every:  # best first, so the first award at a point represents it
        points.setdefault((award.quality, award.cost), award)
    return [
        points[(q, c)]
        for q, c in sorted(points, key=lambda point: (point[1], point[0]))
        if not any(q2 >= q and c2 <= c and (q2, c2) != (q, c) for q2, c2 in points)
    ]


@settings(max_examples=300, deadline=None)
@given(instances(priced=True))
def test_efficient_awards_are_the_brute_force_frontier(instance):
    lots, bids, proposals, options = instance
    result = best_awards(lots, bids, proposals, **options)
    every = enumerate_awards(lots, bids, proposals, **options)
    if not proposals:
        return
    assert [row(a) for a in result.efficient] == [row(a) for a in brute_frontier(every)]
    assert result.efficient_total == len(result.efficient)


def best_at(instance, p):
    lots, bids, proposals, options = instance
    return enumerate_awards(lots, bids, proposals, **{**options, "price_weight": p})[0]


def same(a, b):
    return dict(a.assignments) == dict(b.assignments)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        instances(priced=True, max_candidates=4),
        instances(priced=True, max_candidates=5, varied=True),
    )
)
def test_tipping_points_are_where_the_best_award_changes(instance):
    lots, bids, proposals, options = instance
    result = best_awards(lots, bids, proposals, **options)
    if not result.feasible or not proposals:
        return
    p = options["price_weight"]
    just_above = best_at(instance, p + EPSILON)
    up = result.increase
    end = Fraction(1) if up is None else up.price_weight
    for t in (Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)):
        assert same(best_at(instance, p + (end - p) * t), just_above)
    assert same(best_at(instance, end - EPSILON), just_above)
    if up is not None:
        assert p < up.price_weight < 1
        assert same(best_at(instance, up.price_weight + EPSILON), up.award)
        assert not same(up.award, just_above)
    down = result.decrease
    if p == 0:
        assert down is None
        return
    just_below = best_at(instance, p - EPSILON)
    start = Fraction(0) if down is None else down.price_weight
    for t in (Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)):
        assert same(best_at(instance, start + (p - start) * t), just_below)
    if down is None:
        assert same(best_at(instance, EPSILON), just_below)
    else:
        assert 0 < down.price_weight < p
        assert same(best_at(instance, down.price_weight - EPSILON), down.award)
        assert not same(down.award, just_below)

"""The one-pass alpha (value counts) against the `krippendorff` library's
reliability-matrix alpha, on random ratings (hypothesis)."""

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.agreement import _interval_alpha, krippendorff_alpha
from evaluations.engine.types import round_half_even

# Ratings as the report builds them: an integer score over a scale's maximum.
VALUES = st.builds(lambda score, scale: score / scale, st.integers(0, 10), st.sampled_from([5, 10]))
RATINGS = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 30), VALUES), min_size=0, max_size=120
)


def library_alpha(ratings) -> float:
    """What the engine computed before: the library on a raters x pairable units matrix."""
    by_unit: dict = {}
    for rater, unit, value in ratings:
        by_unit.setdefault(unit, {})[rater] = float(value)
    pairable = [unit for unit, values in by_unit.items() if len(values) >= 2]
    raters = sorted({rater for rater, _, _ in ratings})
    matrix = np.full((len(raters), len(pairable)), np.nan)
    for column, unit in enumerate(pairable):
        for row, rater in enumerate(raters):
            if rater in by_unit[unit]:
                matrix[row, column] = by_unit[unit][rater]
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"))


@settings(max_examples=400, deadline=None)
@given(RATINGS)
def test_one_pass_alpha_equals_the_library(ratings):
    result = krippendorff_alpha(ratings)
    if result["alpha"] is None:
        return
    expected = library_alpha(ratings)
    by_unit: dict = {}
    for rater, unit, value in ratings:
        by_unit.setdefault(unit, {})[rater] = float(value)
    pairable = [unit for unit, values in by_unit.items() if len(values) >= 2]
    domain = sorted({v for unit in pairable for v in by_unit[unit].values()})
    assert math.isclose(_interval_alpha(by_unit, pairable, domain), expected, abs_tol=1e-12)
    assert result["alpha"] == round_half_even(expected, 4)


@pytest.mark.parametrize("raters", [2, 3, 7])
def test_a_large_matrix_with_gaps_equals_the_library(raters):
    """Thousands of units, missing values and repeated ratings (the last one counts)."""
    rng = np.random.default_rng(raters)
    ratings = [
        (int(rng.integers(raters)), int(rng.integers(2000)), int(rng.integers(6)) / 5)
        for _ in range(5000)
    ]
    assert krippendorff_alpha(ratings)["alpha"] == round_half_even(library_alpha(ratings), 4)

"""Inter-rater agreement of an evaluation's ratings: Krippendorff's alpha (interval).

How the ratings map onto alpha's reliability matrix:

- a **unit** is one (candidate, judged question) pair, for applicable judged
  questions only (the ones that count in the scorecards);
- a **rater** is an evaluator (assignment); a rater who did not rate a unit
  leaves a missing value;
- a **value** is the rating divided by the question's ``scale_max``, so every
  value is in [0, 1] and questions with different scales share one interval
  scale (interval alpha does not change under one common scaling, so with a
  single scale this equals alpha on the raw ratings).

Only units with two or more ratings are *pairable*; alpha needs at least one
and some variation among pairable values. Otherwise ``alpha`` is null and
``message`` says why. Reading alpha (Krippendorff's own guide): >= 0.8
reliable, >= 0.667 tentative, below that low.
"""

from collections.abc import Iterable

import numpy as np

from evaluations.engine.types import round_half_even

RELIABLE = 0.8
TENTATIVE = 0.667

NO_PAIRS = (
    "No judged question was rated by two or more evaluators for the same candidate, "
    "so agreement cannot be measured."
)
NO_VARIATION = (
    "Every pairable rating has the same value: evaluators agree, but alpha is undefined "
    "when there is no variation to compare against."
)


def interpretation(alpha: float | None) -> str | None:
    if alpha is None:
        return None
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "low"


def krippendorff_alpha(ratings: Iterable[tuple[object, object, float]]) -> dict:
    """``ratings``: ``(rater, unit, value)`` triples (one per rater and unit).

    Returns ``{level_of_measurement, alpha, interpretation, raters, units,
    pairable_units, ratings, message}``; alpha rounded to 4 decimals.
    """
    by_unit: dict[object, dict[object, float]] = {}
    raters: set = set()
    count = 0
    for rater, unit, value in ratings:
        by_unit.setdefault(unit, {})[rater] = float(value)
        raters.add(rater)
        count += 1
    pairable = [unit for unit, values in by_unit.items() if len(values) >= 2]
    summary = {
        "level_of_measurement": "interval",
        "alpha": None,
        "interpretation": None,
        "raters": len(raters),
        "units": len(by_unit),
        "pairable_units": len(pairable),
        "ratings": count,
        "message": None,
    }
    if not pairable:
        return {**summary, "message": NO_PAIRS}
    values = {v for unit in pairable for v in by_unit[unit].values()}
    if len(values) < 2:
        return {**summary, "message": NO_VARIATION}
    alpha = round_half_even(_interval_alpha(by_unit, pairable, sorted(values)), 4)
    return {**summary, "alpha": alpha, "interpretation": interpretation(alpha)}


def _interval_alpha(by_unit: dict, pairable: list, domain: list[float]) -> float:
    """Interval alpha from the value-count matrix (pairable units x distinct values).

    One pass over the pairable values counts them per unit; the coincidences
    ``o[c, k] = sum_u n_uc (n_uk - [c == k]) / (m_u - 1)`` are then one matrix
    product, never a units x values x values array nor a raters x units matrix.
    ``n_v`` (each value's pairable count) is the column sum of the counts, which
    is what summing ``o`` gives. Same formula as Krippendorff's:
    ``1 - sum(o * d) / sum(e * d)`` with ``e`` the expected coincidences.
    """
    index = {value: position for position, value in enumerate(domain)}
    units, columns, weights = [], [], []
    for row, unit in enumerate(pairable):
        values = by_unit[unit].values()
        for value in values:
            units.append(row)
            columns.append(index[value])
        weights.append(1.0 / (len(values) - 1))
    size = len(domain)
    counts = np.bincount(
        np.asarray(units) * size + np.asarray(columns), minlength=len(pairable) * size
    ).reshape(len(pairable), size)
    weighted = counts.T * np.asarray(weights)
    coincidences = weighted @ counts - np.diag(weighted.sum(axis=1))
    n_v = counts.sum(axis=0).astype(float)
    expected = (np.outer(n_v, n_v) - np.diag(n_v)) / (n_v.sum() - 1)
    points = np.asarray(domain)
    distances = (points[:, np.newaxis] - points[np.newaxis, :]) ** 2
    return float(1 - (coincidences * distances).sum() / (expected * distances).sum())

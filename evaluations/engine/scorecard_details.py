"""The stored form of a scorecard's explanation (``Scorecard.details``).

It is the engine's ``Scorecard.to_dict()`` with one change: the per-question
results, a list of dicts there, are stored as columns under
``question_columns`` (``{field: [value of each question]}``). Every question
repeats the same twelve keys, so the columns are a third of the size, and
writing the document is most of what storing a scorecard costs.
``question_rows`` gives the list of dicts back, equal to ``to_dict()``'s.

Pure module (standard library and the engine's types only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any

from evaluations.engine.types import QuestionResult, Scorecard, round_half_even

QUESTION_FIELDS = (
    "code",
    "section",
    "x",
    "effective_weight",
    "contribution",
    "answered",
    "rating_count",
    "spread",
    "disagreement",
    "overridden",
    "knockout",
    "failed_knockout",
)
# Stored rounded to 4 decimals, as ``QuestionResult.to_dict`` gives them; the
# last may be None.
ROUNDED_FIELDS = frozenset({"x", "effective_weight", "contribution"})
ROUNDED_OR_NONE_FIELDS = frozenset({"spread"})


class _Rounded(dict):
    """``round_half_even(value, 4)`` by value, remembered.

    Scores repeat across questions and candidates (option scores, rating
    levels, shared effective weights), so most values are already here and
    cost one dictionary lookup. Emptied when large, to bound its memory.
    """

    def __missing__(self, value: float) -> float:
        if len(self) >= 1 << 16:
            self.clear()
        rounded = self[value] = round_half_even(value, 4)
        return rounded


# round_half_even(value, 4), remembered by value: the engine's rounding of stored figures.
round4 = _Rounded().__getitem__


def question_columns(results: Sequence[QuestionResult]) -> dict[str, list[Any]]:
    """The results' ``to_dict()`` values, one list per field."""
    columns = {}
    for name in QUESTION_FIELDS:
        values = map(attrgetter(name), results)
        if name in ROUNDED_FIELDS:
            values = map(round4, values)
        elif name in ROUNDED_OR_NONE_FIELDS:
            values = (None if value is None else round4(value) for value in values)
        columns[name] = list(values)
    return columns


def stored_details(card: Scorecard) -> dict[str, Any]:
    """What ``Scorecard.details`` stores for an engine scorecard."""
    details = replace(card, questions=()).to_dict()
    del details["questions"]
    details["question_columns"] = question_columns(card.questions)
    return details


def question_rows(details: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-question results of stored details, as ``Scorecard.to_dict()`` lists them."""
    columns = details["question_columns"]
    return [
        dict(zip(QUESTION_FIELDS, row, strict=True))
        for row in zip(*(columns[name] for name in QUESTION_FIELDS), strict=True)
    ]


def exact_overall(details: dict[str, Any]) -> float:
    """The unrounded overall of a stored scorecard, bit for bit the engine's
    ``overall_exact``: the same sums (``math.fsum``) over the same floats, the
    stored sections' W_s and S_s."""
    sections = details["sections"]
    total = math.fsum(section["weight"] for section in sections)
    return 100 * (math.fsum(section["weight"] * section["s"] for section in sections) / total)

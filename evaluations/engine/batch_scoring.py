"""Many candidates on one plan, straight to their stored form: the engine, column-wise.

Pure module (standard library and the engine only). ``score_batch`` gives, for
each candidate, exactly what ``score_candidate`` followed by ``stored_details``
and a compact JSON encoding gives (the same floats, bit for bit, and the same
text), without a result object per question:

- every figure comes from the same operations on the same floats: ``x`` from
  ``answer_score``, the judged integer ratios and ``to_float`` of overrides,
  ``100 * e * x``, ``math.fsum`` for every sum, the same roundings;
- what is the same for every candidate of a plan (codes, sections, effective
  weights, knockout flags, and their JSON text) is computed once per plan;
- an answer value or a list of ratings seen before (they repeat: options,
  rating patterns) costs one dictionary lookup: the cache maps them, with
  their types, to the x the engine gave them.

Whatever the fast path does not handle (an invalid rating, an unhashable
value) goes through the engine's own functions, so errors read the same.
Tested against the engine on the built-in questionnaire and on random inputs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import mul
from typing import Any

from evaluations.engine.scorecard_details import QUESTION_FIELDS, round4
from evaluations.engine.scoring import (
    ENGINE_VERSION,
    RED_FLAG_BELOW,
    RED_FLAG_TAGS,
    CandidateInput,
    ScoringPlan,
    answer_score,
    checked_ratings,
    judged_figures,
    round_half_even,
    score_candidate,
    to_float,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class _Rounded4Text(dict):
    """The JSON text of ``round_half_even(value, 4)``, by value, remembered:
    encoding a float is most of what encoding an explanation costs, and the
    rounded figures repeat. Emptied when large, to bound its memory."""

    def __missing__(self, value: float) -> str:
        if len(self) >= 1 << 16:
            self.clear()
        text = self[value] = _dumps(round4(value))
        return text


_text4 = _Rounded4Text().__getitem__


def _floats4(values: Sequence[float]) -> str:
    return "[" + ",".join(map(_text4, values)) + "]"


@dataclass(frozen=True, slots=True)
class StoredCard:
    """One candidate's scorecard as stored: the summary columns and the
    explanation (``stored_details``) already encoded as compact JSON."""

    candidate_id: int | str
    overall: float
    completeness: float
    disqualified: bool
    failed_knockouts: list[str]
    red_flags: list[dict[str, str]]
    details_json: str


class _Plan:
    """What every candidate of a plan shares, computed once."""

    def __init__(self, plan: ScoringPlan) -> None:
        planned = plan.questions
        self.specs = [p.spec for p in planned]
        self.index = {p.spec.code: j for j, p in enumerate(planned)}
        self.judged = [p.spec.judged for p in planned]
        self.weights = [p.weight for p in planned]
        self.effective = [p.effective_weight for p in planned]
        self.hundred_e = [100 * p.effective_weight for p in planned]
        self.knockouts = [
            (j, p.spec.code, p.spec.pass_threshold)
            for j, p in enumerate(planned)
            if p.spec.knockout
        ]
        self.tagged = [
            (j, p.spec.code, [tag for tag in RED_FLAG_TAGS if tag in p.spec.tags])
            for j, p in enumerate(planned)
            if p.spec.tags
        ]
        self.sections = []
        start = 0
        for section in plan.sections:
            end = start + len(section.questions)
            self.sections.append((section, start, end))
            start = end
        self.aggregation = plan.aggregation
        self.total_weight = plan.total_weight
        self.section_weights = plan.section_weights
        columns = {
            "code": [p.spec.code for p in planned],
            "section": [p.section for p in planned],
            "effective_weight": [round4(e) for e in self.effective],
            "knockout": [p.spec.knockout for p in planned],
        }
        self.constant_columns = {name: _dumps(value) for name, value in columns.items()}
        self.answer_cache: dict[tuple, float | None] = {}
        self.rating_cache: dict[tuple, tuple] = {}


def _answer_x(shared: _Plan, j: int, value: Any) -> float | None:
    spec = shared.specs[j]
    try:
        key = (j, type(value), value)
        return shared.answer_cache[key]
    except KeyError:
        x = shared.answer_cache[key] = answer_score(spec, value)
        return x
    except TypeError:  # unhashable (a list of options): computed each time
        return answer_score(spec, value)


_INTS = frozenset({int})


def _ratings(shared: _Plan, j: int, ratings: Any, who: Any) -> tuple:
    """(x or None, spread, disagreement, count) of a judged question."""
    spec = shared.specs[j]
    # Only lists of exact ints take the fast path and the cache: True == 1 and
    # 3.0 == 3, so anything else could find the entry of a valid list.
    exact = type(ratings) is tuple and set(map(type, ratings)) <= _INTS
    if exact:
        key = (spec.scale_max, ratings)
        found = shared.rating_cache.get(key)
        if found is not None:
            return found
        if not ratings or (min(ratings) >= 0 and max(ratings) <= spec.scale_max):
            # What checked_ratings accepts, checked in C: the engine's figures.
            x, spread, disagreement = judged_figures(spec, ratings, shared.aggregation)
            found = shared.rating_cache[key] = (x, spread, disagreement, len(ratings))
            return found
    checked = checked_ratings(spec, ratings, who)  # raises the engine's error
    x, spread, disagreement = judged_figures(spec, checked, shared.aggregation)
    return x, spread, disagreement, len(checked)


def _score(shared: _Plan, candidate: CandidateInput) -> StoredCard:
    count = len(shared.specs)
    xs: list[float | None] = [None] * count
    rating_counts = [0] * count
    spreads: list[float | None] = [None] * count
    disagreements = [False] * count
    overridden = [False] * count
    index, judged = shared.index, shared.judged
    for code, value in candidate.answers.items():
        j = index.get(code)
        if j is not None and not judged[j]:
            xs[j] = _answer_x(shared, j, value)
    for j, is_judged in enumerate(judged):
        if is_judged:
            code = shared.specs[j].code
            x, spread, disagreement, rated = _ratings(
                shared, j, candidate.ratings.get(code, ()), candidate.id
            )
            xs[j], spreads[j], disagreements[j], rating_counts[j] = x, spread, disagreement, rated
    for code, score in candidate.overrides.items():
        j = index.get(code)
        if j is not None:
            xs[j] = to_float(score, f"override of {code}", high=1.0)
            overridden[j] = True
    answered = [x is not None for x in xs]
    values = [0.0 if x is None else x for x in xs]
    contributions = list(map(mul, shared.hundred_e, values))

    failed, failed_column = [], [False] * count
    for j, code, threshold in shared.knockouts:
        if not answered[j] or values[j] < threshold:
            failed.append(code)
            failed_column[j] = True
    flags = [
        {"tag": tag, "question": code}
        for j, code, tags in shared.tagged
        if not answered[j] or values[j] < RED_FLAG_BELOW
        for tag in tags
    ]
    sections, section_terms = [], []
    terms = list(map(mul, shared.weights, values))
    for section, start, end in shared.sections:
        s = math.fsum(terms[start:end]) / section.question_weight_total
        section_terms.append(section.weight * s)
        sections.append(
            {
                "code": section.code,
                "title": section.title,
                "weight": section.weight,
                "normalised_weight": round4(section.normalised_weight),
                "score": round_half_even(100 * s, 2),
                "s": s,
            }
        )
    overall = round_half_even(100 * (math.fsum(section_terms) / shared.total_weight), 2)
    completeness = round_half_even(math.fsum(compress(shared.effective, answered)), 4)
    head = _dumps(
        {
            "engine_version": ENGINE_VERSION,
            "candidate_id": candidate.id,
            "name": candidate.name,
            "rank": None,
            "overall": overall,
            "completeness": completeness,
            "disqualified": bool(failed),
            "failed_knockouts": failed,
            "red_flags": flags,
            "aggregation": shared.aggregation,
            "section_weights": shared.section_weights,
            "sections": sections,
        }
    )
    varying = {
        "x": _floats4(values),
        "contribution": _floats4(contributions),
        "answered": _dumps(answered),
        "rating_count": _dumps(rating_counts),
        "spread": "[" + ",".join("null" if v is None else _text4(v) for v in spreads) + "]",
        "disagreement": _dumps(disagreements),
        "overridden": _dumps(overridden),
        "failed_knockout": _dumps(failed_column),
    }
    columns = ",".join(
        f'"{name}":' + (shared.constant_columns.get(name) or varying[name])
        for name in QUESTION_FIELDS
    )
    return StoredCard(
        candidate.id,
        overall,
        completeness,
        bool(failed),
        failed,
        flags,
        f'{head[:-1]},"question_columns":{{{columns}}}}}',
    )


def score_batch(plan: ScoringPlan, candidates: Sequence[CandidateInput]) -> list[StoredCard]:
    """Each candidate's stored scorecard on ``plan``, in the order given."""
    shared = _Plan(plan)
    cards = []
    for candidate in candidates:
        try:
            cards.append(_score(shared, candidate))
        except ValueError:
            # The engine checks ratings and overrides question by question:
            # let it raise, so the error names the same first bad input.
            score_candidate(plan, candidate)
            raise
    return cards

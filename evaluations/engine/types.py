"""Plain-data types of the scoring engine (``evaluations.engine.scoring``), docs/scoring.md v1.

Standard library only. Inputs are frozen dataclasses that validate and
normalise themselves on construction: weights and scores given as ``int``,
``float`` or ``decimal.Decimal`` are stored as ``float``; tag and service-model
collections as ``frozenset``; options and bands as tuples of pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

ENGINE_VERSION = "1"

KINDS = frozenset(
    {"boolean", "single_choice", "multi_choice", "number", "scale", "text", "evidence"}
)
ALWAYS_JUDGED = frozenset({"text", "evidence"})
SCORINGS = frozenset({"auto", "judged"})
AGGREGATIONS = frozenset({"mean", "median"})

Number = int | float | Decimal
CandidateId = int | str


class NotScorable(ValueError):
    """The evaluation has no applicable section, so no score can be computed."""


def round_half_even(value: float, places: int) -> float:
    """Round ``value`` to ``places`` decimals, ties to even, on its decimal repr.

    ``repr`` gives the shortest decimal string that round-trips to the same
    float, so ``2.675`` rounds to ``2.68`` and ``0.125`` to ``0.12``, as a
    person reading the number expects (the builtin ``round`` works on the
    binary value and gives ``2.67`` for the first).
    """
    text = repr(float(value))
    point = text.find(".")
    # Fast path: unless the decimal repr ends exactly on a 5 one digit past the
    # rounding position (a decimal tie), the binary value lies on the same side
    # of the midpoint as its repr, so the builtin round agrees. (A midpoint
    # between the two would be a shorter round-tripping decimal than the repr.)
    if (
        "e" not in text
        and "n" not in text
        and not (point >= 0 and len(text) - point - 1 == places + 1 and text.endswith("5"))
    ):
        return round(float(value), places) + 0.0  # + 0.0 turns -0.0 into 0.0
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(text).quantize(quantum, rounding=ROUND_HALF_EVEN)
    return float(rounded) + 0.0


def is_number(value: Any) -> bool:
    """A finite int, float or Decimal; never a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) or math.isfinite(value)


def to_float(value: Any, what: str, *, low: float = 0.0, high: float = math.inf) -> float:
    """Validate a weight or score and return it as a float in [low, high]."""
    if not is_number(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    try:
        result = float(value)
    except OverflowError:
        raise ValueError(f"{what} is out of range, got {value!r}") from None
    if not low <= result <= high:
        raise ValueError(f"{what} must be in [{low}, {high}], got {value!r}")
    return result


def _strings(value: Any, what: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{what} must be a collection of strings, got {value!r}")
    items = frozenset(value)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"{what} must contain strings only, got {value!r}")
    return items


def _pairs(value: Any, what: str) -> list[tuple[Any, Any]]:
    items = value.items() if isinstance(value, Mapping) else value
    pairs = [tuple(item) for item in items]
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"{what} must be (key, score) pairs, got {value!r}")
    return pairs


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    code: str
    kind: str
    weight: Number = 1.0
    scoring: str = "auto"
    options: tuple[tuple[str, float], ...] = ()
    true_score: Number = 1.0
    false_score: Number = 0.0
    bands: tuple[tuple[float | None, float], ...] = ()
    scale_max: int = 5
    knockout: bool = False
    pass_threshold: Number = 1.0
    tags: frozenset[str] = frozenset()
    applies_to: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        put = object.__setattr__
        code = self.code
        if not isinstance(code, str) or not code:
            raise ValueError(f"question code must be a non-empty string, got {code!r}")
        if self.kind not in KINDS:
            raise ValueError(f"question {code}: unknown kind {self.kind!r}")
        if self.scoring not in SCORINGS:
            raise ValueError(f"question {code}: unknown scoring {self.scoring!r}")
        if self.kind in ALWAYS_JUDGED:
            put(self, "scoring", "judged")
        put(self, "weight", to_float(self.weight, f"question {code}: weight"))
        for name in ("true_score", "false_score", "pass_threshold"):
            put(self, name, to_float(getattr(self, name), f"question {code}: {name}", high=1.0))
        options = [
            (value, to_float(score, f"question {code}: option {value!r} score", high=1.0))
            for value, score in _pairs(self.options, f"question {code}: options")
        ]
        values = [value for value, _ in options]
        if not all(isinstance(v, str) for v in values) or len(set(values)) != len(values):
            raise ValueError(f"question {code}: option values must be unique strings")
        put(self, "options", tuple(options))
        bands = []
        for maximum, score in _pairs(self.bands, f"question {code}: bands"):
            if maximum is not None:
                maximum = to_float(maximum, f"question {code}: band max", low=-math.inf)
            bands.append((maximum, to_float(score, f"question {code}: band score", high=1.0)))
        put(self, "bands", tuple(bands))
        scale_max = self.scale_max
        if (
            isinstance(scale_max, bool)
            or not isinstance(scale_max, int)
            or not 1 <= scale_max <= 10
        ):
            raise ValueError(f"question {code}: scale_max must be an integer 1..10")
        put(self, "knockout", bool(self.knockout))
        for name in ("tags", "applies_to", "industries"):
            put(self, name, _strings(getattr(self, name), f"question {code}: {name}"))

    @property
    def judged(self) -> bool:
        return self.scoring == "judged"


@dataclass(frozen=True, slots=True)
class SectionSpec:
    code: str
    title: str = ""
    weight: Number = 1.0
    questions: tuple[QuestionSpec, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code:
            raise ValueError(f"section code must be a non-empty string, got {self.code!r}")
        object.__setattr__(self, "weight", to_float(self.weight, f"section {self.code}: weight"))
        object.__setattr__(self, "questions", tuple(self.questions))


@dataclass(frozen=True, slots=True)
class QuestionnaireSpec:
    sections: tuple[SectionSpec, ...]

    def __post_init__(self) -> None:
        sections = tuple(self.sections)
        object.__setattr__(self, "sections", sections)
        section_codes = [s.code for s in sections]
        if len(set(section_codes)) != len(section_codes):
            raise ValueError("section codes must be unique within a questionnaire version")
        codes = [q.code for s in sections for q in s.questions]
        if len(set(codes)) != len(codes):
            raise ValueError("question codes must be unique within a questionnaire version")


@dataclass(frozen=True, slots=True)
class EvaluationSpec:
    required_service_models: frozenset[str] = frozenset()
    industry: str | None = None
    section_weights: Mapping[str, Number] = field(default_factory=dict)
    excluded_questions: frozenset[str] = frozenset()
    aggregation: str = "mean"

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "required_service_models", _strings(self.required_service_models, "models"))
        put(self, "excluded_questions", _strings(self.excluded_questions, "excluded_questions"))
        weights = {
            code: to_float(weight, f"section_weights[{code!r}]")
            for code, weight in dict(self.section_weights).items()
        }
        put(self, "section_weights", weights)
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be 'mean' or 'median', got {self.aggregation!r}")


@dataclass(frozen=True, slots=True)
class CandidateInput:
    id: CandidateId
    name: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    ratings: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    overrides: Mapping[str, Number] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.id, bool) or not isinstance(self.id, int | str):
            raise ValueError(f"candidate id must be an int or a string, got {self.id!r}")
        if not isinstance(self.name, str):
            raise ValueError(f"candidate {self.id!r}: name must be a string")
        object.__setattr__(self, "answers", dict(self.answers))
        ratings = {}
        for code, values in dict(self.ratings).items():
            if isinstance(values, str) or not isinstance(values, Iterable):
                raise ValueError(f"candidate {self.id!r}: ratings for {code} must be a list")
            ratings[code] = tuple(values)
        object.__setattr__(self, "ratings", ratings)
        object.__setattr__(self, "overrides", dict(self.overrides))


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    spec: QuestionSpec
    section: str
    weight: float  # w_q
    effective_weight: float  # e_q, full precision

    @property
    def code(self) -> str:
        return self.spec.code


@dataclass(frozen=True, slots=True)
class PlannedSection:
    code: str
    title: str
    weight: float  # W_s used (override, else template)
    normalised_weight: float  # W_s / sum W
    question_weight_total: float  # sum of w_q over applicable questions
    questions: tuple[PlannedQuestion, ...]


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    """Applicable sections and questions with their weights; same for every candidate."""

    sections: tuple[PlannedSection, ...]
    aggregation: str
    total_weight: float  # sum W over applicable sections

    @property
    def section_weights(self) -> dict[str, float]:
        """The effective section weights W_s, in questionnaire order."""
        return {s.code: s.weight for s in self.sections}

    @property
    def questions(self) -> tuple[PlannedQuestion, ...]:
        return tuple(q for s in self.sections for q in s.questions)


# ---------------------------------------------------------------- results


def _r4(value: float | None) -> float | None:
    return None if value is None else round_half_even(value, 4)


@dataclass(frozen=True, slots=True)
class RedFlag:
    tag: str
    question: str

    def to_dict(self) -> dict[str, str]:
        return {"tag": self.tag, "question": self.question}


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """Per-question outcome; numbers are full precision (``to_dict`` rounds)."""

    code: str
    section: str
    x: float
    effective_weight: float
    contribution: float  # 100 * e_q * x_q
    answered: bool
    rating_count: int
    spread: float | None  # (max - min) / scale_max of the ratings; None without ratings
    disagreement: bool
    overridden: bool
    knockout: bool
    failed_knockout: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "section": self.section,
            "x": _r4(self.x),
            "effective_weight": _r4(self.effective_weight),
            "contribution": _r4(self.contribution),
            "answered": self.answered,
            "rating_count": self.rating_count,
            "spread": _r4(self.spread),
            "disagreement": self.disagreement,
            "overridden": self.overridden,
            "knockout": self.knockout,
            "failed_knockout": self.failed_knockout,
        }


@dataclass(frozen=True, slots=True)
class SectionResult:
    code: str
    title: str
    weight: float  # W_s used
    normalised_weight: float  # W_s / sum W, full precision
    s: float  # S_s in [0, 1], full precision
    score: float  # 100 * S_s rounded half-even to 2 decimals

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "weight": self.weight,
            "normalised_weight": _r4(self.normalised_weight),
            "score": self.score,
            "s": self.s,
        }


@dataclass(frozen=True, slots=True)
class Scorecard:
    """One candidate's scorecard.

    ``overall`` and ``completeness`` are the rounded output figures (2 and 4
    decimals); ``overall_exact`` and ``completeness_exact`` keep full precision.
    ``rank`` is None until the scorecard is ranked by ``score_evaluation``.
    """

    candidate_id: CandidateId
    name: str
    overall: float
    overall_exact: float
    completeness: float
    completeness_exact: float
    disqualified: bool
    failed_knockouts: tuple[str, ...]
    red_flags: tuple[RedFlag, ...]
    sections: tuple[SectionResult, ...]
    questions: tuple[QuestionResult, ...]
    section_weights: Mapping[str, float]
    aggregation: str
    rank: int | None = None
    engine_version: str = ENGINE_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "candidate_id": self.candidate_id,
            "name": self.name,
            "rank": self.rank,
            "overall": self.overall,
            "completeness": self.completeness,
            "disqualified": self.disqualified,
            "failed_knockouts": list(self.failed_knockouts),
            "red_flags": [flag.to_dict() for flag in self.red_flags],
            "aggregation": self.aggregation,
            "section_weights": dict(self.section_weights),
            "sections": [section.to_dict() for section in self.sections],
            "questions": [question.to_dict() for question in self.questions],
        }

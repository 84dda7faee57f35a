"""Scoring engine for docs/scoring.md v1: plain data in, plain data out.

Pure module (standard library only, no Django, no ORM). The data types live in
``evaluations.engine.types`` and are re-exported here.

    plan = applicable_plan(questionnaire, evaluation)   # same for every candidate
    card = score_candidate(plan, candidate)              # one Scorecard, rank None
    cards = rank_scorecards([...])                       # sorted, ranked "1224"
    cards = score_evaluation(questionnaire, evaluation, candidates)  # all of it

Everything is computed in float with ``math.fsum`` for sums; only the output
figures are rounded (half-even, on the decimal repr; see ``round_half_even``).
Choices where the rules are silent: docs/scoring.md, "Implementation choices".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from evaluations.engine.ranking import competition_ranked
from evaluations.engine.types import (
    AGGREGATIONS,
    ALWAYS_JUDGED,
    ENGINE_VERSION,
    KINDS,
    SCORINGS,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    PlannedQuestion,
    PlannedSection,
    QuestionnaireSpec,
    QuestionResult,
    QuestionSpec,
    RedFlag,
    Scorecard,
    ScoringPlan,
    SectionResult,
    SectionSpec,
    is_number,
    round_half_even,
    to_float,
)
from providers.vocabulary import RedFlagTag

__all__ = [
    "AGGREGATIONS",
    "ALWAYS_JUDGED",
    "DISAGREEMENT_THRESHOLD",
    "ENGINE_VERSION",
    "KINDS",
    "RED_FLAG_BELOW",
    "RED_FLAG_TAGS",
    "SCORINGS",
    "CandidateInput",
    "EvaluationSpec",
    "NotScorable",
    "PlannedQuestion",
    "PlannedSection",
    "QuestionResult",
    "QuestionSpec",
    "QuestionnaireSpec",
    "RedFlag",
    "Scorecard",
    "ScoringPlan",
    "SectionResult",
    "SectionSpec",
    "answer_score",
    "applicable_plan",
    "is_applicable",
    "rank_scorecards",
    "round_half_even",
    "score_candidate",
    "score_evaluation",
]

RED_FLAG_TAGS: tuple[str, ...] = tuple(tag.value for tag in RedFlagTag)
RED_FLAG_BELOW = 0.5  # a tagged question raises its flag when x < 0.5 or unanswered
DISAGREEMENT_THRESHOLD = Fraction(3, 10)  # (max - min) / scale_max >= 0.3, exactly


# ---------------------------------------------------------------- applicability


def is_applicable(question: QuestionSpec, evaluation: EvaluationSpec) -> bool:
    """docs/scoring.md "Applicability": decided per evaluation, never per candidate."""
    if question.weight == 0 or question.code in evaluation.excluded_questions:
        return False
    if question.applies_to and not question.applies_to & evaluation.required_service_models:
        return False
    return not question.industries or evaluation.industry in question.industries


def applicable_plan(questionnaire: QuestionnaireSpec, evaluation: EvaluationSpec) -> ScoringPlan:
    """Applicable sections and questions with W_s, W_s / sum W and e_q.

    Raises ``NotScorable`` when no section is applicable, and ``ValueError``
    when ``section_weights`` or ``excluded_questions`` name codes that the
    questionnaire version does not have (a stale reference is a mistake to
    surface, not to ignore).
    """
    section_codes = {section.code for section in questionnaire.sections}
    unknown = sorted(set(evaluation.section_weights) - section_codes)
    if unknown:
        raise ValueError(f"section_weights name unknown sections: {', '.join(unknown)}")
    question_codes = {q.code for section in questionnaire.sections for q in section.questions}
    unknown = sorted(evaluation.excluded_questions - question_codes)
    if unknown:
        raise ValueError(f"excluded_questions name unknown questions: {', '.join(unknown)}")

    kept = []
    for section in questionnaire.sections:
        weight = evaluation.section_weights.get(section.code, section.weight)
        questions = [q for q in section.questions if is_applicable(q, evaluation)]
        if weight > 0 and questions:
            kept.append((section, weight, questions))
    if not kept:
        raise NotScorable(
            "This evaluation cannot be scored: no section is applicable. Every section "
            "has weight 0, or none of its questions applies (weight 0, excluded, or not "
            "matching the evaluation's required service models or industry)."
        )

    total = math.fsum(weight for _, weight, _ in kept)
    sections = []
    for section, weight, questions in kept:
        question_total = math.fsum(q.weight for q in questions)
        share = weight / total
        planned = tuple(
            PlannedQuestion(q, section.code, q.weight, share * (q.weight / question_total))
            for q in questions
        )
        sections.append(
            PlannedSection(section.code, section.title, weight, share, question_total, planned)
        )
    return ScoringPlan(tuple(sections), evaluation.aggregation, total)


# ---------------------------------------------------------------- one question


def _integral(value: Any) -> int | None:
    if not is_number(value):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else None
    return int(value) if value.is_integer() else None


def answer_score(question: QuestionSpec, value: Any) -> float | None:
    """x for an auto-scored answer, or None when the value is invalid for the kind.

    An invalid value (unknown option, a bool or a string for a number, a scale
    value that is not an integer in 0..scale_max, ...) leaves the question
    unanswered: it scores 0 and does not count towards completeness.
    """
    kind = question.kind
    if kind == "boolean":
        if value is True:
            return question.true_score
        return question.false_score if value is False else None
    if kind == "single_choice":
        if isinstance(value, str):
            for option, score in question.options:  # a few unique values: no dict needed
                if option == value:
                    return score
        return None
    if kind == "multi_choice":
        if not isinstance(value, list | tuple | set | frozenset):
            return None
        scores = dict(question.options)
        if not all(isinstance(item, str) and item in scores for item in value):
            return None
        # Each chosen option counts once, even if the list repeats it.
        return min(1.0, math.fsum(scores[item] for item in set(value)))
    if kind == "number":
        if not is_number(value):
            return None
        for maximum, score in question.bands:
            if maximum is None or value <= maximum:
                return score
        return 0.0
    if kind == "scale":
        level = _integral(value)
        if level is None or not 0 <= level <= question.scale_max:
            return None
        return level / question.scale_max
    return None  # text and evidence are always judged


def checked_ratings(question: QuestionSpec, ratings: Iterable[Any], who: Any) -> Sequence[int]:
    """The ratings as a sequence, or ValueError naming the first one not in 0..scale_max."""
    checked = ratings if isinstance(ratings, tuple) else tuple(ratings)
    scale_max = question.scale_max
    for rating in checked:
        if type(rating) is int and 0 <= rating <= scale_max:
            continue  # the usual case, decided without the checks below
        if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= scale_max:
            raise ValueError(
                f"candidate {who!r}: rating {rating!r} for {question.code} is not an "
                f"integer in 0..{question.scale_max}"
            )
    return checked


def judged_figures(
    question: QuestionSpec, ratings: Sequence[int], aggregation: str
) -> tuple[float | None, float | None, bool]:
    """(x or None without ratings, spread, disagreement) from integer ratings.

    Every figure is an exact ratio of integers, kept as such: dividing one int
    by another in Python is correctly rounded, as converting the exact fraction
    is, and comparing cross products compares the fractions exactly.
    """
    if not ratings:
        return None, None, False
    count, scale_max = len(ratings), question.scale_max
    if aggregation == "median":
        ordered = sorted(ratings)
        middle = count // 2
        if count % 2:
            numerator, denominator = ordered[middle], scale_max
        else:  # the mean of the two middle ratings
            numerator, denominator = ordered[middle - 1] + ordered[middle], 2 * scale_max
    else:
        numerator, denominator = sum(ratings), count * scale_max
    gap = max(ratings) - min(ratings)
    threshold = DISAGREEMENT_THRESHOLD
    disagreement = count >= 2 and gap * threshold.denominator >= threshold.numerator * scale_max
    return numerator / denominator, gap / scale_max, disagreement


def _score_question(
    planned: PlannedQuestion, candidate: CandidateInput, aggregation: str
) -> QuestionResult:
    question = planned.spec
    code = question.code
    spread, disagreement, count = None, False, 0
    if question.judged:
        ratings = checked_ratings(question, candidate.ratings.get(code, ()), candidate.id)
        count = len(ratings)
        x, spread, disagreement = judged_figures(question, ratings, aggregation)
    else:  # ratings on an auto question are ignored (the API rejects them)
        x = answer_score(question, candidate.answers[code]) if code in candidate.answers else None
    overridden = code in candidate.overrides
    if overridden:
        x = to_float(candidate.overrides[code], f"override of {code}", high=1.0)
    answered = x is not None
    x = x if x is not None else 0.0
    weight = planned.effective_weight
    knockout = question.knockout
    return QuestionResult(  # positional, in field order: measurably faster for thousands
        code,  # code
        planned.section,  # section
        x,  # x
        weight,  # effective_weight
        100 * weight * x,  # contribution
        answered,  # answered
        count,  # rating_count
        spread,  # spread
        disagreement,  # disagreement
        overridden,  # overridden
        knockout,  # knockout
        knockout and (not answered or x < question.pass_threshold),  # failed_knockout
    )


def _red_flags(question: QuestionSpec, result: QuestionResult) -> list[RedFlag]:
    if result.answered and result.x >= RED_FLAG_BELOW:
        return []
    return [RedFlag(tag, question.code) for tag in RED_FLAG_TAGS if tag in question.tags]


# ---------------------------------------------------------------- scorecards


def score_candidate(plan: ScoringPlan, candidate: CandidateInput) -> Scorecard:
    """Score one candidate on a plan. The scorecard's ``rank`` is None."""
    sections: list[SectionResult] = []
    questions: list[QuestionResult] = []
    failed: list[str] = []
    flags: list[RedFlag] = []
    section_terms = []
    for section in plan.sections:
        terms = []
        for planned in section.questions:
            result = _score_question(planned, candidate, plan.aggregation)
            questions.append(result)
            terms.append(planned.weight * result.x)
            if result.failed_knockout:
                failed.append(result.code)
            if planned.spec.tags:
                flags.extend(_red_flags(planned.spec, result))
        s = math.fsum(terms) / section.question_weight_total
        section_terms.append(section.weight * s)
        sections.append(
            SectionResult(
                code=section.code,
                title=section.title,
                weight=section.weight,
                normalised_weight=section.normalised_weight,
                s=s,
                score=round_half_even(100 * s, 2),
            )
        )
    # Divide before scaling to 0-100: the ratio is then at most 1 (each term
    # W_s * S_s <= W_s), so overall never exceeds 100 through rounding.
    overall = 100 * (math.fsum(section_terms) / plan.total_weight)
    completeness = math.fsum(q.effective_weight for q in questions if q.answered)
    return Scorecard(
        candidate_id=candidate.id,
        name=candidate.name,
        overall=round_half_even(overall, 2),
        overall_exact=overall,
        completeness=round_half_even(completeness, 4),
        completeness_exact=completeness,
        disqualified=bool(failed),
        failed_knockouts=tuple(failed),
        red_flags=tuple(flags),
        sections=tuple(sections),
        questions=tuple(questions),
        section_weights=plan.section_weights,
        aggregation=plan.aggregation,
    )


def rank_scorecards(scorecards: Iterable[Scorecard]) -> list[Scorecard]:
    """Sort per docs/scoring.md and set competition ranks ("1224") over
    (disqualified, rounded overall)."""
    ranked = competition_ranked(
        scorecards,
        # The id is the last, total tie-break (ints before strings).
        lambda c: (
            c.disqualified,
            c.overall,
            c.name,
            (isinstance(c.candidate_id, str), c.candidate_id),
        ),
    )
    return [replace(card, rank=rank) for rank, card in ranked]


def score_evaluation(
    questionnaire: QuestionnaireSpec,
    evaluation: EvaluationSpec,
    candidates: Iterable[CandidateInput],
) -> list[Scorecard]:
    """Score every candidate on the same plan; return the scorecards ranked."""
    candidates = list(candidates)
    ids = [candidate.id for candidate in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique within an evaluation")
    plan = applicable_plan(questionnaire, evaluation)
    return rank_scorecards(score_candidate(plan, candidate) for candidate in candidates)

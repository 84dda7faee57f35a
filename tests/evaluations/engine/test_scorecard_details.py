"""The stored explanation: columns that give back exactly what the engine explains."""

import json
import statistics
from fractions import Fraction

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from evaluations.engine.scorecard_details import (
    _Rounded,
    exact_overall,
    question_rows,
    stored_details,
)
from evaluations.engine.scoring import (
    CandidateInput,
    EvaluationSpec,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    round_half_even,
    score_evaluation,
)
from tests.evaluations.engine.test_scoring_properties import cases, scorable


def as_stored(data):
    return json.loads(json.dumps(data))


@settings(max_examples=150, deadline=None)
@given(cases())
def test_stored_details_give_back_the_engine_explanation(case):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    for card in score_evaluation(questionnaire, evaluation, candidates):
        expected = as_stored(card.to_dict())
        stored = as_stored(stored_details(card))
        rows = question_rows(stored)
        assert rows == expected["questions"]
        # Same keys in the same order, so the API renders the same text.
        assert [list(row) for row in rows] == [list(q) for q in expected.pop("questions")]
        del stored["question_columns"]
        assert stored == expected


def test_columns_are_a_third_of_the_rows_size():
    questions = tuple(QuestionSpec(code=f"Q-{i}", kind="boolean") for i in range(300))
    [card] = score_evaluation(
        QuestionnaireSpec((SectionSpec("s", questions=questions),)),
        EvaluationSpec(),
        [CandidateInput(1, "Acme", answers={f"Q-{i}": i % 3 == 0 for i in range(300)})],
    )
    compact = {"separators": (",", ":")}
    rows = len(json.dumps(card.to_dict(), **compact))
    assert len(json.dumps(stored_details(card), **compact)) < rows / 2.5


def test_remembered_roundings_are_the_roundings_and_stay_bounded():
    rounded = _Rounded()
    values = [i / 7 + 0.00005 for i in range(70_000)]
    assert [rounded[v] for v in values] == [round_half_even(v, 4) for v in values]
    assert len(rounded) <= 1 << 16


SCALES_AND_RATINGS = st.integers(1, 10).flatmap(
    lambda scale_max: st.tuples(
        st.just(scale_max), st.lists(st.integers(0, scale_max), min_size=1, max_size=12)
    )
)


@settings(max_examples=300, deadline=None)
@given(SCALES_AND_RATINGS, st.sampled_from(["mean", "median"]))
@example((10, [0, 3]), "mean")  # a gap of exactly 0.3 disagrees
@example((10, [0, 2]), "mean")
@example((3, [0, 1, 1, 3]), "median")
def test_judged_figures_are_the_exact_ratios_correctly_rounded(scale_and_ratings, aggregation):
    """docs/scoring.md: x = aggregation(ratings) / scale_max, disagreement when
    (max - min) / scale_max >= 0.3, each taken as the exact fraction."""
    scale_max, ratings = scale_and_ratings
    question = QuestionSpec(code="J", kind="text", scale_max=scale_max)
    [card] = score_evaluation(
        QuestionnaireSpec((SectionSpec("s", questions=(question,)),)),
        EvaluationSpec(aggregation=aggregation),
        [CandidateInput(1, "Acme", ratings={"J": ratings})],
    )
    [result] = card.questions
    if aggregation == "median":
        level = Fraction(statistics.median(ratings))
    else:
        level = Fraction(sum(ratings), len(ratings))
    gap = Fraction(max(ratings) - min(ratings), scale_max)
    assert result.x == float(level / scale_max)
    assert result.spread == float(gap)
    assert result.disagreement is (len(ratings) >= 2 and gap >= Fraction(3, 10))
    assert result.rating_count == len(ratings)


@given(cases())
@settings(max_examples=150, deadline=None)
def test_the_exact_overall_is_read_back_bit_for_bit(case):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    for card in score_evaluation(questionnaire, evaluation, candidates):
        assert exact_overall(stored_details(card)) == card.overall_exact

"""The column-wise engine stores exactly what the engine and ``stored_details`` give.

``score_candidate`` stays the reference: for random questionnaires, settings
and candidates (the property tests' generator) and for the built-in vetting
questionnaire, the batch's JSON text is byte-equal to the reference's
explanation encoded as the scorecard column encodes it, and every summary
column is the same float.
"""

import json

import pytest
from hypothesis import assume, given, settings

from evaluations.engine.batch_scoring import score_batch
from evaluations.engine.scorecard_details import stored_details
from evaluations.engine.scoring import (
    CandidateInput,
    EvaluationSpec,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    applicable_plan,
    score_candidate,
)
from tests.evaluations.engine.test_scoring_properties import cases, scorable


def reference(plan, candidate):
    card = score_candidate(plan, candidate)
    text = json.dumps(stored_details(card), separators=(",", ":"))
    flags = [flag.to_dict() for flag in card.red_flags]
    return card, text, flags


def assert_same(plan, candidates):
    for candidate, stored in zip(candidates, score_batch(plan, candidates), strict=True):
        card, text, flags = reference(plan, candidate)
        assert stored.details_json == text
        assert stored.candidate_id == card.candidate_id
        assert (stored.overall, stored.completeness) == (card.overall, card.completeness)
        assert stored.disqualified == card.disqualified
        assert stored.failed_knockouts == list(card.failed_knockouts)
        assert stored.red_flags == flags


@settings(max_examples=300, deadline=None)
@given(cases())
def test_random_inputs_store_the_same_bytes(case):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    plan = applicable_plan(questionnaire, evaluation)
    assert_same(plan, candidates)
    # Twice on one plan: values remembered from the first candidates change nothing.
    assert_same(plan, candidates + candidates[::-1])


def judged_plan():
    question = QuestionSpec(code="J", kind="scale", scoring="judged", scale_max=4)
    sections = (SectionSpec(code="s", questions=(question,)),)
    return applicable_plan(QuestionnaireSpec(sections), EvaluationSpec())


def test_equal_but_not_integer_ratings_are_refused_as_the_engine_refuses_them():
    plan = judged_plan()
    valid = CandidateInput(1, "A", ratings={"J": (1, 3)})
    for bad in ((True, 3), (1.0, 3)):
        candidate = CandidateInput(2, "B", ratings={"J": bad})
        with pytest.raises(ValueError) as expected:
            score_candidate(plan, candidate)
        # The valid (1, 3) is remembered first; (True, 3) and (1.0, 3) equal it.
        with pytest.raises(ValueError) as got:
            score_batch(plan, [valid, candidate])
        assert str(got.value) == str(expected.value)


def test_a_bad_override_is_named_as_the_engine_names_it():
    plan = judged_plan()
    candidate = CandidateInput(1, "A", ratings={"J": (9,)}, overrides={"J": 2.0})
    with pytest.raises(ValueError) as expected:
        score_candidate(plan, candidate)
    with pytest.raises(ValueError) as got:
        score_batch(plan, [candidate])
    assert str(got.value) == str(expected.value)

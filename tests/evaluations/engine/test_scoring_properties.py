"""Property-based tests of the scoring engine (hypothesis)."""

import math
from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evaluations.engine.scoring import (
    KINDS,
    RED_FLAG_TAGS,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    applicable_plan,
    score_evaluation,
)

MODELS = ["msp", "mssp", "vciso", "vcio"]
INDUSTRIES = ["healthcare", "legal", "defense"]
WEIGHTS = st.one_of(
    st.sampled_from([0, 0.5, 1, 2, 3]),
    st.floats(min_value=0.01, max_value=10, allow_nan=False),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10), places=3),
)
# Scores as people set them; no subnormal floats (where products lose bits and
# even scaling by a power of two stops being exact).
UNIT = st.one_of(st.sampled_from([0.0, 0.3, 0.5, 1.0]), st.floats(min_value=1e-9, max_value=1))


@st.composite
def questions(draw, code):
    kind = draw(st.sampled_from(sorted(KINDS)))
    options = [(f"o{i}", draw(UNIT)) for i in range(draw(st.integers(1, 4)))]
    bands = [
        (draw(st.floats(-5, 50, allow_nan=False)), draw(UNIT))
        for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        bands.append((None, draw(UNIT)))
    return QuestionSpec(
        code=code,
        kind=kind,
        weight=draw(WEIGHTS),
        scoring=draw(st.sampled_from(["auto", "judged"])),
        options=options,
        true_score=draw(UNIT),
        false_score=draw(UNIT),
        bands=bands,
        scale_max=draw(st.integers(1, 10)),
        knockout=draw(st.booleans()),
        pass_threshold=draw(UNIT),
        tags=draw(st.sets(st.sampled_from([*RED_FLAG_TAGS, "other"]), max_size=2)),
        applies_to=draw(st.sets(st.sampled_from(MODELS), max_size=2)),
        industries=draw(st.sets(st.sampled_from(INDUSTRIES), max_size=1)),
    )


def answer_for(draw, question):
    """A valid, invalid or missing answer value for a question."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return None
    if choice == 1:  # something invalid for most kinds
        return draw(st.sampled_from(["nope", True, -1, 99, 2.5, [], ["zz"], math.nan]))
    values = [v for v, _ in question.options]
    valid = {
        "boolean": st.booleans(),
        "single_choice": st.sampled_from(values),
        "multi_choice": st.lists(st.sampled_from(values), max_size=4),
        "number": st.floats(-10, 60, allow_nan=False) | st.integers(-10, 60),
        "scale": st.integers(0, question.scale_max),
        "text": st.text(max_size=5),
        "evidence": st.lists(st.text(max_size=3), max_size=2),
    }
    return draw(valid[question.kind])


@st.composite
def cases(draw):
    sections = []
    for s in range(draw(st.integers(1, 4))):
        qs = tuple(draw(questions(f"Q{s}-{q}")) for q in range(draw(st.integers(0, 4))))
        sections.append(
            SectionSpec(code=f"s{s}", title=f"S{s}", weight=draw(WEIGHTS), questions=qs)
        )
    questionnaire = QuestionnaireSpec(tuple(sections))
    all_questions = [q for s in sections for q in s.questions]
    codes = [q.code for q in all_questions]
    evaluation = EvaluationSpec(
        required_service_models=draw(st.sets(st.sampled_from(MODELS))),
        industry=draw(st.sampled_from([None, *INDUSTRIES])),
        section_weights={s.code: draw(WEIGHTS) for s in sections if draw(st.integers(0, 3)) == 0},
        excluded_questions=draw(st.sets(st.sampled_from(codes))) if codes else set(),
        aggregation=draw(st.sampled_from(["mean", "median"])),
    )
    candidates = []
    for c in range(draw(st.integers(1, 4))):
        answers, ratings, overrides = {}, {}, {}
        for q in all_questions:
            value = answer_for(draw, q)
            if value is not None:
                answers[q.code] = value
            if draw(st.integers(0, 2)) == 0:
                ratings[q.code] = draw(st.lists(st.integers(0, q.scale_max), max_size=4))
            if draw(st.integers(0, 5)) == 0:
                overrides[q.code] = draw(UNIT)
        name = draw(st.sampled_from(["Acme", "acme", "Beta", "Gamma"]))
        candidates.append(CandidateInput(c, name, answers, ratings, overrides))
    return questionnaire, evaluation, candidates


def scorable(questionnaire, evaluation):
    try:
        applicable_plan(questionnaire, evaluation)
    except NotScorable:
        return False
    return True


def summary(card):
    """Everything about a scorecard that must not depend on input order."""
    return {
        "rank": card.rank,
        "overall": card.overall_exact,
        "completeness": card.completeness_exact,
        "disqualified": card.disqualified,
        "failed": set(card.failed_knockouts),
        "flags": set(card.red_flags),
        "sections": {s.code: s for s in card.sections},
        "questions": {q.code: q for q in card.questions},
        "weights": dict(card.section_weights),
    }


@settings(max_examples=150, deadline=None)
@given(cases())
def test_invariants(case):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    cards = score_evaluation(questionnaire, evaluation, candidates)
    for card in cards:
        e = [q.effective_weight for q in card.questions]
        assert math.isclose(math.fsum(e), 1.0, abs_tol=1e-12)
        contributions = math.fsum(q.contribution for q in card.questions)
        assert math.isclose(contributions, card.overall_exact, rel_tol=1e-12, abs_tol=1e-9)
        assert 0.0 <= card.overall_exact <= 100.0
        assert 0.0 <= card.overall <= 100.0
        assert 0.0 <= card.completeness_exact <= 1.0 + 1e-12
        assert all(0.0 <= q.x <= 1.0 for q in card.questions)
        assert all(0.0 <= s.s <= 1.0 and 0.0 <= s.score <= 100.0 for s in card.sections)
        assert math.isclose(math.fsum(s.normalised_weight for s in card.sections), 1.0)
        answered = math.fsum(q.effective_weight for q in card.questions if q.answered)
        assert card.completeness_exact == answered
        assert card.disqualified == any(q.failed_knockout for q in card.questions)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_ranking_order(case):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    cards = score_evaluation(questionnaire, evaluation, candidates)
    keys = [(c.disqualified, -c.overall) for c in cards]
    assert keys == sorted(keys)
    for i, card in enumerate(cards):
        first = next(j for j, k in enumerate(keys) if k == keys[i])
        assert card.rank == first + 1


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(-6, 6), st.floats(min_value=0.01, max_value=100))
def test_scaling_section_weights_changes_nothing(case, power, factor):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    base = score_evaluation(questionnaire, evaluation, candidates)

    def scaled(c):
        q = QuestionnaireSpec(
            tuple(replace(s, weight=s.weight * c) for s in questionnaire.sections)
        )
        weights = {code: w * c for code, w in evaluation.section_weights.items()}
        return score_evaluation(q, replace(evaluation, section_weights=weights), candidates)

    def without_weights(card):
        data = card.to_dict()
        del data["section_weights"]
        for section in data["sections"]:
            del section["weight"]
        return data

    # A power of two scales exactly, so everything else is bit-for-bit the same...
    exact = scaled(2.0**power)
    assert [without_weights(c) for c in exact] == [without_weights(c) for c in base]
    assert [c.overall_exact for c in exact] == [c.overall_exact for c in base]
    # ...and any positive factor agrees to rounding error.
    after = {c.candidate_id: c for c in scaled(factor)}
    for before in base:
        other = after[before.candidate_id]
        assert math.isclose(before.overall_exact, other.overall_exact, rel_tol=1e-9, abs_tol=1e-9)
        for qa, qb in zip(before.questions, other.questions, strict=True):
            assert math.isclose(qa.effective_weight, qb.effective_weight, rel_tol=1e-9)


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_order_of_sections_questions_and_candidates_does_not_matter(case, data):
    questionnaire, evaluation, candidates = case
    assume(scorable(questionnaire, evaluation))
    sections = data.draw(st.permutations(questionnaire.sections))
    shuffled = QuestionnaireSpec(
        tuple(
            replace(s, questions=tuple(data.draw(st.permutations(s.questions)))) for s in sections
        )
    )
    others = data.draw(st.permutations(candidates))
    base = score_evaluation(questionnaire, evaluation, candidates)
    again = score_evaluation(shuffled, evaluation, others)
    assert [c.candidate_id for c in again] == [c.candidate_id for c in base]
    assert [summary(c) for c in again] == [summary(c) for c in base]


@settings(max_examples=100, deadline=None)
@given(cases())
def test_not_scorable_exactly_when_no_section_has_weight_and_an_applicable_question(case):
    questionnaire, evaluation, _ = case

    def applies(q):
        return (
            q.weight > 0
            and q.code not in evaluation.excluded_questions
            and (not q.applies_to or bool(q.applies_to & evaluation.required_service_models))
            and (not q.industries or evaluation.industry in q.industries)
        )

    expected = any(
        evaluation.section_weights.get(s.code, s.weight) > 0 and any(map(applies, s.questions))
        for s in questionnaire.sections
    )
    assert scorable(questionnaire, evaluation) is expected


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=6),
)
def test_fast_rounding_matches_decimal_rounding_of_the_repr(value, places):
    from decimal import ROUND_HALF_EVEN, Decimal

    from evaluations.engine.types import round_half_even

    expected = float(
        Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    )
    assert round_half_even(value, places) == expected + 0.0

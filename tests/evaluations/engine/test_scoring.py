"""Example-based tests of the scoring engine against docs/scoring.md v1."""

import json
import math
from decimal import Decimal
from fractions import Fraction

import pytest

from evaluations.engine.scoring import (
    ENGINE_VERSION,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    QuestionSpec,
    RedFlag,
    SectionSpec,
    applicable_plan,
    round_half_even,
    score_candidate,
    score_evaluation,
)
from providers.vocabulary import RedFlagTag

# ---------------------------------------------------------------- helpers


def sec(code, weight, *questions):
    return SectionSpec(code=code, title=code.upper(), weight=weight, questions=questions)


def qnr(*sections):
    return QuestionnaireSpec(sections=sections)


def cand(cid=1, name="Acme", answers=None, ratings=None, overrides=None):
    return CandidateInput(
        id=cid, name=name, answers=answers or {}, ratings=ratings or {}, overrides=overrides or {}
    )


def score_one(question, answer=None, *, ratings=None, override=None, evaluation=None):
    """Score a single-question questionnaire; return (scorecard, question result)."""
    code = question.code
    candidate = cand(
        answers={} if answer is None else {code: answer},
        ratings={} if ratings is None else {code: ratings},
        overrides={} if override is None else {code: override},
    )
    card = score_evaluation(qnr(sec("s", 1, question)), evaluation or EvaluationSpec(), [candidate])
    return card[0], card[0].questions[0]


def by_code(card):
    return {q.code: q for q in card.questions}


def worked_example(tags=frozenset({"soc_ownership"})):
    questionnaire = qnr(
        sec(
            "soc",
            3,
            QuestionSpec(
                "SOC-01",
                "single_choice",
                weight=2,
                options=[("own", 1.0), ("third_party", 0.3)],
                tags=tags,
            ),
            QuestionSpec("SOC-02", "boolean", weight=1, knockout=True),
        ),
        sec(
            "rep",
            1,
            QuestionSpec("REP-01", "scale", weight=1, scoring="judged", scale_max=5),
            QuestionSpec("REP-02", "boolean", weight=1),
        ),
    )
    candidate = cand(answers={"SOC-01": "third_party", "SOC-02": True}, ratings={"REP-01": [4, 2]})
    return questionnaire, candidate


# ---------------------------------------------------------------- worked example


def test_worked_example():
    questionnaire, candidate = worked_example()
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [candidate])
    assert card.overall == 47.50
    assert math.isclose(card.overall_exact, 47.5, abs_tol=1e-12)
    sections = {s.code: s for s in card.sections}
    assert math.isclose(sections["soc"].s, 1.6 / 3, rel_tol=1e-15)
    assert sections["soc"].score == 53.33
    assert math.isclose(sections["rep"].s, 0.3, rel_tol=1e-15)
    assert sections["rep"].score == 30.00
    assert sections["soc"].weight == 3 and sections["rep"].weight == 1
    assert sections["soc"].normalised_weight == 0.75
    assert sections["rep"].normalised_weight == 0.25
    q = by_code(card)
    assert [q[c].x for c in ("SOC-01", "SOC-02", "REP-01", "REP-02")] == [0.3, 1.0, 0.6, 0.0]
    e = [q[c].effective_weight for c in ("SOC-01", "SOC-02", "REP-01", "REP-02")]
    assert e == [0.5, 0.25, 0.125, 0.125]
    assert card.completeness == 0.875
    assert q["REP-01"].disagreement and q["REP-01"].rating_count == 2
    assert math.isclose(q["REP-01"].spread, 0.4)
    assert not q["REP-02"].answered and q["REP-02"].x == 0
    assert card.red_flags == (RedFlag("soc_ownership", "SOC-01"),)
    assert not card.disqualified and card.failed_knockouts == ()
    assert card.rank == 1
    assert math.isclose(sum(x.contribution for x in card.questions), card.overall_exact)
    assert card.section_weights == {"soc": 3.0, "rep": 1.0}


def test_worked_example_without_tag_has_no_red_flag():
    questionnaire, candidate = worked_example(tags=frozenset())
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [candidate])
    assert card.red_flags == ()


def test_worked_example_to_dict_is_json_and_rounded():
    questionnaire, candidate = worked_example()
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [candidate])
    data = json.loads(json.dumps(card.to_dict()))
    assert list(data) == [
        "engine_version",
        "candidate_id",
        "name",
        "rank",
        "overall",
        "completeness",
        "disqualified",
        "failed_knockouts",
        "red_flags",
        "aggregation",
        "section_weights",
        "sections",
        "questions",
    ]
    assert data["engine_version"] == ENGINE_VERSION == "1"
    assert data["overall"] == 47.5 and data["completeness"] == 0.875
    assert data["sections"][0]["score"] == 53.33
    assert data["sections"][0]["normalised_weight"] == 0.75
    assert data["red_flags"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
    assert [q["code"] for q in data["questions"]] == ["SOC-01", "SOC-02", "REP-01", "REP-02"]
    assert data["questions"][2]["spread"] == 0.4 and data["questions"][0]["spread"] is None


def test_decimal_weights_give_the_same_numbers():
    questionnaire, candidate = worked_example()
    decimal_q = qnr(
        *(
            SectionSpec(
                s.code,
                s.title,
                Decimal(repr(s.weight)),
                tuple(
                    QuestionSpec(
                        q.code,
                        q.kind,
                        weight=Decimal(repr(q.weight)),
                        scoring=q.scoring,
                        options=[(v, Decimal(repr(sc))) for v, sc in q.options],
                        knockout=q.knockout,
                        tags=q.tags,
                    )
                    for q in s.questions
                ),
            )
            for s in questionnaire.sections
        )
    )
    plain = score_evaluation(questionnaire, EvaluationSpec(), [candidate])[0]
    dec = score_evaluation(decimal_q, EvaluationSpec(section_weights={}), [candidate])[0]
    assert dec.to_dict() == plain.to_dict()
    assert dec.overall_exact == plain.overall_exact


# ---------------------------------------------------------------- kinds


def test_boolean_default_and_custom_scores():
    assert score_one(QuestionSpec("B", "boolean"), True)[1].x == 1.0
    assert score_one(QuestionSpec("B", "boolean"), False)[1].x == 0.0
    custom = QuestionSpec("B", "boolean", true_score=0.8, false_score=Decimal("0.2"))
    assert score_one(custom, True)[1].x == 0.8
    result = score_one(custom, False)[1]
    assert result.x == 0.2 and result.answered


@pytest.mark.parametrize("value", ["true", 1, 0, None, [True]])
def test_boolean_invalid_value_is_unanswered(value):
    result = score_one(QuestionSpec("B", "boolean", true_score=0.8, false_score=0.2), value)[1]
    assert result.x == 0.0 and not result.answered


CHOICE = (("a", 0.2), ("b", 0.5), ("c", 0.7), ("d", 0.0))


def test_single_choice_option_score():
    assert score_one(QuestionSpec("C", "single_choice", options=CHOICE), "c")[1].x == 0.7
    zero = score_one(QuestionSpec("C", "single_choice", options=CHOICE), "d")[1]
    assert zero.x == 0.0 and zero.answered


@pytest.mark.parametrize("value", ["zz", ["a"], 1, None, True])
def test_single_choice_invalid_value_is_unanswered(value):
    result = score_one(QuestionSpec("C", "single_choice", options=CHOICE), value)[1]
    assert result.x == 0.0 and not result.answered


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a"], 0.2),
        (["a", "b"], 0.7),
        (("a", "b", "c"), 1.0),  # 1.4 capped at 1
        (["b", "c"], 1.0),  # 1.2 capped at 1
        ([], 0.0),
        (["a", "a"], 0.2),  # a repeated choice counts once
    ],
)
def test_multi_choice_sum_cap_and_empty(value, expected):
    result = score_one(QuestionSpec("M", "multi_choice", options=CHOICE), value)[1]
    assert math.isclose(result.x, expected) and result.answered


@pytest.mark.parametrize("value", ["a", ["a", "zz"], [1], {"a": 1}, None])
def test_multi_choice_invalid_value_is_unanswered(value):
    result = score_one(QuestionSpec("M", "multi_choice", options=CHOICE), value)[1]
    assert result.x == 0.0 and not result.answered


BANDS = ((1, 1.0), (4, 0.6), (24, 0.3))
OPEN_BANDS = (*BANDS, (None, 0.1))


@pytest.mark.parametrize(
    ("value", "bands", "expected"),
    [
        (0.5, BANDS, 1.0),
        (1, BANDS, 1.0),  # value <= max: the boundary is inclusive
        (1.0001, BANDS, 0.6),
        (Decimal("4"), BANDS, 0.6),
        (-3, BANDS, 1.0),
        (24, BANDS, 0.3),
        (25, BANDS, 0.0),  # no band matches: answered, x = 0
        (25, OPEN_BANDS, 0.1),  # a band without max matches anything
        (10**400, OPEN_BANDS, 0.1),
        (2, ((None, 0.4), (4, 1.0)), 0.4),  # first band in order wins
        (3, (), 0.0),
    ],
)
def test_number_bands(value, bands, expected):
    result = score_one(QuestionSpec("N", "number", bands=bands), value)[1]
    assert result.x == expected and result.answered


@pytest.mark.parametrize("value", [True, False, "3", None, math.nan, math.inf, [1]])
def test_number_invalid_value_is_unanswered(value):
    result = score_one(QuestionSpec("N", "number", bands=OPEN_BANDS), value)[1]
    assert result.x == 0.0 and not result.answered


@pytest.mark.parametrize(
    ("value", "scale_max", "expected"),
    [(3, 5, 0.6), (0, 5, 0.0), (5, 5, 1.0), (7, 10, 0.7), (1, 3, 1 / 3), (3.0, 5, 0.6)],
)
def test_scale_auto(value, scale_max, expected):
    result = score_one(QuestionSpec("S", "scale", scale_max=scale_max), value)[1]
    assert result.x == expected and result.answered


@pytest.mark.parametrize("value", [6, -1, 2.5, True, "3", None, math.nan])
def test_scale_invalid_value_is_unanswered(value):
    result = score_one(QuestionSpec("S", "scale", scale_max=5), value)[1]
    assert result.x == 0.0 and not result.answered


@pytest.mark.parametrize("kind", ["text", "evidence"])
def test_text_and_evidence_are_always_judged(kind):
    question = QuestionSpec("T", kind, scoring="auto", scale_max=4)
    assert question.judged
    result = score_one(question, "a long answer", ratings=[3])[1]
    assert result.x == 0.75 and result.answered and result.rating_count == 1
    unrated = score_one(question, "a long answer")[1]
    assert unrated.x == 0.0 and not unrated.answered


def test_judged_mean_is_exact_ratio():
    question = QuestionSpec("J", "scale", scoring="judged", scale_max=5)
    result = score_one(question, ratings=[1, 2, 2])[1]
    assert result.x == float(Fraction(5, 15))
    assert result.x < 0.34


@pytest.mark.parametrize(
    ("ratings", "expected"), [([1, 2, 5], 0.4), ([1, 2, 4, 5], 0.6), ([0, 0, 5], 0.0)]
)
def test_judged_median(ratings, expected):
    question = QuestionSpec("J", "single_choice", scoring="judged", options=CHOICE)
    evaluation = EvaluationSpec(aggregation="median")
    result = score_one(question, "a", ratings=ratings, evaluation=evaluation)[1]
    assert result.x == expected


def test_judged_choice_ignores_the_answer():
    question = QuestionSpec("J", "single_choice", scoring="judged", options=CHOICE)
    result = score_one(question, "c")[1]
    assert result.x == 0.0 and not result.answered


def test_ratings_on_auto_question_are_ignored():
    result = score_one(QuestionSpec("B", "boolean"), True, ratings=[0, 5])[1]
    assert result.x == 1.0 and result.rating_count == 0 and result.spread is None
    assert not result.disagreement


@pytest.mark.parametrize("ratings", [[6], [-1], [2.0], [True], ["3"]])
def test_invalid_ratings_raise(ratings):
    with pytest.raises(ValueError, match="rating"):
        score_one(QuestionSpec("J", "text"), ratings=ratings)


@pytest.mark.parametrize(
    ("ratings", "scale_max", "disagreement"),
    [
        ([0, 3], 10, True),  # exactly 0.3 (0.3 * 10 in float is 3.0000000000000004)
        ([0, 2], 10, False),
        ([3, 5], 5, True),
        ([3, 4], 5, False),
        ([4, 4, 1], 10, True),
        ([5], 5, False),  # one rating never disagrees
        ([], 5, False),
    ],
)
def test_disagreement(ratings, scale_max, disagreement):
    result = score_one(QuestionSpec("J", "text", scale_max=scale_max), ratings=ratings)[1]
    assert result.disagreement is disagreement


def test_spread():
    question = QuestionSpec("J", "text", scale_max=10)
    assert score_one(question, ratings=[2, 9, 5])[1].spread == 0.7
    assert score_one(question, ratings=[4])[1].spread == 0.0
    assert score_one(question)[1].spread is None


OVERRIDE_CASES = [
    (QuestionSpec("O", "boolean"), True),
    (QuestionSpec("O", "single_choice", options=CHOICE), "c"),
    (QuestionSpec("O", "multi_choice", options=CHOICE), ["a"]),
    (QuestionSpec("O", "number", bands=OPEN_BANDS), 2),
    (QuestionSpec("O", "scale"), 4),
    (QuestionSpec("O", "text"), "text"),
    (QuestionSpec("O", "evidence"), ["doc-1"]),
    (QuestionSpec("O", "boolean"), None),  # unanswered, overridden
]


@pytest.mark.parametrize(("question", "answer"), OVERRIDE_CASES)
def test_override_replaces_x_for_any_kind(question, answer):
    ratings = [1, 5] if question.judged else None
    result = score_one(question, answer, ratings=ratings, override=Decimal("0.35"))[1]
    assert result.x == 0.35 and result.answered and result.overridden


def test_override_keeps_rating_disagreement():
    result = score_one(QuestionSpec("J", "text"), ratings=[0, 5], override=1)[1]
    assert result.x == 1.0 and result.disagreement and result.rating_count == 2


@pytest.mark.parametrize("override", [1.5, -0.1, "0.5", True, math.nan])
def test_invalid_override_raises(override):
    with pytest.raises(ValueError, match="override"):
        score_one(QuestionSpec("B", "boolean"), True, override=override)


def test_null_override_raises():
    questionnaire = qnr(sec("s", 1, QuestionSpec("B", "boolean")))
    with pytest.raises(ValueError, match="override"):
        score_evaluation(questionnaire, EvaluationSpec(), [cand(overrides={"B": None})])


# ---------------------------------------------------------------- applicability


def codes_in_plan(questionnaire, evaluation):
    return [q.code for q in applicable_plan(questionnaire, evaluation).questions]


def test_weight_zero_question_is_not_scored():
    questionnaire = qnr(
        sec("s", 1, QuestionSpec("A", "boolean"), QuestionSpec("INFO", "boolean", weight=0))
    )
    assert codes_in_plan(questionnaire, EvaluationSpec()) == ["A"]
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [cand(answers={"A": True})])
    assert card.overall == 100 and card.completeness == 1


def test_excluded_question_is_not_scored():
    questionnaire = qnr(sec("s", 1, QuestionSpec("A", "boolean"), QuestionSpec("B", "boolean")))
    evaluation = EvaluationSpec(excluded_questions={"B"})
    assert codes_in_plan(questionnaire, evaluation) == ["A"]


def test_applies_to_service_models():
    questionnaire = qnr(
        sec(
            "s",
            1,
            QuestionSpec("ANY", "boolean"),
            QuestionSpec("SOC", "boolean", applies_to={"mssp"}),
            QuestionSpec("BOTH", "boolean", applies_to={"msp", "vciso"}),
        )
    )
    assert codes_in_plan(questionnaire, EvaluationSpec(required_service_models={"mssp"})) == [
        "ANY",
        "SOC",
    ]
    assert codes_in_plan(questionnaire, EvaluationSpec(required_service_models={"vciso"})) == [
        "ANY",
        "BOTH",
    ]
    assert codes_in_plan(questionnaire, EvaluationSpec()) == ["ANY"]


def test_industries():
    questionnaire = qnr(
        sec(
            "s",
            1,
            QuestionSpec("ANY", "boolean"),
            QuestionSpec("HIPAA", "boolean", industries={"healthcare"}),
        )
    )
    assert codes_in_plan(questionnaire, EvaluationSpec(industry="healthcare")) == ["ANY", "HIPAA"]
    assert codes_in_plan(questionnaire, EvaluationSpec(industry="legal")) == ["ANY"]
    assert codes_in_plan(questionnaire, EvaluationSpec()) == ["ANY"]


def test_sections_with_zero_weight_or_no_applicable_question_are_left_out():
    questionnaire = qnr(
        sec("a", 2, QuestionSpec("A", "boolean")),
        sec("zero", 0, QuestionSpec("Z", "boolean")),
        sec("off", 1, QuestionSpec("X", "boolean")),
        sec("empty", 1, QuestionSpec("INFO", "boolean", weight=0)),
        sec("none", 5),
        sec("b", 1, QuestionSpec("B", "boolean")),
    )
    evaluation = EvaluationSpec(section_weights={"off": 0}, excluded_questions=set())
    plan = applicable_plan(questionnaire, evaluation)
    assert plan.section_weights == {"a": 2.0, "b": 1.0}
    [card] = score_evaluation(questionnaire, evaluation, [cand(answers={"A": True, "Z": True})])
    assert [s.code for s in card.sections] == ["a", "b"]
    assert math.isclose(card.overall_exact, 100 * 2 / 3)
    assert card.overall == 66.67


def test_full_marks_are_exactly_100():
    # 100 * 0.367 / 0.367 would be 100.00000000000001 in float.
    questionnaire = qnr(sec("s", 0.367, QuestionSpec("A", "boolean", weight=0.7)))
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [cand(answers={"A": True})])
    assert card.overall_exact == 100.0 and card.sections[0].s == 1.0


def test_section_weight_override_replaces_template_weight():
    questionnaire = qnr(
        sec("a", 3, QuestionSpec("A", "boolean")), sec("b", 0, QuestionSpec("B", "boolean"))
    )
    evaluation = EvaluationSpec(section_weights={"a": 1, "b": Decimal("3")})
    [card] = score_evaluation(questionnaire, evaluation, [cand(answers={"B": True})])
    assert card.section_weights == {"a": 1.0, "b": 3.0}
    assert card.overall == 75.0


@pytest.mark.parametrize(
    "evaluation",
    [
        EvaluationSpec(section_weights={"a": 0}),
        EvaluationSpec(excluded_questions={"A"}),
        EvaluationSpec(industry="legal", section_weights={"a": 0, "b": 1}),
    ],
)
def test_not_scorable(evaluation):
    questionnaire = qnr(
        sec("a", 1, QuestionSpec("A", "boolean")),
        sec("b", 0, QuestionSpec("B", "boolean", industries={"healthcare"})),
    )
    with pytest.raises(NotScorable, match="no section is applicable"):
        score_evaluation(questionnaire, evaluation, [cand()])
    with pytest.raises(NotScorable):
        applicable_plan(questionnaire, evaluation)


@pytest.mark.parametrize(
    "evaluation",
    [EvaluationSpec(section_weights={"nope": 1}), EvaluationSpec(excluded_questions={"NOPE"})],
)
def test_unknown_codes_in_evaluation_raise(evaluation):
    with pytest.raises(ValueError, match="unknown"):
        applicable_plan(qnr(sec("a", 1, QuestionSpec("A", "boolean"))), evaluation)


# ---------------------------------------------------------------- knockouts


def knockout_questionnaire():
    return qnr(
        sec(
            "s",
            1,
            QuestionSpec("K1", "scale", knockout=True, pass_threshold=0.6),
            QuestionSpec("K2", "boolean", knockout=True),
            QuestionSpec("K3", "boolean", knockout=True, applies_to={"vcio"}),
            QuestionSpec("P", "boolean"),
        )
    )


@pytest.mark.parametrize(
    ("answers", "failed", "overall"),
    [
        ({"K1": 3, "K2": True, "P": True}, (), 86.67),  # 0.6 is not < 0.6
        ({"K1": 5, "K2": True}, (), 66.67),
        ({"K1": 2, "K2": True}, ("K1",), 46.67),
        ({"K1": 5, "K2": False}, ("K2",), 33.33),
        ({"K1": 5}, ("K2",), 33.33),  # unanswered knockout fails
        ({"K1": 9, "K2": "yes"}, ("K1", "K2"), 0.0),  # invalid answers are unanswered
        ({}, ("K1", "K2"), 0.0),
    ],
)
def test_knockouts(answers, failed, overall):
    [card] = score_evaluation(knockout_questionnaire(), EvaluationSpec(), [cand(answers=answers)])
    assert card.failed_knockouts == failed
    assert card.disqualified is bool(failed)
    assert {q.code for q in card.questions if q.failed_knockout} == set(failed)
    assert card.overall == overall  # the score is still computed
    assert "K3" not in {q.code for q in card.questions}  # inapplicable knockout


def test_unanswered_knockout_fails_even_with_zero_threshold():
    questionnaire = qnr(
        sec(
            "s",
            1,
            QuestionSpec("K0", "boolean", knockout=True, pass_threshold=0),
            QuestionSpec("K1", "boolean", knockout=True, pass_threshold=0),
        )
    )
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [cand(answers={"K0": False})])
    assert card.failed_knockouts == ("K1",)  # K0 answered with x = 0 passes 0 >= 0


def test_knockout_override_can_pass():
    [card] = score_evaluation(
        knockout_questionnaire(),
        EvaluationSpec(),
        [cand(answers={"K1": 1}, overrides={"K1": 0.6, "K2": 1})],
    )
    assert not card.disqualified


# ---------------------------------------------------------------- red flags


@pytest.mark.parametrize("tag", list(RedFlagTag))
@pytest.mark.parametrize(
    ("answer", "flagged"), [(None, True), (0.2, True), (0.49, True), (0.5, False), (1.0, False)]
)
def test_each_red_flag_tag(tag, answer, flagged):
    question = QuestionSpec("F", "number", bands=((None, answer or 0),), tags={tag, "other"})
    card, _ = score_one(question, None if answer is None else 1)
    assert card.red_flags == ((RedFlag(tag.value, "F"),) if flagged else ())


def test_red_flags_name_every_tag_and_skip_other_tags_and_inapplicable_questions():
    questionnaire = qnr(
        sec(
            "s",
            1,
            QuestionSpec("A", "boolean", tags={"sla_remedy", "handoff"}),
            QuestionSpec("B", "boolean", tags={"pricing"}),
            QuestionSpec("C", "boolean", tags={"sample_report"}, industries={"legal"}),
            QuestionSpec("D", "boolean", tags={"industry_references"}),
        )
    )
    [card] = score_evaluation(
        questionnaire, EvaluationSpec(), [cand(answers={"A": False, "D": True})]
    )
    assert card.red_flags == (RedFlag("handoff", "A"), RedFlag("sla_remedy", "A"))


# ---------------------------------------------------------------- ranking


def ranking_questionnaire():
    return qnr(
        sec(
            "s",
            1,
            QuestionSpec("K", "boolean", weight=Decimal("0.000001"), knockout=True),
            QuestionSpec("N", "number", weight=1, bands=((None, 0.0),)),
        )
    )


def scored(cid, name, x, knockout=True):
    return cand(cid, name, answers={"K": knockout}, overrides={"N": x})


def test_ranking_competition_1224_disqualified_last_name_tiebreak():
    candidates = [
        scored(1, "Delta", 0.5),
        scored(2, "bravo", 0.8),
        scored(3, "Alpha", 0.8),
        scored(4, "Echo", 0.99, knockout=False),
        scored(5, "Charlie", 0.8),
        scored(6, "Foxtrot", 0.1, knockout=False),
        scored(7, "Golf", 0.99, knockout=False),
    ]
    cards = score_evaluation(ranking_questionnaire(), EvaluationSpec(), candidates)
    assert [(c.name, c.rank) for c in cards] == [
        ("Alpha", 1),
        ("bravo", 1),
        ("Charlie", 1),
        ("Delta", 4),
        ("Echo", 5),
        ("Golf", 5),
        ("Foxtrot", 7),
    ]
    assert [c.disqualified for c in cards] == [False] * 4 + [True] * 3


def test_ranking_uses_rounded_overall():
    # 80.004... and 79.996... both round to 80.00: a shared rank, then by name.
    candidates = [scored(1, "Zulu", 0.80004), scored(2, "Yankee", 0.79996)]
    cards = score_evaluation(ranking_questionnaire(), EvaluationSpec(), candidates)
    assert [(c.name, c.rank, c.overall) for c in cards] == [("Yankee", 1, 80.0), ("Zulu", 1, 80.0)]
    assert cards[1].overall_exact > cards[0].overall_exact


def test_ranking_is_independent_of_input_order_and_ids_break_full_ties():
    candidates = [scored("b", "Same", 0.5), scored("a", "Same", 0.5), scored(3, "Same", 0.5)]
    forward = score_evaluation(ranking_questionnaire(), EvaluationSpec(), candidates)
    backward = score_evaluation(ranking_questionnaire(), EvaluationSpec(), candidates[::-1])
    assert [c.candidate_id for c in forward] == [c.candidate_id for c in backward] == [3, "a", "b"]
    assert {c.rank for c in forward} == {1}


def test_score_candidate_has_no_rank_and_duplicate_ids_raise():
    questionnaire, candidate = worked_example()
    plan = applicable_plan(questionnaire, EvaluationSpec())
    assert score_candidate(plan, candidate).rank is None
    with pytest.raises(ValueError, match="unique"):
        score_evaluation(questionnaire, EvaluationSpec(), [candidate, candidate])


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.125, 2, 0.12),
        (0.135, 2, 0.14),
        (2.675, 2, 2.68),  # builtin round() gives 2.67 (binary value below the tie)
        (12.345, 2, 12.34),  # builtin round() gives 12.35
        (47.505, 2, 47.5),
        (0.00005, 4, 0.0),
        (0.00015, 4, 0.0002),
        (0.12345, 4, 0.1234),
        (99.999, 2, 100.0),
        (-0.0, 2, 0.0),
    ],
)
def test_round_half_even(value, places, expected):
    result = round_half_even(value, places)
    assert result == expected and math.copysign(1, result) == 1


@pytest.mark.parametrize(("x", "overall"), [(0.02675, 2.68), (0.12345, 12.34), (0.01005, 1.0)])
def test_scorecard_rounds_overall_and_section_half_even(x, overall):
    [card] = score_evaluation(
        qnr(sec("s", 1, QuestionSpec("Q", "text"))), EvaluationSpec(), [cand(overrides={"Q": x})]
    )
    assert card.overall == overall and card.sections[0].score == overall
    assert card.to_dict()["overall"] == overall


def test_completeness_rounds_half_even():
    questionnaire = qnr(
        sec(
            "s",
            1,
            QuestionSpec("A", "boolean", weight=0.12345),
            QuestionSpec("B", "boolean", weight=0.87655),
        )
    )
    [card] = score_evaluation(questionnaire, EvaluationSpec(), [cand(answers={"A": False})])
    assert card.completeness_exact == 0.12345
    assert card.completeness == 0.1234
    assert card.to_dict()["questions"][0]["effective_weight"] == 0.1234


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "build",
    [
        lambda: QuestionSpec("Q", "essay"),
        lambda: QuestionSpec("Q", "boolean", scoring="manual"),
        lambda: QuestionSpec("Q", "scale", scale_max=11),
        lambda: QuestionSpec("Q", "scale", scale_max=0),
        lambda: QuestionSpec("Q", "boolean", weight=-1),
        lambda: QuestionSpec("Q", "single_choice", options=[("a", 1.5)]),
        lambda: QuestionSpec("Q", "single_choice", options=[("a", 1), ("a", 0)]),
        lambda: QuestionSpec("Q", "number", bands=[(None, 2)]),
        lambda: QuestionSpec("Q", "boolean", tags="soc_ownership"),
        lambda: SectionSpec("s", weight=math.nan),
        lambda: qnr(
            sec("a", 1, QuestionSpec("Q", "boolean")), sec("b", 1, QuestionSpec("Q", "text"))
        ),
        lambda: qnr(sec("a", 1), sec("a", 1)),
        lambda: EvaluationSpec(aggregation="mode"),
        lambda: EvaluationSpec(section_weights={"a": -1}),
        lambda: CandidateInput(True, "x"),
    ],
)
def test_invalid_specs_raise(build):
    with pytest.raises(ValueError):
        build()

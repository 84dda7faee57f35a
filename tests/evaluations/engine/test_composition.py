"""Composing a base questionnaire with packs, as plain data (no database)."""

import pytest

from evaluations.engine.composition import Clash, Part, Source, clashes, compose
from evaluations.engine.scoring import (
    CandidateInput,
    EvaluationSpec,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    applicable_plan,
    score_candidate,
)

BASE = Source("provider-vetting", 2)
HEALTH = Source("pack-healthcare", 1)
LEGAL = Source("pack-legal", 3)


def part(source, sections, questions):
    return Part(source, tuple(sections), tuple(questions))


def spec(*sections):
    return QuestionnaireSpec(
        sections=tuple(
            SectionSpec(
                code, weight=weight, questions=tuple(QuestionSpec(q, "boolean") for q in qs)
            )
            for code, weight, qs in sections
        )
    )


def test_disjoint_parts_do_not_clash():
    parts = [
        part(BASE, ["soc", "sla"], ["SOC-01", "SLA-01"]),
        part(HEALTH, ["ephi"], ["HC-01"]),
        part(LEGAL, ["client-data"], ["LEG-01"]),
    ]
    assert clashes(parts) == []
    assert clashes([]) == []


def test_a_clash_names_the_code_and_both_sources():
    parts = [
        part(BASE, ["soc"], ["SOC-01"]),
        part(HEALTH, ["ephi", "soc"], ["HC-01"]),
        part(LEGAL, ["client-data"], ["HC-01", "SOC-01"]),
    ]
    assert clashes(parts) == [
        Clash("section", "soc", BASE, HEALTH),
        Clash("question", "HC-01", HEALTH, LEGAL),
        Clash("question", "SOC-01", BASE, LEGAL),
    ]
    assert clashes(parts)[1].message == (
        "Question code `HC-01` is in both pack-healthcare v1 and pack-legal v3; a code may "
        "occur once in the evaluation's question set."
    )


def test_a_code_in_three_parts_clashes_against_the_first_each_time():
    parts = [part(BASE, ["x"], []), part(HEALTH, ["x"], []), part(LEGAL, ["x"], [])]
    assert clashes(parts) == [
        Clash("section", "x", BASE, HEALTH),
        Clash("section", "x", BASE, LEGAL),
    ]


def test_two_versions_of_one_questionnaire_clash_by_number():
    again = Source("provider-vetting", 3)
    [clash] = clashes([part(BASE, ["soc"], []), part(again, ["soc"], [])])
    assert "provider-vetting v2 and provider-vetting v3" in clash.message


def test_compose_keeps_the_base_first_then_packs_in_order():
    composed = compose(
        [spec(("soc", 3, ["SOC-01"])), spec(("b", 1, ["B-01"])), spec(("a", 2, ["A-01"]))]
    )
    assert [s.code for s in composed.sections] == ["soc", "b", "a"]
    assert [q.code for s in composed.sections for q in s.questions] == ["SOC-01", "B-01", "A-01"]


def test_compose_refuses_a_clash():
    with pytest.raises(ValueError, match="unique"):
        compose([spec(("soc", 1, ["Q"])), spec(("other", 1, ["Q"]))])


def test_the_composed_set_is_scored_as_one_questionnaire():
    """Base W=3 with SOC-01 true and SOC-02 false, pack W=1 with HC-01 true:
    overall = 100 * (3 * 0.5 + 1 * 1) / 4 = 62.5."""
    composed = compose([spec(("soc", 3, ["SOC-01", "SOC-02"])), spec(("ephi", 1, ["HC-01"]))])
    plan = applicable_plan(composed, EvaluationSpec())
    answers = {"SOC-01": True, "SOC-02": False, "HC-01": True}
    card = score_candidate(plan, CandidateInput(id=1, name="Acme", answers=answers))
    assert card.overall == 62.5
    assert [s.code for s in card.sections] == ["soc", "ephi"]

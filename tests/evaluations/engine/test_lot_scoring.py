"""Per-lot scorecards (docs/scoring.md v2 "Lots and bids") on top of the v1 engine."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.lot_scoring import (
    IMPLICIT_LOT,
    LotNotScorable,
    handoff_weak,
    lot_bids,
    lot_spec,
    score_lots,
)
from evaluations.engine.scoring import (
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    score_evaluation,
)
from tests.evaluations.engine.test_scoring_properties import MODELS, cases


def outcome(call):
    try:
        return call()
    except NotScorable as error:
        return ("not scorable", type(error), str(error))


@settings(max_examples=200, deadline=None)
@given(cases(), st.booleans())
def test_no_lots_is_v1_exactly(case, empty_list):
    questionnaire, evaluation, candidates = case
    lots = [] if empty_list else None
    v1 = outcome(lambda: score_evaluation(questionnaire, evaluation, candidates))
    v2 = outcome(lambda: score_lots(questionnaire, evaluation, lots, candidates, None))
    if isinstance(v1, tuple):
        assert v2 == v1
    else:
        assert v2 == {IMPLICIT_LOT: v1}
        assert [c.to_dict() for c in v2[IMPLICIT_LOT]] == [c.to_dict() for c in v1]


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_each_lot_is_v1_over_its_bidders_with_its_models(case, data):
    questionnaire, evaluation, candidates = case
    split = data.draw(st.lists(st.integers(0, 2), min_size=len(MODELS), max_size=len(MODELS)))
    groups = {}
    for model, group in zip(MODELS, split, strict=True):
        groups.setdefault(f"lot{group}", set()).add(model)
    lots = [LotInput(code, 1, models) for code, models in sorted(groups.items())]
    codes = [lot.code for lot in lots]
    bids = {c.id: set(data.draw(st.sets(st.sampled_from(codes), min_size=1))) for c in candidates}
    result = outcome(lambda: score_lots(questionnaire, evaluation, lots, candidates, bids))
    expected = {}
    for lot in lots:
        spec = replace(evaluation, required_service_models=frozenset(lot.service_models))
        bidders = [c for c in candidates if lot.code in bids[c.id]]
        expected[lot.code] = outcome(
            lambda spec=spec, bidders=bidders: score_evaluation(questionnaire, spec, bidders)
        )
    refused = [code for code, cards in expected.items() if isinstance(cards, tuple)]
    if refused:  # the first unscorable lot stops the request
        assert result[:2] == ("not scorable", LotNotScorable)
        assert result[2].startswith(f"Lot {refused[0]} cannot be scored")
    else:
        assert result == expected


def question(code, **fields):
    return QuestionSpec(code=code, kind="boolean", **fields)


QUESTIONNAIRE = QuestionnaireSpec(
    (
        SectionSpec(
            "soc",
            weight=2,
            questions=(
                question("SOC-1", applies_to={"mssp"}, knockout=True),
                question("SOC-2", applies_to={"mssp"}),
            ),
        ),
        SectionSpec(
            "gov",
            weight=1,
            questions=(
                question("GOV-1"),
                question("HND-1", tags={"handoff"}, applies_to={"vciso", "mssp"}),
            ),
        ),
        SectionSpec("vc", weight=1, questions=(question("VC-1", applies_to={"vciso"}),)),
    )
)
EVALUATION = EvaluationSpec(required_service_models={"msp", "mssp", "vciso"})
LOTS = [LotInput("msp", 1, {"msp"}), LotInput("soc", 1, {"mssp"}), LotInput("vciso", 1, {"vciso"})]


def test_a_lot_scores_only_its_questions():
    advisor = CandidateInput(1, "Advisor", {"GOV-1": True, "VC-1": True, "HND-1": False})
    msp = CandidateInput(2, "Helpdesk", {"GOV-1": True})
    cards = score_lots(QUESTIONNAIRE, EVALUATION, LOTS, [advisor, msp], {1: {"vciso"}, 2: {"msp"}})
    assert set(cards) == {"msp", "soc", "vciso"} and cards["soc"] == []
    (vciso,) = cards["vciso"]
    assert [q.code for q in vciso.questions] == ["GOV-1", "HND-1", "VC-1"]
    assert vciso.overall_exact == 100 * (1 * 0.5 + 1 * 1) / 2  # sections gov 0.5, vc 1
    (helpdesk,) = cards["msp"]
    # Never knocked out for lacking the SOC it does not sell: SOC-1 is not applicable here.
    assert [q.code for q in helpdesk.questions] == ["GOV-1"]
    assert not helpdesk.disqualified and helpdesk.overall == 100.0
    assert helpdesk.rank == 1 and vciso.rank == 1


def test_lots_rank_over_their_own_bidders():
    a = CandidateInput(1, "A", {"SOC-1": True, "SOC-2": False, "GOV-1": True, "HND-1": True})
    b = CandidateInput(2, "B", {"SOC-1": False, "SOC-2": True, "GOV-1": True, "HND-1": True})
    c = CandidateInput(3, "C", {"GOV-1": False})
    cards = score_lots(
        QUESTIONNAIRE, EVALUATION, LOTS, [a, b, c], {1: {"soc"}, 2: {"soc"}, 3: {"msp", "soc"}}
    )
    soc = cards["soc"]
    assert [(card.name, card.rank, card.disqualified) for card in soc] == [
        ("A", 1, False),
        ("B", 2, True),
        ("C", 3, True),
    ]
    assert [(card.name, card.overall) for card in cards["msp"]] == [("C", 0.0)]


def test_a_lot_without_applicable_section_is_refused_by_name():
    lots = [*LOTS, LotInput("noc", 1, {"noc"})]
    evaluation = EvaluationSpec(
        required_service_models={"msp", "mssp", "vciso", "noc"}, excluded_questions={"GOV-1"}
    )
    with pytest.raises(LotNotScorable, match="Lot msp cannot be scored") as error:
        score_lots(QUESTIONNAIRE, evaluation, lots, [], {})
    assert error.value.lot == "msp"
    assert isinstance(error.value, NotScorable)


def test_bids_are_checked():
    a = CandidateInput(1, "A")
    with pytest.raises(ValueError, match="candidate 1 bids on no lot"):
        score_lots(QUESTIONNAIRE, EVALUATION, LOTS, [a], {})
    with pytest.raises(ValueError, match="unknown lots"):
        score_lots(QUESTIONNAIRE, EVALUATION, LOTS, [a], {1: {"nope"}})
    with pytest.raises(ValueError, match="lot codes must be unique"):
        score_lots(QUESTIONNAIRE, EVALUATION, [LOTS[0], LOTS[0]], [a], {1: {"msp"}})


def test_lot_spec_keeps_everything_but_the_models():
    evaluation = EvaluationSpec(
        required_service_models={"msp", "vciso"},
        industry="legal",
        section_weights={"soc": 3},
        excluded_questions={"GOV-1"},
        aggregation="median",
    )
    spec = lot_spec(evaluation, {"vciso"})
    assert spec == replace(evaluation, required_service_models=frozenset({"vciso"}))


@pytest.mark.parametrize(
    ("answers", "weak"),
    [({"HND-1": True}, False), ({"HND-1": False}, True), ({}, True)],
)
def test_handoff_weak(answers, weak):
    cards = score_lots(
        QUESTIONNAIRE, EVALUATION, LOTS, [CandidateInput(1, "A", answers)], {1: {"vciso", "msp"}}
    )
    assert handoff_weak(cards["vciso"][0], QUESTIONNAIRE) is weak
    assert any(flag.tag == "handoff" for flag in cards["vciso"][0].red_flags) is weak
    # HND-1 is not applicable in the msp lot, so it is never weak there.
    assert handoff_weak(cards["msp"][0], QUESTIONNAIRE) is False


def test_lot_bids_carry_exact_overall_and_flags():
    a = CandidateInput(1, "A", {"SOC-1": False, "SOC-2": True, "GOV-1": True})
    cards = score_lots(QUESTIONNAIRE, EVALUATION, LOTS, [a], {1: {"soc", "vciso"}})
    soc = cards["soc"][0]
    assert lot_bids(cards, QUESTIONNAIRE) == [
        LotBid(1, "A", "soc", soc.overall_exact, True, True),
        LotBid(1, "A", "vciso", cards["vciso"][0].overall_exact, False, True),
    ]

"""Scoring through the database: the worked example, versions, hashes, query counts."""

import pytest

from evaluations.models import Answer, Override, Rating, Scorecard
from evaluations.services import scoring
from questionnaires.models import Question
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory


def answer(candidate, code, value):
    question = Question.objects.get(version=candidate.evaluation.questionnaire_version, code=code)
    return Answer.objects.create(candidate=candidate, question=question, value=value)


def rate(candidate, code, scores):
    question = Question.objects.get(version=candidate.evaluation.questionnaire_version, code=code)
    for score in scores:
        evaluator = assign(
            candidate.evaluation,
            MembershipFactory(organization=candidate.evaluation.organization, role="evaluator"),
        )
        Rating.objects.create(
            candidate=candidate, question=question, evaluator=evaluator, score=score
        )


@pytest.fixture
def worked_example(organization):
    version = make_version(organization)
    provider = ProviderFactory(organization=organization, name="Acme Security")
    evaluation = make_evaluation(organization, version, providers=[provider])
    candidate = evaluation.candidates.get()
    answer(candidate, "SOC-01", "white_label")
    answer(candidate, "SOC-02", True)
    rate(candidate, "REP-01", [4, 2])
    return evaluation, candidate


@pytest.mark.django_db
class TestScoringService:
    def test_worked_example_is_stored_to_the_letter(self, worked_example):
        evaluation, _candidate = worked_example
        result = scoring.score_evaluation(evaluation.pk)
        card = Scorecard.objects.get(pk=result["created"][0])
        assert (card.overall, card.completeness, card.disqualified) == (47.5, 0.875, False)
        assert card.version == 1 and card.is_latest
        assert card.effective_section_weights == {"soc": 3.0, "rep": 1.0}
        questions = {q["code"]: q for q in card.details["questions"]}
        assert {c: q["effective_weight"] for c, q in questions.items()} == {
            "SOC-01": 0.5,
            "SOC-02": 0.25,
            "REP-01": 0.125,
            "REP-02": 0.125,
        }
        assert questions["REP-01"]["x"] == 0.6 and questions["REP-01"]["disagreement"]
        assert questions["REP-02"]["answered"] is False
        assert card.details["red_flags"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
        sections = {s["code"]: s["score"] for s in card.details["sections"]}
        assert sections == {"soc": 53.33, "rep": 30.0}

    def test_same_inputs_make_no_new_version(self, worked_example):
        evaluation, _ = worked_example
        first = scoring.score_evaluation(evaluation.pk)
        again = scoring.score_evaluation(evaluation.pk)
        assert again["created"] == [] and again["unchanged"] == first["created"]
        assert Scorecard.objects.count() == 1

    def test_changed_inputs_make_a_new_version_and_keep_the_old(self, worked_example):
        evaluation, candidate = worked_example
        scoring.score_evaluation(evaluation.pk)
        question = Question.objects.get(version=evaluation.questionnaire_version, code="REP-02")
        Override.objects.create(
            candidate=candidate, question=question, score=1.0, rationale="Saw the report in person."
        )
        scoring.score_evaluation(evaluation.pk)
        v1, v2 = Scorecard.objects.order_by("version")
        assert (v1.version, v1.is_latest, v1.overall) == (1, False, 47.5)
        assert (v2.version, v2.is_latest) == (2, True)
        assert v2.overall == 60.0  # REP-02 now contributes 100 * 0.125
        assert v1.input_hash != v2.input_hash

    def test_knockout_failure_disqualifies(self, worked_example):
        evaluation, candidate = worked_example
        Answer.objects.filter(candidate=candidate, question__code="SOC-02").update(value=False)
        scoring.score_evaluation(evaluation.pk)
        card = Scorecard.objects.get()
        assert card.disqualified and card.details["failed_knockouts"] == ["SOC-02"]

    def test_query_count_does_not_grow_with_the_evaluation(self, organization, count_queries):
        def build(candidates, questions_per_section):
            sections = [
                {
                    "code": f"s{i}",
                    "weight": 1,
                    "questions": [
                        {"code": f"Q{i}-{j}", "kind": "scale", "scoring": "judged"}
                        for j in range(questions_per_section)
                    ],
                }
                for i in range(3)
            ]
            version = make_version(organization, sections, code=f"v{candidates}")
            providers = [ProviderFactory(organization=organization) for _ in range(candidates)]
            evaluation = make_evaluation(organization, version, providers=providers)
            evaluators = [
                assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
                for _ in range(2)
            ]
            questions = list(version.questions.all())
            Rating.objects.bulk_create(
                Rating(candidate=c, question=q, evaluator=e, score=3)
                for c in evaluation.candidates.all()
                for q in questions
                for e in evaluators
            )
            return evaluation

        small, large = build(2, 2), build(8, 10)
        with count_queries() as few:
            scoring.score_evaluation(small.pk)
        with count_queries() as many:
            scoring.score_evaluation(large.pk)
        assert len(few) == len(many)
        assert Scorecard.objects.filter(evaluation=large).count() == 8

"""Scoring through the database: the worked example, versions, hashes, query counts."""

import json

import pytest

from evaluations.engine.scoring import applicable_plan, score_candidate
from evaluations.models import Answer, Override, Rating, Scorecard
from evaluations.services import scoring
from questionnaires.models import Question
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory
from tests.services import require_postgres


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
    submit_sheets(candidate.evaluation)


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
        questions = {q["code"]: q for q in card.question_results}
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
            submit_sheets(evaluation)
            return evaluation

        small, large = build(2, 2), build(8, 10)
        with count_queries() as few:
            scoring.score_evaluation(small.pk)
        with count_queries() as many:
            scoring.score_evaluation(large.pk)
        assert len(few) == len(many)
        assert Scorecard.objects.filter(evaluation=large).count() == 8
        # Rescoring with changed ratings supersedes every latest version.
        Rating.objects.update(score=4)
        with count_queries() as few_again:
            scoring.score_evaluation(small.pk)
        with count_queries() as many_again:
            scoring.score_evaluation(large.pk)
        assert len(few_again) == len(many_again)
        assert Scorecard.objects.filter(evaluation=large, is_latest=False).count() == 8
        # Latest versions are compared by hash: their explanations are never read.
        reads = [q["sql"] for q in many_again if q["sql"].startswith("SELECT")]
        assert not [sql for sql in reads if '"evaluations_scorecard"."details"' in sql]

    def test_the_api_explains_exactly_what_the_engine_does(self, worked_example, admin_client):
        evaluation, _candidate = worked_example
        result = scoring.score_evaluation(evaluation.pk)
        inputs = scoring.load_inputs(evaluation)
        plan = applicable_plan(inputs.questionnaire, inputs.settings)
        expected = json.loads(json.dumps(score_candidate(plan, inputs.candidates[0]).to_dict()))
        response = admin_client.get(f"/api/v1/scorecards/{result['created'][0]}/")
        assert response.status_code == 200
        body = response.json()
        assert body["questions"] == expected["questions"]
        assert [list(q) for q in body["questions"]] == [list(q) for q in expected["questions"]]
        assert body["sections"] == expected["sections"]


def rated_evaluation(organization):
    """Two candidates, three judged questions, three evaluators who rate some of them."""
    sections = [
        {
            "code": "s",
            "questions": [
                {"code": f"J{i}", "kind": "scale", "scoring": "judged", "scale_max": 10}
                for i in range(3)
            ],
        }
    ]
    version = make_version(organization, sections, code="rated")
    providers = [ProviderFactory(organization=organization) for _ in range(2)]
    evaluation = make_evaluation(organization, version, providers=providers)
    evaluators = [
        assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for _ in range(3)
    ]
    questions = list(version.questions.order_by("code"))
    expected = {}
    for c, candidate in enumerate(evaluation.candidates.order_by("pk")):
        for q, question in enumerate(questions):
            # Scores given out of order; J2 of the second candidate is unrated.
            scores = [(7 * (c + q) + 5 * e) % 11 for e in range(3 - c - q)]
            for evaluator, score in zip(evaluators, scores, strict=False):
                Rating.objects.create(
                    candidate=candidate, question=question, evaluator=evaluator, score=score
                )
            if scores:
                expected[(candidate.pk, question.pk)] = sorted(scores)
    submit_sheets(evaluation)
    return evaluation, expected


def grouped(rows):
    return {(candidate, question): list(scores) for candidate, question, scores in rows}


@pytest.mark.django_db
class TestRatingsLoad:
    def test_grouped_here_they_come_sorted_per_candidate_and_question(self, organization):
        evaluation, expected = rated_evaluation(organization)
        ratings = Rating.objects.filter(candidate__evaluation=evaluation)
        assert any(scores != sorted(scores, reverse=True) for scores in expected.values())
        assert grouped(scoring.sorted_ratings_in_python(ratings)) == expected

    def test_grouped_by_postgresql_they_are_the_same(self, organization):
        require_postgres()  # array aggregation is the PostgreSQL path
        evaluation, expected = rated_evaluation(organization)
        ratings = Rating.objects.filter(candidate__evaluation=evaluation)
        assert grouped(scoring.sorted_ratings_in_sql(ratings)) == expected

    def test_candidates_get_them_by_question_code(self, organization):
        evaluation, expected = rated_evaluation(organization)
        codes = dict(Question.objects.values_list("pk", "code"))
        inputs = scoring.load_inputs(evaluation)
        loaded = {
            (candidate.id, code): list(scores)
            for candidate in inputs.candidates
            for code, scores in candidate.ratings.items()
        }
        assert loaded == {(c, codes[q]): scores for (c, q), scores in expected.items()}

"""A comparison report is built in the same number of queries whatever the number
of candidates: no query per scorecard, candidate or rating."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.models import Answer, Evaluation, Rating
from evaluations.services import scoring
from evaluations.services.report_content import build_snapshot
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

SECTIONS = [
    {
        "code": f"s{index}",
        "questions": [
            {
                "code": f"S{index}-CHOICE",
                "kind": "single_choice",
                "tags": ["soc_ownership"],
                "options": [
                    {"value": "own", "label": "Own", "score": 1.0},
                    {"value": "white_label", "label": "White label", "score": 0.3},
                ],
            },
            {"code": f"S{index}-KO", "kind": "boolean", "knockout": True},
            {"code": f"S{index}-JUDGED", "kind": "scale", "scoring": "judged", "scale_max": 5},
        ],
    }
    for index in range(4)
]


def report_queries(organization, candidates: int) -> tuple[int, dict]:
    version = make_version(organization, SECTIONS, code=f"queries{candidates}")
    providers = [ProviderFactory(organization=organization) for _ in range(candidates)]
    evaluation = make_evaluation(organization, version, providers=providers)
    evaluators = [
        assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for _ in range(2)
    ]
    questions = list(version.questions.all())
    for position, candidate in enumerate(evaluation.candidates.order_by("pk")):
        for question in questions:
            if question.kind == "single_choice":
                value = "white_label" if position % 2 else "own"
            elif question.kind == "boolean":
                value = position % 3 != 0
            else:
                value = None
            if value is not None:
                Answer.objects.create(candidate=candidate, question=question, value=value)
            if question.scoring == "judged":
                for offset, evaluator in enumerate(evaluators):
                    Rating.objects.create(
                        candidate=candidate,
                        question=question,
                        evaluator=evaluator,
                        score=(position + offset * 3) % 6,
                    )
    submit_sheets(evaluation)
    scoring.score_evaluation(evaluation.pk)
    evaluation = Evaluation.objects.select_related(
        "questionnaire_version__questionnaire", "needs_assessment"
    ).get(pk=evaluation.pk)
    with CaptureQueriesContext(connection) as captured:
        snapshot = build_snapshot(
            evaluation, seed=1, trials=100, spread=0.25, generated_at=timezone.now()
        )
    return len(captured), snapshot


@pytest.mark.django_db
def test_report_queries_do_not_grow_with_candidates(organization):
    small, small_snapshot = report_queries(organization, 2)
    large, large_snapshot = report_queries(organization, 9)
    # The snapshots hold every candidate, their red flags, disagreements and ratings,
    # so the equal counts are not from work left out.
    assert len(small_snapshot["candidates"]) == 2
    assert len(large_snapshot["candidates"]) == 9
    assert large_snapshot["disagreement"]["ratings"] == 9 * 4 * 2
    assert any(c["red_flags"] for c in large_snapshot["candidates"])
    assert large == small

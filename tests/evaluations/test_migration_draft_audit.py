"""Migration 0005: audit events of draft ratings (which showed admins the evaluator
and the score before submission) are dropped; those of submitted sheets stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluations.models import AuditEvent, Rating, RatingSheet
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

BEFORE = ("evaluations", "0004_scorecard_question_columns")
AFTER = ("evaluations", "0005_drop_draft_rating_audit_events")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_events_of_draft_ratings_are_dropped(organization):
    version = make_version(organization)
    evaluation = make_evaluation(
        organization, version, providers=[ProviderFactory(organization=organization)]
    )
    candidate = evaluation.candidates.get()
    question = version.questions.get(code="REP-01")
    submitted, draft = (
        assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for _ in range(2)
    )
    for evaluator in (submitted, draft):
        Rating.objects.create(candidate=candidate, question=question, evaluator=evaluator, score=2)
    RatingSheet.objects.create(candidate=candidate, evaluator=submitted)

    def event(action, old=None, new=None):
        return AuditEvent.objects.create(
            evaluation=evaluation, action=action, candidate=candidate, old_value=old, new_value=new
        ).pk

    kept = {
        event("rating.set", new={"evaluator": submitted.pk, "score": 2}),
        event("answer.set", new=True),
        event("sheet.submitted", new={"evaluator": submitted.pk}),
    }
    event("rating.set", new={"evaluator": draft.pk, "score": 1})
    event(
        "rating.set",
        old={"evaluator": draft.pk, "score": 1},
        new={"evaluator": draft.pk, "score": 2},
    )
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([BEFORE])
        migrate([AFTER])
    finally:
        migrate(leaves)
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == kept

"""Migration 0004: stored explanations go to question columns and back, unchanged."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluations.engine.scoring import applicable_plan, score_candidate
from evaluations.models import Scorecard
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory

BEFORE = ("evaluations", "0003_scorecard_flag_columns")
AFTER = ("evaluations", "0004_scorecard_question_columns")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


def migrate_to_latest():
    """Leave the database as the other tests expect it: every later migration too,
    of every app (going back unapplied those of apps that depend on evaluations)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def column_type():
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor, "evaluations_scorecard"
        )
    return next(column for column in description if column.name == "details").type_code


@pytest.mark.django_db(transaction=True)
def test_explanations_are_converted_both_ways(organization):
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization) for _ in range(2)]
    evaluation = make_evaluation(organization, version, providers=providers)
    scoring.score_evaluation(evaluation.pk)
    inputs = scoring.load_inputs(evaluation)
    plan = applicable_plan(inputs.questionnaire, inputs.settings)
    explained = {
        candidate.id: json.loads(json.dumps(score_candidate(plan, candidate).to_dict()))
        for candidate in inputs.candidates
    }
    stored = dict(Scorecard.objects.values_list("candidate_id", "details"))
    current_type = column_type()
    try:
        old_apps = migrate(BEFORE)
        old_rows = old_apps.get_model("evaluations", "Scorecard").objects
        assert dict(old_rows.values_list("candidate_id", "details")) == explained
        if connection.vendor == "postgresql":
            assert column_type() != current_type  # back to jsonb
    finally:
        new_apps = migrate(AFTER)
    try:
        new_rows = new_apps.get_model("evaluations", "Scorecard").objects
        assert dict(new_rows.values_list("candidate_id", "details")) == stored
        assert column_type() == current_type
    finally:
        migrate_to_latest()
    assert dict(Scorecard.objects.values_list("candidate_id", "details")) == stored

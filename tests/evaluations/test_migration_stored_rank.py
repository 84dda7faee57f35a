"""Migration 0005: existing scorecards get their rank and come once more in sync."""

import pytest

from evaluations.models import Scorecard
from evaluations.selectors import latest_ranked
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.test_migration_question_columns import migrate, migrate_to_latest
from tests.providers.factories import ProviderFactory

BEFORE = ("evaluations", "0004_scorecard_question_columns")
AFTER = ("evaluations", "0005_scorecard_stored_rank")


@pytest.mark.django_db(transaction=True)
def test_ranks_are_filled_and_every_scorecard_is_restamped(organization):
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization) for _ in range(3)]
    evaluation = make_evaluation(organization, version, providers=providers)
    scoring.score_evaluation(evaluation.pk)
    evaluation.section_weights = {"soc": 5}
    evaluation.save()
    scoring.score_evaluation(evaluation.pk)  # superseded versions too
    expected = {card.pk: rank for rank, card in latest_ranked(evaluation)}
    stamps = dict(Scorecard.objects.values_list("pk", "updated_at"))
    try:
        migrate(BEFORE)
        migrate(AFTER)
    finally:
        migrate_to_latest()
    rows = Scorecard.objects.values_list("pk", "is_latest", "rank", "updated_at")
    assert {pk: rank for pk, latest, rank, _ in rows if latest} == expected
    assert all(rank is None for _, latest, rank, _ in rows if not latest)
    assert all(stamp > stamps[pk] for pk, _, _, stamp in rows)

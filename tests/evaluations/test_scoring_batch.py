"""What scoring stores is what the engine gives, written either way.

On the built-in vetting questionnaire (every kind of answer, ratings, an
override, unanswered questions), the stored explanation text is byte-equal to
the reference engine's ``score_candidate`` + ``stored_details`` encoded as the
column encodes it; and on PostgreSQL, the rows written with ``COPY`` are
byte-equal to those ``bulk_create`` writes.
"""

import json

import pytest
from django.db import connection

from evaluations.engine.scorecard_details import stored_details
from evaluations.engine.scoring import applicable_plan, score_candidate
from evaluations.models import Scorecard
from evaluations.services import scoring
from tests.evaluations.v1_baseline import build
from tests.services import require_postgres

# Every column but the id and the timestamps.
ROWS = (
    "COPY (SELECT evaluation_id, candidate_id, lot, version, is_latest, rank, input_hash,"
    " engine_version, questionnaire_version_id, pack_versions, aggregation,"
    " effective_section_weights, overall, completeness, disqualified, failed_knockouts,"
    " red_flags, details FROM evaluations_scorecard WHERE evaluation_id = %s"
    " ORDER BY candidate_id, lot) TO STDOUT"
)
TEXT = {  # PostgreSQL's driver parses json: ask for its text
    "postgresql": "SELECT details::text FROM evaluations_scorecard WHERE id = %s",
    "sqlite": "SELECT details FROM evaluations_scorecard WHERE id = %s",
}


def stored_text(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(TEXT[connection.vendor], [pk])
        return cursor.fetchone()[0]


def stored_rows(evaluation) -> bytes:
    """The evaluation's scorecard rows as PostgreSQL's COPY prints them."""
    out = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(ROWS, (evaluation.pk,)) as copy:
        for block in copy:
            out += block
    return bytes(out)


@pytest.mark.django_db
def test_the_builtin_questionnaire_stores_the_reference_bytes(organization):
    evaluation = build(organization)
    result = scoring.score_evaluation(evaluation.pk)
    inputs = scoring.load_inputs(evaluation)
    plan = applicable_plan(inputs.questionnaire, inputs.settings)
    candidates = {candidate.id: candidate for candidate in inputs.candidates}
    cards = Scorecard.objects.filter(pk__in=result["created"])
    assert len(cards) == len(candidates) == 4
    for card in cards:
        reference = score_candidate(plan, candidates[card.candidate_id])
        assert stored_text(card.pk) == json.dumps(stored_details(reference), separators=(",", ":"))
        assert (card.overall, card.completeness) == (reference.overall, reference.completeness)
        assert card.red_flags == [flag.to_dict() for flag in reference.red_flags]
        assert card.failed_knockouts == list(reference.failed_knockouts)


@pytest.mark.django_db
def test_copy_writes_the_rows_bulk_create_writes(organization, monkeypatch):
    require_postgres()  # COPY is the PostgreSQL path
    evaluation = build(organization)
    scoring.score_evaluation(evaluation.pk)
    copied = stored_rows(evaluation)
    Scorecard.objects.filter(evaluation=evaluation).delete()
    monkeypatch.setattr(scoring, "insert_scorecards", Scorecard.objects.bulk_create)
    assert len(scoring.score_evaluation(evaluation.pk)["created"]) == 4
    assert stored_rows(evaluation) == copied and len(copied) > 10_000

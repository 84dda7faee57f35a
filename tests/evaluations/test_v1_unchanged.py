"""An evaluation without lots scores exactly as before lots existed.

The expected figures and explanation digests in
``data/v1_builtin_scorecards.json`` were taken by running ``v1_baseline`` with
the code from before lots (commit 0833cd2); the input hash is checked against
v1's payload, written out here independently of the service.
"""

import hashlib
import json
from pathlib import Path

import pytest

from evaluations.engine.scoring import ENGINE_VERSION
from evaluations.models import Scorecard
from evaluations.services import scoring
from tests.evaluations.v1_baseline import build, fingerprint

EXPECTED = json.loads((Path(__file__).parent / "data" / "v1_builtin_scorecards.json").read_text())


def v1_payload_hash(evaluation, candidate) -> str:
    payload = {
        "engine": ENGINE_VERSION,
        "questionnaire_version": evaluation.questionnaire_version_id,
        "required_service_models": sorted(evaluation.required_service_models),
        "industry": evaluation.industry,
        "section_weights": evaluation.section_weights,
        "excluded_questions": sorted(evaluation.excluded_questions),
        "aggregation": evaluation.aggregation,
        "name": candidate.name,
        "answers": candidate.answers,
        "ratings": {code: sorted(values) for code, values in candidate.ratings.items()},
        "overrides": candidate.overrides,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.django_db
class TestEvaluationWithoutLots:
    def test_scorecards_are_byte_identical_to_v1(self, organization):
        evaluation = build(organization)
        scoring.score_evaluation(evaluation.pk)
        assert fingerprint(evaluation) == EXPECTED
        assert set(Scorecard.objects.values_list("lot", flat=True)) == {"all"}

    def test_input_hashes_are_v1_hashes(self, organization):
        evaluation = build(organization)
        scoring.score_evaluation(evaluation.pk)
        inputs = scoring.load_inputs(evaluation)
        stored = dict(Scorecard.objects.values_list("candidate_id", "input_hash"))
        assert stored == {c.id: v1_payload_hash(evaluation, c) for c in inputs.candidates}

    def test_rescoring_creates_nothing(self, organization):
        evaluation = build(organization)
        scoring.score_evaluation(evaluation.pk)
        again = scoring.score_evaluation(evaluation.pk)
        assert again["created"] == [] and len(again["unchanged"]) == len(EXPECTED)

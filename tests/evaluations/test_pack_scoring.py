"""Pack questions are answered, rated, overridden, scored and reported like the base's.

The expected figures are worked out by hand below from docs/scoring.md: the
worked example's base (soc W=3, rep W=1) followed by a pack section hc (W=2).
"""

import csv
import hashlib
import io
import json

import pytest

from accounts.models import Role
from evaluations.engine.scoring import ENGINE_VERSION
from evaluations.models import Evaluation, Scorecard
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.packs import LEGAL_PACK, pack_version, pin
from tests.evaluations.test_reports_api import built_report
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

# S_soc = (2 * 0.3 + 1 * 1) / 3          = 0.5333...
# S_rep = (mean(4, 2) / 5 + 0) / 2        = 0.3
# S_hc  = (2 * 1 + 1 * 0.9 + 1 * 2/4) / 4 = 0.85   (HC-02 overridden to 0.9)
# overall = 100 * (3 * 0.5333 + 1 * 0.3 + 2 * 0.85) / 6 = 60.00
# e: SOC-01 3/6*2/3, SOC-02 3/6*1/3, REP-xx 1/6*1/2, HC-01 2/6*2/4, HC-02/03 2/6*1/4
# completeness = 1 - e(REP-02) = 11/12
EXPECTED_SECTIONS = {"soc": 53.33, "rep": 30.0, "hc": 85.0}
EXPECTED_WEIGHTS = {
    "SOC-01": 0.3333,
    "SOC-02": 0.1667,
    "REP-01": 0.0833,
    "REP-02": 0.0833,
    "HC-01": 0.1667,
    "HC-02": 0.0833,
    "HC-03": 0.0833,
}
EXPECTED_PACK_QUESTIONS = {
    # code: (x, contribution, overridden, disagreement)
    "HC-01": (1.0, 16.6667, False, False),
    "HC-02": (0.9, 7.5, True, False),
    "HC-03": (0.5, 4.1667, False, True),  # ratings 3 and 1 of 4: spread 0.5
}


def ok(response, status=(200, 201, 202)):
    assert response.status_code in status, response.content[:500]
    return response.json()


@pytest.fixture
def scored(organization, admin_client, make_client, django_capture_on_commit_callbacks):
    """An evaluation of the worked example plus the health pack, run through the API."""
    base = make_version(organization, code="vetting")
    health = pack_version(organization)
    body = {"name": "With a pack", "questionnaire_version": base.pk, "packs": [health.pk]}
    evaluation = ok(admin_client.post("/api/v1/evaluations/", body, format="json"))
    url = f"/api/v1/evaluations/{evaluation['id']}/"
    provider = ProviderFactory(organization=organization, name="Acme")
    candidate = ok(admin_client.post(f"{url}candidates/", {"provider": provider.pk}))["id"]
    ok(admin_client.post(f"{url}status/", {"status": "collecting"}, format="json"))
    answers = {"SOC-01": "white_label", "SOC-02": True, "HC-01": True, "HC-02": "b"}
    items = [{"candidate": candidate, "question": q, "value": v} for q, v in answers.items()]
    assert ok(admin_client.post(f"{url}answers/", items, format="json"))["created"] == 4
    for rep, hc in ((4, 3), (2, 1)):
        evaluator = make_client(Role.EVALUATOR, organization)
        member = {"member": evaluator.membership.pk}
        assignment = ok(admin_client.post(f"{url}evaluators/", member, format="json"))
        declaration = {"has_conflict": False, "details": ""}
        ok(evaluator.post(f"{url}evaluators/{assignment['id']}/declaration/", declaration))
        ratings = [
            {"candidate": candidate, "question": "REP-01", "score": rep, "comment": ""},
            {"candidate": candidate, "question": "HC-03", "score": hc, "comment": ""},
        ]
        ok(evaluator.post(f"{url}ratings/", ratings, format="json"))
        ok(evaluator.post(f"{url}ratings/submit/", {"candidate": candidate}, format="json"))
    override = {"candidate": candidate, "question": "HC-02", "score": 0.9, "rationale": "Seen."}
    ok(admin_client.post(f"{url}overrides/", override, format="json"))
    with django_capture_on_commit_callbacks(execute=True):
        ok(admin_client.post(f"{url}score/", {}, format="json"))
    return evaluation["id"], url, base, health


def test_pack_questions_are_scored_with_the_base(scored, admin_client):
    _, url, base, health = scored
    [listed] = admin_client.get(f"{url}scorecards/").json()
    assert (listed["overall"], listed["completeness"], listed["disqualified"]) == (
        60.0,
        0.9167,
        False,
    )
    card = admin_client.get(f"/api/v1/scorecards/{listed['id']}/").json()
    assert card["questionnaire_version"] == base.pk
    assert card["pack_versions"] == [health.pk]
    assert {s["code"]: s["score"] for s in card["sections"]} == EXPECTED_SECTIONS
    assert [s["code"] for s in card["sections"]] == ["soc", "rep", "hc"]
    assert card["effective_section_weights"] == {"soc": 3.0, "rep": 1.0, "hc": 2.0}
    questions = {q["code"]: q for q in card["questions"]}
    assert {code: q["effective_weight"] for code, q in questions.items()} == EXPECTED_WEIGHTS
    for code, (x, contribution, overridden, disagreement) in EXPECTED_PACK_QUESTIONS.items():
        question = questions[code]
        assert (question["x"], question["contribution"]) == (x, contribution), code
        assert (question["overridden"], question["disagreement"]) == (overridden, disagreement)
        assert question["section"] == "hc"
    assert questions["HC-01"]["knockout"] and not questions["HC-01"]["failed_knockout"]


def test_a_failed_pack_knockout_disqualifies(scored, admin_client):
    evaluation_id, url, *_ = scored
    candidate = admin_client.get(f"{url}candidates/").json()["results"][0]["id"]
    item = [{"candidate": candidate, "question": "HC-01", "value": False}]
    ok(admin_client.post(f"{url}answers/", item, format="json"))
    scoring.score_evaluation(evaluation_id)
    card = Scorecard.objects.get(evaluation_id=evaluation_id, is_latest=True)
    assert card.disqualified and card.failed_knockouts == ["HC-01"]
    # S_hc = (2 * 0 + 0.9 + 0.5) / 4 = 0.35; overall = 100 * (1.6 + 0.3 + 0.7) / 6
    assert card.overall == 43.33


def test_the_report_and_its_exports_show_pack_questions(
    scored, admin_client, django_capture_on_commit_callbacks
):
    evaluation_id, _, _, health = scored
    evaluation = Evaluation.objects.get(pk=evaluation_id)
    report = built_report(admin_client, evaluation, django_capture_on_commit_callbacks)
    content = report["content"]
    assert content["evaluation"]["packs"] == [
        {"version": health.pk, "code": "health-pack", "name": "health-pack", "number": 1}
    ]
    rows = {row["code"]: row for row in content["questions"]}
    assert list(rows) == ["SOC-01", "SOC-02", "REP-01", "REP-02", "HC-01", "HC-02", "HC-03"]
    hc02 = rows["HC-02"]
    assert (hc02["text"], hc02["kind"], hc02["section"]) == (
        "How are the audit logs kept?",
        "single_choice",
        "hc",
    )
    [cell] = hc02["cells"]
    assert (cell["answer_text"], cell["x"], cell["overridden"]) == ("Partial", 0.9, True)
    assert [s["code"] for s in content["sections"]] == ["soc", "rep", "hc"]
    download = admin_client.get(f"/api/v1/reports/{report['id']}/download/?format=csv")
    matrix = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    hc = next(row for row in matrix if row["code"] == "HC-02")
    assert (hc["section"], hc["score"], hc["answer"]) == ("hc", "90.0", "Partial")
    section = next(row for row in matrix if row["level"] == "section" and row["code"] == "hc")
    assert section["score"] == "85.0"


def v1_payload(evaluation, candidate) -> dict:
    """The v1 hash payload, as tests/evaluations/test_v1_unchanged.py writes it."""
    return {
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


def sha(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class TestInputHash:
    def test_without_packs_the_hash_and_scorecard_are_v1s(self, organization):
        evaluation = make_evaluation(
            organization, make_version(organization), providers=[ProviderFactory()]
        )
        scoring.score_evaluation(evaluation.pk)
        card = Scorecard.objects.get(evaluation=evaluation)
        [candidate] = scoring.load_inputs(evaluation).candidates
        assert card.input_hash == sha(v1_payload(evaluation, candidate))
        assert card.pack_versions == []

    def test_packs_are_hashed_in_order(self, organization):
        base = make_version(organization, code="vetting")
        health, legal = pack_version(organization), pack_version(organization, LEGAL_PACK, code="l")
        evaluation = make_evaluation(organization, base, providers=[ProviderFactory()])
        pin(evaluation, legal, health)
        scoring.score_evaluation(evaluation.pk)
        card = Scorecard.objects.get(evaluation=evaluation)
        [candidate] = scoring.load_inputs(evaluation).candidates
        expected = {**v1_payload(evaluation, candidate), "pack_versions": [legal.pk, health.pk]}
        assert card.input_hash == sha(expected)
        assert card.pack_versions == [legal.pk, health.pk]
        assert [s["code"] for s in card.details["sections"]] == ["soc", "rep", "legal", "hc"]

    def test_a_change_of_packs_makes_a_new_version_and_back_again_v1s_hash(self, organization):
        evaluation = make_evaluation(
            organization, make_version(organization), providers=[ProviderFactory()]
        )
        scoring.score_evaluation(evaluation.pk)
        plain = Scorecard.objects.get(evaluation=evaluation).input_hash
        pin(evaluation, pack_version(organization))
        assert len(scoring.score_evaluation(evaluation.pk)["created"]) == 1
        latest = Scorecard.objects.get(evaluation=evaluation, is_latest=True)
        assert latest.version == 2 and latest.input_hash != plain
        evaluation.pack_links.all().delete()
        scoring.score_evaluation(evaluation.pk)
        again = Scorecard.objects.get(evaluation=evaluation, is_latest=True)
        assert (again.version, again.input_hash, again.pack_versions) == (3, plain, [])

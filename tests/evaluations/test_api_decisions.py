"""Deciding an award: every lot once, and a rationale where the rules ask for one."""

import pytest

from accounts.models import Membership
from evaluations.models import AuditEvent, Evaluation
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.test_scoring_service import answer
from tests.providers.factories import ProviderFactory


@pytest.fixture
def scored(admin_client, organization):
    """Acme passes the knockout SOC-02 and leads; Bolt fails it (disqualified)."""
    lead = Membership.objects.get(organization=organization, role="admin")
    version = make_version(organization)
    acme = ProviderFactory(organization=organization, name="Acme")
    bolt = ProviderFactory(organization=organization, name="Bolt")
    evaluation = make_evaluation(organization, version, lead=lead, providers=[acme, bolt])
    candidates = {c.provider.name: c for c in evaluation.candidates.select_related("provider")}
    answer(candidates["Acme"], "SOC-01", "own")
    answer(candidates["Acme"], "SOC-02", True)
    answer(candidates["Bolt"], "SOC-01", "own")
    answer(candidates["Bolt"], "SOC-02", False)
    scoring.score_evaluation(evaluation.pk)
    Evaluation.objects.filter(pk=evaluation.pk).update(status="scoring")
    return evaluation, candidates


def decide(client, evaluation, body):
    return client.post(f"/api/v1/evaluations/{evaluation.pk}/decide/", body, format="json")


@pytest.mark.django_db
class TestDecide:
    def test_the_best_award_needs_no_rationale(self, admin_client, scored):
        evaluation, candidates = scored
        response = decide(admin_client, evaluation, {"candidate": candidates["Acme"].pk})
        assert response.status_code == 200, response.json()
        decision = response.json()["decision"]
        assert decision["award"] == [{"lot": "all", "candidate": candidates["Acme"].pk}]
        assert decision["candidate"] == candidates["Acme"].pk
        event = AuditEvent.objects.get(evaluation=evaluation, action="evaluation.decided")
        assert event.new_value["rationale_required"] == []
        assert event.new_value["best_award"] == {"all": candidates["Acme"].pk}

    def test_a_disqualified_winner_without_rationale_is_refused(self, admin_client, scored):
        evaluation, candidates = scored
        response = decide(admin_client, evaluation, {"candidate": candidates["Bolt"].pk})
        assert response.status_code == 400
        body = response.json()
        assert "rationale" in str(body)
        assert "disqualified" in str(body) and "not the best award" in str(body)
        evaluation.refresh_from_db()
        assert evaluation.status == "scoring" and evaluation.decision_award == {}

    def test_blank_rationale_counts_as_none(self, admin_client, scored):
        evaluation, candidates = scored
        body = {
            "award": [{"lot": "all", "candidate": candidates["Bolt"].pk}],
            "rationale": " \u200b",
        }
        assert decide(admin_client, evaluation, body).status_code == 400

    def test_with_a_rationale_the_reasons_are_audited(self, admin_client, scored):
        evaluation, candidates = scored
        body = {"candidate": candidates["Bolt"].pk, "rationale": "Acme cannot start in time."}
        assert decide(admin_client, evaluation, body).status_code == 200
        event = AuditEvent.objects.get(evaluation=evaluation, action="evaluation.decided")
        assert event.new_value["award"] == {"all": candidates["Bolt"].pk}
        assert len(event.new_value["rationale_required"]) == 2

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "award"),
            ({"award": [{"lot": "ops", "candidate": 1}]}, "award"),
            ({"award": []}, "award"),
        ],
    )
    def test_an_award_names_every_lot_once(self, admin_client, scored, body, field):
        evaluation, _ = scored
        response = decide(admin_client, evaluation, body)
        assert response.status_code == 400
        assert field in str(response.json())

    def test_both_award_and_candidate_is_refused(self, admin_client, scored):
        evaluation, candidates = scored
        pk = candidates["Acme"].pk
        body = {"candidate": pk, "award": [{"lot": "all", "candidate": pk}]}
        assert decide(admin_client, evaluation, body).status_code == 400

    def test_unscored_winner_is_a_conflict(self, admin_client, scored):
        evaluation, candidates = scored
        evaluation.scorecards.all().delete()
        response = decide(admin_client, evaluation, {"candidate": candidates["Acme"].pk})
        assert response.status_code == 409

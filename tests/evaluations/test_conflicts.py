"""Conflicts of interest: a declared conflict stands until the lead overrides it."""

import pytest

from accounts.models import Role
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.providers.factories import ProviderFactory


@pytest.fixture
def setup(make_client, organization):
    clients = {
        "lead": make_client(Role.ADMIN, organization),
        "alice": make_client(Role.EVALUATOR, organization),
    }
    version = make_version(organization)
    provider = ProviderFactory(organization=organization, name="Acme")
    evaluation = make_evaluation(
        organization, version, lead=clients["lead"].membership, providers=[provider]
    )
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    return clients, evaluation, evaluation.candidates.get().pk, url


def declare(client, url, assignment, has_conflict, details=""):
    body = {"has_conflict": has_conflict, "details": details}
    return client.post(f"{url}evaluators/{assignment.pk}/declaration/", body, format="json")


def rate(client, url, candidate, score=4):
    body = [{"candidate": candidate, "question": "REP-01", "score": score}]
    return client.post(f"{url}ratings/", body, format="json")


@pytest.mark.django_db
class TestConflicts:
    def test_a_declared_conflict_cannot_be_cleared_by_the_evaluator(self, setup):
        clients, evaluation, candidate, url = setup
        alice = assign(evaluation, clients["alice"].membership, declared=False)
        assert declare(clients["alice"], url, alice, True, "Former employer").status_code == 200
        for again in ((False, ""), (True, "Sold my shares")):
            response = declare(clients["alice"], url, alice, *again)
            assert response.status_code == 409
            assert "Only the lead" in response.json()["detail"]
        alice.refresh_from_db()
        assert (alice.conflict_status, alice.conflict_details) == ("conflict", "Former employer")
        assert rate(clients["alice"], url, candidate).status_code == 403

        override = {"reason": "Left in 2019; no ties."}
        path = f"{url}evaluators/{alice.pk}/override-conflict/"
        assert clients["lead"].post(path, override, format="json").status_code == 200
        assert rate(clients["alice"], url, candidate).status_code == 200
        # A later declaration cannot undo the override's record either.
        assert declare(clients["alice"], url, alice, False).status_code == 409
        alice.refresh_from_db()
        assert alice.conflict_overridden_at is not None

    def test_no_conflict_can_become_a_conflict(self, setup):
        clients, evaluation, candidate, url = setup
        alice = assign(evaluation, clients["alice"].membership, declared=False)
        assert declare(clients["alice"], url, alice, False).status_code == 200
        assert declare(clients["alice"], url, alice, True, "Now advising Acme").status_code == 200
        assert rate(clients["alice"], url, candidate).status_code == 403

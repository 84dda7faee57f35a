"""Conflicts of interest: a declared conflict stands until the lead overrides it."""

import pytest

from accounts.models import Role
from tests.evaluations.builders import assign
from tests.evaluations.sheets import declare, rate, team_evaluation


@pytest.fixture
def setup(make_client, organization):
    return team_evaluation(make_client, organization, {"lead": Role.ADMIN, "alice": Role.EVALUATOR})


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

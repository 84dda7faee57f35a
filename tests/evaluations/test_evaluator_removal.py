"""Evaluators and members are removed only while nothing of theirs is on record
(submitted ratings, a declared conflict), and every removal is audited."""

import pytest
from django.db.models import RestrictedError

from accounts.models import Membership, Role
from evaluations.models import AuditEvent, EvaluatorAssignment, Rating, RatingSheet
from tests.evaluations.builders import assign
from tests.evaluations.sheets import declare, rate, team_evaluation


@pytest.fixture
def setup(make_client, organization):
    return team_evaluation(
        make_client,
        organization,
        {"lead": Role.ADMIN, "admin": Role.ADMIN, "alice": Role.EVALUATOR},
    )


def rated_and_submitted(evaluation, candidate, membership):
    assignment = assign(evaluation, membership)
    question = evaluation.questionnaire_version.questions.get(code="REP-01")
    Rating.objects.create(candidate_id=candidate, question=question, evaluator=assignment, score=3)
    RatingSheet.objects.create(candidate_id=candidate, evaluator=assignment)
    return assignment


def actions(evaluation):
    return list(AuditEvent.objects.filter(evaluation=evaluation).values_list("action", flat=True))


@pytest.mark.django_db
class TestRemovingEvaluators:
    def test_an_evaluator_without_submitted_work_is_removed_with_their_drafts(self, setup):
        clients, evaluation, candidate, url = setup
        alice = assign(evaluation, clients["alice"].membership)
        assert rate(clients["alice"], url, candidate).status_code == 200
        response = clients["admin"].delete(f"{url}evaluators/{alice.pk}/")
        assert response.status_code == 204
        assert not EvaluatorAssignment.objects.filter(pk=alice.pk).exists()
        assert not Rating.objects.exists()
        event = AuditEvent.objects.get(evaluation=evaluation, action="evaluator.removed")
        assert event.old_value == {"member": clients["alice"].membership.pk}
        assert event.actor == clients["admin"].membership.user

    def test_adding_an_evaluator_is_audited(self, setup):
        clients, evaluation, _, url = setup
        body = {"member": clients["alice"].membership.pk}
        assert clients["admin"].post(f"{url}evaluators/", body, format="json").status_code == 201
        event = AuditEvent.objects.get(evaluation=evaluation, action="evaluator.assigned")
        assert event.new_value == {"member": clients["alice"].membership.pk}

    def test_an_evaluator_who_submitted_is_kept(self, setup):
        clients, evaluation, candidate, url = setup
        alice = rated_and_submitted(evaluation, candidate, clients["alice"].membership)
        response = clients["lead"].delete(f"{url}evaluators/{alice.pk}/")
        assert response.status_code == 409
        assert "submitted ratings" in response.json()["detail"]
        assert Rating.objects.filter(evaluator=alice).exists() and alice.sheets.exists()

    def test_an_evaluator_who_declared_a_conflict_is_kept(self, setup):
        """Removing and re-adding them would clear the declaration."""
        clients, evaluation, _, url = setup
        alice = assign(evaluation, clients["alice"].membership, declared=False)
        assert declare(clients["alice"], url, alice, True, "Former employer").status_code == 200
        response = clients["admin"].delete(f"{url}evaluators/{alice.pk}/")
        assert response.status_code == 409
        assert "conflict" in response.json()["detail"]
        assert EvaluatorAssignment.objects.filter(pk=alice.pk).exists()

    @pytest.mark.parametrize("status", ["scoring", "decided", "cancelled"])
    def test_nobody_is_removed_once_collecting_is_over(self, setup, status):
        clients, evaluation, _, url = setup
        alice = assign(evaluation, clients["alice"].membership)
        evaluation.status = status
        evaluation.save()
        response = clients["lead"].delete(f"{url}evaluators/{alice.pk}/")
        assert response.status_code == 409
        assert status in response.json()["detail"]
        assert EvaluatorAssignment.objects.filter(pk=alice.pk).exists()
        assert "evaluator.removed" not in actions(evaluation)

    def test_an_admin_cannot_remove_and_re_add_themselves_to_start_afresh(self, setup):
        clients, evaluation, candidate, url = setup
        admin = rated_and_submitted(evaluation, candidate, clients["admin"].membership)
        assert clients["admin"].delete(f"{url}evaluators/{admin.pk}/").status_code == 409
        body = {"member": clients["admin"].membership.pk}
        assert clients["admin"].post(f"{url}evaluators/", body, format="json").status_code == 409

    def test_a_candidate_with_submitted_ratings_is_kept(self, setup):
        clients, evaluation, candidate, url = setup
        rated_and_submitted(evaluation, candidate, clients["alice"].membership)
        response = clients["lead"].delete(f"{url}candidates/{candidate}/")
        assert response.status_code == 409
        assert RatingSheet.objects.filter(candidate_id=candidate).exists()


@pytest.mark.django_db
class TestRemovingMembers:
    def test_a_member_with_submitted_work_is_refused_and_kept(self, setup):
        clients, evaluation, candidate, _ = setup
        member = clients["alice"].membership
        rated_and_submitted(evaluation, candidate, member)
        response = clients["admin"].delete(f"/api/v1/members/{member.pk}/")
        assert response.status_code == 409
        assert f"evaluation {evaluation.pk}" in response.json()["detail"]
        assert Membership.objects.filter(pk=member.pk).exists()
        assert Rating.objects.filter(evaluator__membership=member).count() == 1
        assert RatingSheet.objects.filter(evaluator__membership=member).count() == 1

    def test_a_member_without_work_on_record_leaves_audited(self, setup):
        clients, evaluation, candidate, url = setup
        member = clients["alice"].membership
        assign(evaluation, member)
        assert rate(clients["alice"], url, candidate).status_code == 200  # a draft only
        assert clients["admin"].delete(f"/api/v1/members/{member.pk}/").status_code == 204
        assert not Membership.objects.filter(pk=member.pk).exists()
        assert not Rating.objects.exists()
        event = AuditEvent.objects.get(evaluation=evaluation, action="evaluator.removed")
        assert event.old_value == {"member": member.pk}

    def test_deleting_a_membership_row_never_cascades_to_evaluator_work(self, setup):
        """The database keeps the rule too: no code path can delete it by cascade."""
        clients, evaluation, candidate, _ = setup
        member = clients["alice"].membership
        assignment = rated_and_submitted(evaluation, candidate, member)
        with pytest.raises(RestrictedError):
            member.delete()
        with pytest.raises(RestrictedError):
            assignment.delete()

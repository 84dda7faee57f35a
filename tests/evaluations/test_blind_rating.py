"""Blind rating: a rating is its author's private draft until they submit their sheet.

Drafts are never scored, reported, audited or shown to anyone else (the lead and
other admins included); a sheet without a rating is refused.
"""

import pytest
from django.utils import timezone

from accounts.models import Role
from evaluations.models import AuditEvent, Evaluation, Rating, Scorecard
from evaluations.services import scoring
from evaluations.services.report_content import build_snapshot
from tests.evaluations.builders import assign
from tests.evaluations.sheets import rate as rate_request
from tests.evaluations.sheets import team_evaluation


@pytest.fixture
def setup(make_client, organization):
    roles = {
        "lead": Role.ADMIN,
        "admin": Role.ADMIN,
        "alice": Role.EVALUATOR,
        "bob": Role.EVALUATOR,
        "viewer": Role.VIEWER,
    }
    clients, evaluation, candidate, url = team_evaluation(make_client, organization, roles)
    for name in ("alice", "bob", "admin"):
        assign(evaluation, clients[name].membership)
    return clients, evaluation, candidate, url


def rate(client, url, candidate, score, comment=""):
    response = rate_request(client, url, candidate, score, comment)
    assert response.status_code == 200, response.content
    return response


def submit(client, url, candidate):
    return client.post(f"{url}ratings/submit/", {"candidate": candidate}, format="json")


def seen(client, url):
    ratings = client.get(f"{url}ratings/").json()["results"]
    return sorted((r["score"], r["comment"]) for r in ratings)


def rep01(evaluation):
    card = Scorecard.objects.get(evaluation=evaluation, is_latest=True)
    return next(q for q in card.question_results if q["code"] == "REP-01")


@pytest.mark.django_db
class TestDrafts:
    def test_nobody_but_the_author_sees_a_draft_not_even_the_lead(self, setup):
        clients, _, candidate, url = setup
        rate(clients["alice"], url, candidate, 4, "alice's private note")
        assert seen(clients["alice"], url) == [(4, "alice's private note")]
        for name in ("lead", "admin", "bob", "viewer"):
            assert seen(clients[name], url) == [], name

    def test_submitting_shows_others_only_submitted_ratings(self, setup):
        """An admin assigned as evaluator who submits their own sheet reads the
        submitted ratings of that candidate, never the others' drafts."""
        clients, _, candidate, url = setup
        rate(clients["alice"], url, candidate, 4, "alice's private note")
        rate(clients["bob"], url, candidate, 2, "bob's submitted note")
        assert submit(clients["bob"], url, candidate).status_code == 201
        rate(clients["admin"], url, candidate, 3)
        assert submit(clients["admin"], url, candidate).status_code == 201
        assert seen(clients["admin"], url) == [(2, "bob's submitted note"), (3, "")]
        assert seen(clients["lead"], url) == [(2, "bob's submitted note"), (3, "")]
        assert seen(clients["alice"], url) == [(4, "alice's private note")]

    def test_drafts_do_not_count_in_scores(self, setup):
        """docs/scoring.md is silent on drafts; only submitted ratings are inputs."""
        clients, evaluation, candidate, url = setup
        rate(clients["alice"], url, candidate, 4)
        scoring.score_evaluation(evaluation.pk)
        assert (rep01(evaluation)["answered"], rep01(evaluation)["rating_count"]) == (False, 0)
        rate(clients["alice"], url, candidate, 1)
        assert scoring.score_evaluation(evaluation.pk)["created"] == []  # same inputs
        assert submit(clients["alice"], url, candidate).status_code == 201
        assert len(scoring.score_evaluation(evaluation.pk)["created"]) == 1
        assert (rep01(evaluation)["x"], rep01(evaluation)["rating_count"]) == (0.2, 1)

    def test_reports_count_only_submitted_ratings(self, setup):
        clients, evaluation, candidate, url = setup
        for name, score in (("alice", 5), ("bob", 0)):
            rate(clients[name], url, candidate, score)
        assert submit(clients["bob"], url, candidate).status_code == 201

        def snapshot():
            scoring.score_evaluation(evaluation.pk)
            fresh = Evaluation.objects.get(pk=evaluation.pk)
            return build_snapshot(
                fresh, seed=1, trials=100, spread=0.25, generated_at=timezone.now()
            )

        first = snapshot()
        assert first["disagreement"]["ratings"] == 1
        assert first["candidates"][0]["disagreements"] == []  # 5 vs 0 would disagree
        rate(clients["alice"], url, candidate, 3)
        second = snapshot()
        assert {**second, "generated_at": None} == {**first, "generated_at": None}

    def test_drafts_are_not_audited_submission_is(self, setup):
        clients, evaluation, candidate, url = setup
        rate(clients["alice"], url, candidate, 4, "alice's private note")
        rate(clients["alice"], url, candidate, 5, "alice's private note")
        for name in ("lead", "admin"):
            body = clients[name].get(f"{url}audit/").content.decode()
            assert "rating" not in body and "alice's private note" not in body
        assert submit(clients["alice"], url, candidate).status_code == 201
        events = {e.action: e for e in AuditEvent.objects.filter(evaluation=evaluation)}
        alice = evaluation.evaluators.get(membership=clients["alice"].membership).pk
        assert events["rating.submitted"].new_value == {"evaluator": alice, "score": 5}
        assert events["rating.submitted"].question_code == "REP-01"
        assert events["sheet.submitted"].new_value == {"evaluator": alice}

    def test_an_empty_sheet_is_refused(self, setup):
        clients, evaluation, candidate, url = setup
        response = submit(clients["admin"], url, candidate)
        assert response.status_code == 409
        assert "rate at least one question" in response.json()["detail"]
        assert not evaluation.evaluators.get(membership=clients["admin"].membership).sheets.exists()
        assert not AuditEvent.objects.filter(evaluation=evaluation).exists()

    def test_submitted_ratings_are_final(self, setup):
        clients, _, candidate, url = setup
        rate(clients["alice"], url, candidate, 4)
        assert submit(clients["alice"], url, candidate).status_code == 201
        body = [{"candidate": candidate, "question": "REP-01", "score": 1}]
        assert clients["alice"].post(f"{url}ratings/", body, format="json").status_code == 400
        assert submit(clients["alice"], url, candidate).status_code == 409
        assert list(Rating.objects.values_list("score", flat=True)) == [4]


@pytest.mark.django_db
def test_operators_see_no_draft_in_the_django_admin(setup):
    from django.contrib.auth import get_user_model
    from django.test import Client

    clients, _, candidate, url = setup
    rate(clients["alice"], url, candidate, 4, "alice's private draft note")
    rate(clients["bob"], url, candidate, 2, "bob's submitted note")
    assert submit(clients["bob"], url, candidate).status_code == 201
    operator = Client()
    operator.force_login(get_user_model().objects.create_superuser("op", "op@example.com", "pw"))
    listed = operator.get("/admin/evaluations/rating/?q=note").context["cl"].result_list
    assert [rating.comment for rating in listed] == ["bob's submitted note"]
    draft = Rating.objects.get(comment="alice's private draft note")
    assert operator.get(f"/admin/evaluations/rating/{draft.pk}/change/").status_code == 302
    submitted = Rating.objects.get(comment="bob's submitted note")
    assert operator.get(f"/admin/evaluations/rating/{submitted.pk}/change/").status_code == 200

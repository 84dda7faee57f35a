"""From an empty evaluation to ranked, explained scorecards, with the roles that may
and may not do each step."""

import pytest

from accounts.models import Role
from tests.evaluations.builders import make_version
from tests.providers.factories import ProviderFactory

BASE = "/api/v1/evaluations/"


@pytest.fixture
def team(make_client, organization):
    return {
        "lead": make_client(Role.ADMIN, organization),
        "admin": make_client(Role.ADMIN, organization),
        "alice": make_client(Role.EVALUATOR, organization),
        "bob": make_client(Role.EVALUATOR, organization),
        "viewer": make_client(Role.VIEWER, organization),
    }


@pytest.fixture
def version(organization):
    return make_version(organization)


def create_evaluation(team, version, providers):
    response = team["lead"].post(
        BASE,
        {
            "name": "Choose an MSSP",
            "questionnaire_version": version.pk,
            "industry": "healthcare",
            "required_service_models": ["mssp", "mssp", "vciso"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    evaluation = response.json()
    assert evaluation["required_service_models"] == ["mssp", "vciso"]
    assert evaluation["lead"] == team["lead"].membership.pk
    url = f"{BASE}{evaluation['id']}/"
    for provider in providers:
        added = team["lead"].post(f"{url}candidates/", {"provider": provider.pk}, format="json")
        assert added.status_code == 201, added.content
    return url, evaluation


def patch(client, url, body):
    """PATCH with the If-Match an evaluation update requires."""
    etag = client.get(url)["ETag"]
    return client.patch(url, body, format="json", HTTP_IF_MATCH=etag)


def candidates(team, url):
    return {
        c["provider_name"]: c["id"] for c in team["lead"].get(f"{url}candidates/").json()["results"]
    }


@pytest.mark.django_db
def test_full_flow(team, version, organization, django_capture_on_commit_callbacks):
    acme = ProviderFactory(organization=organization, name="Acme")
    bolt = ProviderFactory(organization=organization, name="Bolt")
    url, _ = create_evaluation(team, version, [acme, bolt])
    ids = candidates(team, url)

    # Evaluators are assigned by admins and declare before rating.
    for name in ("alice", "bob"):
        member = team[name].membership.pk
        assert (
            team["viewer"].post(f"{url}evaluators/", {"member": member}, format="json").status_code
            == 403
        )
        assert (
            team["lead"].post(f"{url}evaluators/", {"member": member}, format="json").status_code
            == 201
        )
    evaluators = {
        e["username"]: e["id"] for e in team["lead"].get(f"{url}evaluators/").json()["results"]
    }
    rating = [{"candidate": ids["Acme"], "question": "REP-01", "score": 4}]
    assert team["alice"].post(f"{url}ratings/", rating, format="json").status_code == 409

    assert (
        team["lead"].post(f"{url}status/", {"status": "collecting"}, format="json").status_code
        == 200
    )
    assert team["alice"].post(f"{url}ratings/", rating, format="json").status_code == 403
    alice_id = evaluators[team["alice"].membership.user.username]
    bob_id = evaluators[team["bob"].membership.user.username]
    assert (
        team["bob"]
        .post(f"{url}evaluators/{alice_id}/declaration/", {"has_conflict": False}, format="json")
        .status_code
        == 403
    )
    assert (
        team["alice"]
        .post(f"{url}evaluators/{alice_id}/declaration/", {"has_conflict": False}, format="json")
        .status_code
        == 200
    )
    assert (
        team["bob"]
        .post(
            f"{url}evaluators/{bob_id}/declaration/",
            {"has_conflict": True, "details": "Former employer of Acme"},
            format="json",
        )
        .status_code
        == 200
    )

    # Answers: all or nothing, with per-item errors.
    answers = [
        {"candidate": ids["Acme"], "question": "SOC-01", "value": "white_label"},
        {"candidate": ids["Acme"], "question": "SOC-02", "value": "yes"},
    ]
    bad = team["alice"].post(f"{url}answers/", answers, format="json")
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["[1].value"]
    assert team["lead"].get(f"{url}answers/").json()["count"] == 0
    answers[1]["value"] = True
    answers.append({"candidate": ids["Bolt"], "question": "SOC-01", "value": "own"})
    answers.append({"candidate": ids["Bolt"], "question": "SOC-02", "value": True})
    assert team["viewer"].post(f"{url}answers/", answers, format="json").status_code == 403
    saved = team["alice"].post(f"{url}answers/", answers, format="json")
    assert saved.json() == {"created": 4, "updated": 0, "cleared": 0, "unchanged": 0}

    # Ratings: only judged questions; a conflict bars rating until the lead overrides.
    auto = [{"candidate": ids["Acme"], "question": "SOC-02", "score": 5}]
    assert team["alice"].post(f"{url}ratings/", auto, format="json").status_code == 400
    assert team["alice"].post(f"{url}ratings/", rating, format="json").status_code == 200
    bob_rating = [{"candidate": ids["Acme"], "question": "REP-01", "score": 2}]
    assert team["bob"].post(f"{url}ratings/", bob_rating, format="json").status_code == 403
    assert (
        team["admin"]
        .post(f"{url}evaluators/{bob_id}/override-conflict/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        team["lead"]
        .post(
            f"{url}evaluators/{bob_id}/override-conflict/",
            {"reason": "Left Acme in 2019; no ties."},
            format="json",
        )
        .status_code
        == 200
    )
    assert team["bob"].post(f"{url}ratings/", bob_rating, format="json").status_code == 200

    # Drafts are private to their author, the lead included, until submitted.
    def seen_by(name):
        return sorted(r["score"] for r in team[name].get(f"{url}ratings/").json()["results"])

    def submit(name):
        body = {"candidate": ids["Acme"]}
        return team[name].post(f"{url}ratings/submit/", body, format="json").status_code

    assert seen_by("alice") == [4] and seen_by("bob") == [2]
    assert seen_by("lead") == [] and seen_by("viewer") == []
    assert submit("alice") == 201
    assert seen_by("alice") == [4] and seen_by("lead") == [4] and seen_by("viewer") == [4]
    assert team["alice"].post(f"{url}ratings/", rating, format="json").status_code == 400
    assert submit("bob") == 201
    assert seen_by("alice") == [2, 4] and seen_by("viewer") == [2, 4]

    # Score in the background, read ranked scorecards.
    assert team["viewer"].post(f"{url}score/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        job = team["lead"].post(f"{url}score/")
    assert job.status_code == 202
    polled = team["viewer"].get(f"/api/v1/jobs/{job.json()['id']}/").json()
    assert polled["status"] == "succeeded", polled
    assert polled["result_url"].endswith(f"{url}scorecards/")
    ranked = team["viewer"].get(f"{url}scorecards/").json()
    assert [(c["provider_name"], c["rank"], c["overall"]) for c in ranked] == [
        ("Bolt", 1, 75.0),
        ("Acme", 2, 47.5),
    ]
    detail = team["viewer"].get(f"/api/v1/scorecards/{ranked[1]['id']}/").json()
    assert detail["red_flags"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
    assert {q["code"]: q["disagreement"] for q in detail["questions"]}["REP-01"] is True

    # Overrides: lead only, with a rationale; they make a new version.
    override = {
        "candidate": ids["Acme"],
        "question": "REP-02",
        "score": 1.0,
        "rationale": "Reviewed the report together.",
    }
    assert team["admin"].post(f"{url}overrides/", override, format="json").status_code == 403
    assert (
        team["lead"]
        .post(f"{url}overrides/", {**override, "rationale": " "}, format="json")
        .status_code
        == 400
    )
    assert team["lead"].post(f"{url}overrides/", override, format="json").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        team["lead"].post(f"{url}score/")
    versions = team["viewer"].get(f"/api/v1/scorecards/{ranked[1]['id']}/versions/").json()
    assert [(v["version"], v["overall"], v["is_latest"]) for v in versions] == [
        (2, 60.0, True),
        (1, 47.5, False),
    ]

    # Decide and audit.
    assert (
        team["lead"]
        .post(f"{url}decide/", {"candidate": ids["Bolt"], "rationale": "Own SOC"}, format="json")
        .status_code
        == 409
    )  # still collecting
    assert (
        team["lead"].post(f"{url}status/", {"status": "scoring"}, format="json").status_code == 200
    )
    assert (
        team["admin"]
        .post(f"{url}decide/", {"candidate": ids["Bolt"], "rationale": "x"}, format="json")
        .status_code
        == 403
    )
    decided = team["lead"].post(
        f"{url}decide/", {"candidate": ids["Bolt"], "rationale": "Own SOC"}, format="json"
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "decided"
    assert decided.json()["decision"]["candidate"] == ids["Bolt"]
    assert team["lead"].post(f"{url}answers/", answers, format="json").status_code == 409
    assert team["alice"].get(f"{url}audit/").status_code == 403
    actions = [e["action"] for e in team["admin"].get(f"{url}audit/").json()["results"]]
    for expected in (
        "answer.set",
        "rating.submitted",
        "sheet.submitted",
        "override.set",
        "evaluation.status",
        "evaluation.decided",
        "evaluator.conflict_overridden",
    ):
        assert expected in actions


@pytest.mark.django_db
class TestEvaluationRules:
    def test_only_published_versions_can_be_pinned(self, team, organization):
        draft = make_version(organization, code="draft-q", status="draft")
        response = team["lead"].post(
            BASE, {"name": "x", "questionnaire_version": draft.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "questionnaire_version"

    def test_evaluators_and_viewers_cannot_create(self, team, version):
        body = {"name": "x", "questionnaire_version": version.pk}
        for name in ("alice", "viewer"):
            assert team[name].post(BASE, body, format="json").status_code == 403

    def test_unknown_section_weights_and_exclusions_are_refused(self, team, version):
        response = team["lead"].post(
            BASE,
            {
                "name": "x",
                "questionnaire_version": version.pk,
                "section_weights": {"nope": 2},
                "excluded_questions": ["ZZ-9"],
            },
            format="json",
        )
        assert response.status_code == 400
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"section_weights", "excluded_questions"}

    def test_nothing_applicable_is_a_clear_400_not_a_zero(self, team, version, organization):
        url, _ = create_evaluation(team, version, [ProviderFactory(organization=organization)])
        assert (
            patch(team["lead"], url, {"section_weights": {"soc": 0, "rep": 0}}).status_code == 200
        )
        response = team["lead"].post(f"{url}score/")
        assert response.status_code == 400
        assert "applicable" in response.json()["errors"][0]["message"]

    def test_weight_changes_are_audited_and_change_the_score(self, team, version, organization):
        url, _ = create_evaluation(team, version, [ProviderFactory(organization=organization)])
        patched = patch(team["lead"], url, {"section_weights": {"rep": 3}})
        assert patched.status_code == 200
        events = team["lead"].get(f"{url}audit/").json()["results"]
        change = next(e for e in events if e["action"] == "evaluation.section_weights")
        assert (change["old_value"], change["new_value"]) == ({}, {"rep": 3.0})

    def test_illegal_transition_is_409(self, team, version, organization):
        url, _ = create_evaluation(team, version, [ProviderFactory(organization=organization)])
        response = team["lead"].post(f"{url}status/", {"status": "scoring"}, format="json")
        assert response.status_code == 409

    def test_other_organizations_provider_is_not_a_candidate(
        self, team, version, other_organization
    ):
        url, _ = create_evaluation(team, version, [])
        foreign = ProviderFactory(organization=other_organization)
        response = team["lead"].post(f"{url}candidates/", {"provider": foreign.pk}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "provider"

    def test_scorecard_list_queries_are_constant(
        self, team, version, organization, count_queries, django_capture_on_commit_callbacks
    ):
        providers = [ProviderFactory(organization=organization) for _ in range(12)]
        url, _ = create_evaluation(team, version, providers)
        with django_capture_on_commit_callbacks(execute=True):
            team["lead"].post(f"{url}score/")
        client = team["viewer"]
        client.get("/api/v1/scorecards/?page_size=1")
        with count_queries() as one:
            client.get("/api/v1/scorecards/?page_size=1")
        with count_queries() as twelve:
            body = client.get("/api/v1/scorecards/?page_size=12").json()
        assert len(body["results"]) == 12 and {c["rank"] for c in body["results"]} == {1}
        assert len(one) == len(twelve)
        with count_queries() as ranked:
            client.get(f"{url}scorecards/")
        assert len(ranked) <= len(twelve) + 1

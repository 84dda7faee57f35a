"""Comparison reports through the API: request (202 + job), poll, read, download."""

import json

import pytest

from accounts.models import Role
from evaluations.engine.sensitivity import SensitivityCandidate, analyse_sensitivity
from evaluations.models import Answer, Rating, Report, Scorecard
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.factories import MembershipFactory
from tests.providers.factories import OfferingFactory, ProviderFactory, capability

OPTIONS_SOC = [
    {"value": "own", "label": "Own SOC", "score": 1.0},
    {"value": "white_label", "label": "White-labelled", "score": 0.3},
]
OPTIONS_HANDOFF = [
    {"value": "full", "label": "Written, incidents and audits", "score": 1.0},
    {"value": "day_to_day", "label": "Day-to-day only", "score": 0.4},
    {"value": "none", "label": "Not defined", "score": 0.0},
]
SECTIONS = [
    {
        "code": "soc",
        "title": "SOC and operations",
        "weight": 3,
        "questions": [
            {
                "code": "SOC-01",
                "kind": "single_choice",
                "weight": 2,
                "tags": ["soc_ownership"],
                "options": OPTIONS_SOC,
            },
            {"code": "SOC-02", "kind": "boolean", "weight": 1, "knockout": True},
        ],
    },
    {
        "code": "roles",
        "title": "Roles and hand-off",
        "weight": 2,
        "questions": [
            {
                "code": "ROL-01",
                "kind": "single_choice",
                "weight": 3,
                "tags": ["handoff"],
                "applies_to": ["vciso", "mssp"],
                "options": OPTIONS_HANDOFF,
            },
            {"code": "ROL-02", "kind": "text", "scoring": "judged", "weight": 2},
        ],
    },
    {
        "code": "rep",
        "title": "Reporting",
        "weight": 1,
        "questions": [
            {"code": "REP-01", "kind": "scale", "scoring": "judged", "scale_max": 5},
            {"code": "REP-02", "kind": "boolean", "tags": ["sample_report"]},
        ],
    },
]
ANSWERS = {
    "Acme": {"SOC-01": "own", "SOC-02": True, "ROL-01": "full", "REP-02": True},
    "Bolt": {"SOC-01": "white_label", "SOC-02": True, "ROL-01": "day_to_day", "REP-02": False},
    "=Cyra": {"SOC-01": "own", "SOC-02": False, "ROL-01": "full", "REP-02": True},
}
# (evaluator, provider, question) -> rating
RATINGS = {
    ("alice", "Acme", "ROL-02"): 4,
    ("bob", "Acme", "ROL-02"): 5,
    ("alice", "Acme", "REP-01"): 4,
    ("bob", "Acme", "REP-01"): 2,
    ("alice", "Bolt", "ROL-02"): 3,
    ("bob", "Bolt", "ROL-02"): 3,
    ("alice", "Bolt", "REP-01"): 5,
    ("alice", "=Cyra", "ROL-02"): 1,
}
OFFERINGS = {
    "Acme": [
        (code, "self") for code in ("mssp.monitoring_detection", "mssp.edr", "vciso.grc_program")
    ],
    "Bolt": [("mssp.monitoring_detection", "self"), ("mssp.incident_response", "partner")],
    "=Cyra": [("vciso.security_strategy", "self"), ("vciso.risk_assessment", "self")],
}
SERVICE_MODELS = {"Acme": ["mssp", "vciso"], "Bolt": ["mssp"], "=Cyra": ["vciso"]}


def build_comparison(organization, *, lead=None, needs_assessment=None):
    """Three candidates: Acme (both), Bolt (MSSP, weak hand-off), =Cyra (vCISO, knocked out)."""
    version = make_version(organization, SECTIONS, code="report-vetting")
    providers = []
    for name, models in SERVICE_MODELS.items():
        provider = ProviderFactory(organization=organization, name=name, service_models=models)
        for code, delivered_by in OFFERINGS[name]:
            OfferingFactory(
                provider=provider,
                capability=capability(code),
                delivered_by=delivered_by,
                partner_name="IR Partner Co" if delivered_by == "partner" else "",
            )
        providers.append(provider)
    evaluation = make_evaluation(
        organization,
        version,
        lead=lead,
        providers=providers,
        industry="healthcare",
        required_service_models=["mssp", "vciso"],
        needs_assessment=needs_assessment,
    )
    questions = {q.code: q for q in version.questions.all()}
    candidates = {c.provider.name: c for c in evaluation.candidates.select_related("provider")}
    for name, answers in ANSWERS.items():
        for code, value in answers.items():
            Answer.objects.create(candidate=candidates[name], question=questions[code], value=value)
    evaluators = {
        name: assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for name in ("alice", "bob")
    }
    for (who, name, code), score in RATINGS.items():
        Rating.objects.create(
            candidate=candidates[name],
            question=questions[code],
            evaluator=evaluators[who],
            score=score,
        )
    submit_sheets(evaluation)
    return evaluation


def request_report(client, evaluation, body=None, *, capture):
    with capture(execute=True):
        response = client.post(
            f"/api/v1/evaluations/{evaluation.pk}/reports/", body or {}, format="json"
        )
    return response


@pytest.fixture
def comparison(organization, admin_client):
    return build_comparison(organization, lead=admin_client.membership)


def built_report(client, evaluation, capture, body=None) -> dict:
    """Request a report, check its job succeeded, and return the report as the API shows it."""
    body = body or {"seed": 42, "trials": 500, "spread": 0.3}
    response = request_report(client, evaluation, body, capture=capture)
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert job["status"] == "succeeded", job
    return client.get(job["result_url"]).json()


@pytest.fixture
def report(comparison, admin_client, django_capture_on_commit_callbacks):
    return built_report(admin_client, comparison, django_capture_on_commit_callbacks)


@pytest.mark.django_db
class TestRequestAndPoll:
    def test_request_scores_first_then_builds_a_report(
        self, comparison, admin_client, django_capture_on_commit_callbacks
    ):
        assert not Scorecard.objects.filter(evaluation=comparison).exists()
        response = request_report(
            admin_client, comparison, {"seed": 5}, capture=django_capture_on_commit_callbacks
        )
        assert response.status_code == 202
        job = response.json()
        assert job["kind"] == "report"
        polled = admin_client.get(f"/api/v1/jobs/{job['id']}/").json()
        assert polled["status"] == "succeeded", polled
        report = Report.objects.get()
        assert polled["result_url"].endswith(f"/api/v1/reports/{report.pk}/")
        assert polled["result"] == {"report": report.pk, "evaluation": comparison.pk}
        assert Scorecard.objects.filter(evaluation=comparison, is_latest=True).count() == 3
        assert (report.seed, report.trials, report.spread) == (5, 1000, 0.25)
        assert report.created_by == admin_client.membership.user

    def test_regenerating_makes_a_new_report_and_no_new_scorecards(
        self, report, comparison, admin_client, django_capture_on_commit_callbacks
    ):
        cards = set(Scorecard.objects.values_list("pk", flat=True))
        again = request_report(
            admin_client, comparison, {"seed": 42}, capture=django_capture_on_commit_callbacks
        )
        assert again.status_code == 202
        assert Report.objects.count() == 2
        assert set(Scorecard.objects.values_list("pk", flat=True)) == cards
        listed = admin_client.get(f"/api/v1/evaluations/{comparison.pk}/reports/").json()
        assert [r["id"] for r in listed["results"]][1] == report["id"]  # newest first
        assert "content" not in listed["results"][0]

    def test_an_idempotency_key_replays_the_first_job(
        self, comparison, admin_client, django_capture_on_commit_callbacks
    ):
        url = f"/api/v1/evaluations/{comparison.pk}/reports/"
        with django_capture_on_commit_callbacks(execute=True):
            first = admin_client.post(url, {"seed": 1}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
            second = admin_client.post(url, {"seed": 1}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
        assert (first.status_code, second.status_code) == (202, 202)
        assert second.json()["id"] == first.json()["id"]
        assert second["Idempotent-Replayed"] == "true"
        assert Report.objects.count() == 1

    def test_a_missing_seed_is_drawn_and_stored(
        self, comparison, admin_client, django_capture_on_commit_callbacks
    ):
        request_report(admin_client, comparison, capture=django_capture_on_commit_callbacks)
        report = Report.objects.get()
        assert 0 <= report.seed < 2**32
        assert report.snapshot["sensitivity"]["seed"] == report.seed

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"trials": 5}, "trials"),
            ({"trials": 10**6}, "trials"),
            ({"spread": 0.95}, "spread"),
            ({"spread": -0.1}, "spread"),
            ({"seed": -1}, "seed"),
            ({"seed": "42"}, "seed"),
            ({"seed": 2**32}, "seed"),
        ],
    )
    def test_out_of_bounds_inputs_are_400(self, comparison, admin_client, body, field):
        response = admin_client.post(
            f"/api/v1/evaluations/{comparison.pk}/reports/", body, format="json"
        )
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_cancelled_evaluations_get_no_report(self, comparison, admin_client):
        comparison.status = "cancelled"
        comparison.save()
        response = admin_client.post(f"/api/v1/evaluations/{comparison.pk}/reports/", {})
        assert response.status_code == 409

    def test_an_evaluation_without_candidates_is_400(self, organization, admin_client):
        evaluation = make_evaluation(organization, make_version(organization))
        response = admin_client.post(f"/api/v1/evaluations/{evaluation.pk}/reports/", {})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "candidates"


@pytest.mark.django_db
class TestPermissions:
    def test_admins_and_evaluators_request_viewers_read(
        self, comparison, make_client, organization, django_capture_on_commit_callbacks
    ):
        viewer = make_client(Role.VIEWER, organization)
        url = f"/api/v1/evaluations/{comparison.pk}/reports/"
        assert viewer.post(url, {}, format="json").status_code == 403
        for role in (Role.EVALUATOR, Role.ADMIN):
            response = request_report(
                make_client(role, organization),
                comparison,
                capture=django_capture_on_commit_callbacks,
            )
            assert response.status_code == 202
        report = Report.objects.first()
        assert viewer.get(url).status_code == 200
        assert viewer.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        assert viewer.get(f"/api/v1/reports/{report.pk}/download/?format=csv").status_code == 200

    def test_other_organizations_see_nothing(self, report, make_client, comparison):
        stranger = make_client(Role.ADMIN)
        assert stranger.get(f"/api/v1/reports/{report['id']}/").status_code == 404
        assert stranger.get(f"/api/v1/reports/{report['id']}/download/").status_code == 404
        assert stranger.get("/api/v1/reports/").json()["count"] == 0
        assert stranger.post(f"/api/v1/evaluations/{comparison.pk}/reports/", {}).status_code == 404


@pytest.mark.django_db
class TestContent:
    def test_ranking_flags_and_matrix(self, report):
        content = report["content"]
        ranking = [
            (c["provider_name"], c["rank"], c["disqualified"]) for c in content["candidates"]
        ]
        assert ranking == [("Acme", 1, False), ("Bolt", 2, False), ("=Cyra", 3, True)]
        by_name = {c["provider_name"]: c for c in content["candidates"]}
        assert by_name["=Cyra"]["failed_knockouts"] == ["SOC-02"]
        assert {"tag": "soc_ownership", "question": "SOC-01"} in by_name["Bolt"]["red_flags"]
        assert {"tag": "handoff", "question": "ROL-01"} in by_name["Bolt"]["red_flags"]
        assert by_name["Acme"]["disagreements"] == ["REP-01"]
        assert [s["code"] for s in content["sections"]] == ["soc", "roles", "rep"]
        rows = {q["code"]: q for q in content["questions"]}
        assert list(rows) == ["SOC-01", "SOC-02", "ROL-01", "ROL-02", "REP-01", "REP-02"]
        bolt_soc = rows["SOC-01"]["cells"][1]
        assert bolt_soc["candidate_id"] == by_name["Bolt"]["candidate_id"]
        assert (bolt_soc["answer"], bolt_soc["answer_text"], bolt_soc["x"]) == (
            "white_label",
            "White-labelled",
            0.3,
        )
        assert bolt_soc["red_flags"] == ["soc_ownership"]
        assert rows["REP-01"]["cells"][1]["rating_count"] == 1
        assert "Acme ranks first" in content["summary"]

    def test_sensitivity_matches_the_engine_for_the_same_seed(self, report, admin_client):
        content = report["content"]
        candidates, weights = [], None
        for entry in content["candidates"]:
            card = admin_client.get(f"/api/v1/scorecards/{entry['scorecard_id']}/").json()
            weights = card["effective_section_weights"]
            candidates.append(
                SensitivityCandidate(
                    id=card["candidate"],
                    name=card["provider_name"],
                    section_scores={s["code"]: s["s"] for s in card["sections"]},
                    disqualified=card["disqualified"],
                )
            )
        expected = analyse_sensitivity(candidates, weights, seed=42, trials=500, spread=0.3)
        assert content["sensitivity"] == json.loads(json.dumps(expected.to_dict()))
        assert content["sensitivity"]["sufficient"] is True
        assert content["sensitivity"]["qualified_count"] == 2
        assert content["sensitivity"]["monte_carlo"]["leader_name"] == "Acme"
        assert report["seed"] == 42 and report["trials"] == 500 and report["spread"] == 0.3

    def test_coverage_and_needs_are_included(self, report):
        coverage = report["content"]["coverage"]
        assert coverage["required_models"] == ["mssp", "vciso"]
        assert "mssp.incident_response" in coverage["summary"]["partner_only"]
        assert "mssp.monitoring_detection" in coverage["summary"]["overlap"]
        assert "mssp.firewall_ids" in coverage["summary"]["gap"]
        assert coverage["handoff_defined"] is False  # Bolt's split is day-to-day only
        assert report["content"]["needs_assessment"] is None

    def test_snapshot_round_trips_through_its_serializer(self, report):
        from evaluations.api.serializers_reports import ReportContentSerializer

        stored = Report.objects.get(pk=report["id"]).snapshot
        assert json.loads(json.dumps(ReportContentSerializer(stored).data)) == stored

    def test_the_report_conforms_to_the_openapi_schema(self, report, admin_client):
        import schemathesis
        from django.core import signals
        from django.db import close_old_connections
        from schemathesis.specs.openapi.checks import (
            content_type_conformance,
            response_schema_conformance,
            status_code_conformance,
        )

        from config.wsgi import application

        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
            headers = {"Authorization": admin_client._credentials["HTTP_AUTHORIZATION"]}
            for path, params in (
                ("/reports/{id}/", {}),
                ("/reports/{id}/download/", {"format": "json"}),
            ):
                operation = schema[f"/api/v1{path}"]["GET"]
                case = operation.Case(path_parameters={"id": report["id"]}, query=params)
                response = case.call(headers=headers)
                assert response.status_code == 200
                case.validate_response(
                    response,
                    checks=[
                        response_schema_conformance,
                        content_type_conformance,
                        status_code_conformance,
                    ],
                )
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
class TestLists:
    def test_organization_wide_list_syncs_by_updated_since(self, report, admin_client):
        listed = admin_client.get("/api/v1/reports/").json()
        assert [r["id"] for r in listed["results"]] == [report["id"]]
        entry = listed["results"][0]
        assert entry["title"] == report["content"]["title"]
        assert entry["summary"] == report["content"]["summary"]
        later = admin_client.get("/api/v1/reports/", {"updated_since": "2999-01-01T00:00:00Z"})
        assert later.json()["count"] == 0
        since = admin_client.get("/api/v1/reports/", {"updated_since": entry["updated_at"]})
        assert since.json()["count"] == 1
        assert admin_client.get("/api/v1/reports/", {"evaluation": 999999}).json()["count"] == 0

    def test_sync_pages_without_content(self, report, admin_client, settings):
        settings.SYNC_SETTLE_SECONDS = 0
        body = admin_client.get("/api/v1/reports/sync/").json()
        assert [r["id"] for r in body["results"]] == [report["id"]]
        assert body["has_more"] is False
        assert "content" not in body["results"][0]

    def test_reads_carry_an_etag(self, report, admin_client):
        first = admin_client.get(f"/api/v1/reports/{report['id']}/")
        again = admin_client.get(
            f"/api/v1/reports/{report['id']}/", HTTP_IF_NONE_MATCH=first["ETag"]
        )
        assert again.status_code == 304

    def test_list_queries_are_constant(
        self, comparison, admin_client, count_queries, django_capture_on_commit_callbacks
    ):
        request_report(admin_client, comparison, capture=django_capture_on_commit_callbacks)
        with count_queries() as one:
            admin_client.get("/api/v1/reports/")
        for _ in range(3):
            request_report(admin_client, comparison, capture=django_capture_on_commit_callbacks)
        with count_queries() as four:
            assert admin_client.get("/api/v1/reports/").json()["count"] == 4
        assert len(one) == len(four)

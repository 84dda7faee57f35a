"""Needs assessments through the API, and evaluations pre-filled from one."""

import pytest

from accounts.models import Role
from needs import services as needs_service
from needs.assessment import BuyerProfile, assess_needs
from needs.models import NeedsAssessment
from tests.evaluations.builders import make_version

URL = "/api/v1/needs-assessments/"
# A 40-person clinic holding patient data with an MSP already in place
# (the example of docs/needs-assessment.md).
CLINIC = {
    "industry": "healthcare",
    "employee_count": 40,
    "regulated_data": True,
    "frameworks": ["hipaa"],
    "engaged_service_models": ["msp"],
}


def verdicts(body):
    return {m["service_model"]: m["verdict"] for m in body["result"]["models"]}


@pytest.mark.django_db
class TestCreate:
    def test_verdicts_reasons_warnings_and_packs(self, admin_client):
        response = admin_client.post(URL, {"name": "Clinic", "profile": CLINIC}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert verdicts(body) == {
            "msp": "recommended",
            "mssp": "required",
            "vciso": "required",
            "vcio": "recommended",
        }
        mssp = body["result"]["models"][1]
        rule_ids = [r["rule_id"] for r in mssp["reasons"]]
        assert rule_ids[0] == "regulated_data_needs_security_ops"
        assert "healthcare_hipaa_obligations" in rule_ids
        assert all(r["explanation"] for r in mssp["reasons"])
        msp = body["result"]["models"][0]
        assert msp["already_engaged"] is True
        assert msp["reasons"][-1]["rule_id"] == "already_engaged"
        assert body["result"]["delivery"]["mode"] == "fully_managed"
        warnings = [w["warning_id"] for w in body["result"]["warnings"]]
        assert "msp_relied_on_for_security" in warnings
        assert [p["code"] for p in body["result"]["packs"]] == [
            "provider-vetting",
            "pack-healthcare",
            "pack-vcio",
        ]
        assert body["prefill"] == {
            "industry": "healthcare",
            "employee_count": 40,
            "frameworks": ["hipaa"],
            "required_service_models": ["msp", "mssp", "vciso", "vcio"],
        }
        assert body["engine_version"] == needs_service.ENGINE_VERSION
        assert len(body["rule_set_hash"]) == 64

    def test_stored_result_reproduces_from_the_stored_profile(self, admin_client):
        body = admin_client.post(URL, {"profile": CLINIC}, format="json").json()
        stored = NeedsAssessment.objects.get(pk=body["id"])
        again = assess_needs(BuyerProfile.from_dict(stored.profile)).to_dict()
        assert stored.result == again
        assert stored.rule_set_hash == needs_service.rule_set_hash()
        # The profile is stored normalised: every field, defaults filled in.
        assert stored.profile["internal_it_staff"] is False
        assert stored.profile["signals"] == []
        assert body["name"] == ""

    def test_list_order_is_input_independent(self, admin_client):
        shuffled = {**CLINIC, "frameworks": ["soc2", "hipaa", "hipaa"]}
        body = admin_client.post(URL, {"profile": shuffled}, format="json").json()
        assert body["profile"]["frameworks"] == ["hipaa", "soc2"]

    @pytest.mark.parametrize(
        "profile, fields",
        [
            ({"employee_count": 10}, {"profile.industry"}),
            ({**CLINIC, "industry": "space"}, {"profile.industry"}),
            ({**CLINIC, "employee_count": 0}, {"profile.employee_count"}),
            ({**CLINIC, "employee_count": "40"}, {"profile.employee_count"}),
            ({**CLINIC, "regulated_data": "yes"}, {"profile.regulated_data"}),
            ({**CLINIC, "frameworks": ["hipaa", "nope"]}, {"profile.frameworks[1]"}),
            ({**CLINIC, "priorities": ["speed"]}, {"profile.priorities[0]"}),
            ({**CLINIC, "signals": "rapid_growth"}, {"profile.signals"}),
            ({**CLINIC, "regulated_date": True}, {"profile.regulated_date"}),
        ],
    )
    def test_invalid_profiles_are_400_with_field_paths(self, admin_client, profile, fields):
        response = admin_client.post(URL, {"profile": profile}, format="json")
        assert response.status_code == 400, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        assert {e["field"] for e in response.json()["errors"]} == fields
        assert not NeedsAssessment.objects.exists()

    def test_missing_profile_is_400(self, admin_client):
        response = admin_client.post(URL, {"name": "x"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "profile"

    def test_roles(self, make_client, organization):
        evaluator = make_client(Role.EVALUATOR, organization)
        viewer = make_client(Role.VIEWER, organization)
        created = evaluator.post(URL, {"profile": CLINIC}, format="json")
        assert created.status_code == 201
        assert viewer.post(URL, {"profile": CLINIC}, format="json").status_code == 403
        assert viewer.get(f"{URL}{created.json()['id']}/").status_code == 200
        assert viewer.get(URL).json()["count"] == 1

    def test_other_organizations_cannot_read(self, admin_client, make_client):
        body = admin_client.post(URL, {"profile": CLINIC}, format="json").json()
        stranger = make_client(Role.ADMIN)
        assert stranger.get(f"{URL}{body['id']}/").status_code == 404
        assert stranger.get(URL).json()["count"] == 0

    def test_etag_idempotency_and_sync(self, admin_client, settings):
        first = admin_client.post(
            URL, {"profile": CLINIC}, format="json", HTTP_IDEMPOTENCY_KEY="n1"
        )
        again = admin_client.post(
            URL, {"profile": CLINIC}, format="json", HTTP_IDEMPOTENCY_KEY="n1"
        )
        assert again.json()["id"] == first.json()["id"]
        assert NeedsAssessment.objects.count() == 1
        read = admin_client.get(f"{URL}{first.json()['id']}/")
        cached = admin_client.get(f"{URL}{first.json()['id']}/", HTTP_IF_NONE_MATCH=read["ETag"])
        assert cached.status_code == 304
        settings.SYNC_SETTLE_SECONDS = 0
        synced = admin_client.get(f"{URL}sync/").json()
        assert [a["id"] for a in synced["results"]] == [first.json()["id"]]

    def test_assessments_are_immutable(self, admin_client):
        body = admin_client.post(URL, {"profile": CLINIC}, format="json").json()
        assert admin_client.patch(f"{URL}{body['id']}/", {"name": "x"}).status_code == 405
        assert admin_client.delete(f"{URL}{body['id']}/").status_code == 405


@pytest.mark.django_db
class TestEvaluationPrefill:
    @pytest.fixture
    def assessment(self, admin_client):
        return admin_client.post(URL, {"name": "Clinic", "profile": CLINIC}, format="json").json()

    def test_an_evaluation_created_from_an_assessment_is_prefilled(
        self, admin_client, organization, assessment
    ):
        version = make_version(organization)
        response = admin_client.post(
            "/api/v1/evaluations/",
            {
                "name": "Pick providers",
                "questionnaire_version": version.pk,
                "needs_assessment": assessment["id"],
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["needs_assessment"] == assessment["id"]
        assert body["industry"] == "healthcare"
        assert body["employee_count"] == 40
        assert body["frameworks"] == ["hipaa"]
        # Required and recommended models: the buyer was told to buy all four.
        assert body["required_service_models"] == ["msp", "mssp", "vciso", "vcio"]

    def test_explicit_values_win_over_the_prefill(self, admin_client, organization, assessment):
        version = make_version(organization)
        response = admin_client.post(
            "/api/v1/evaluations/",
            {
                "name": "Security only",
                "questionnaire_version": version.pk,
                "needs_assessment": assessment["id"],
                "required_service_models": ["mssp"],
                "industry": "legal",
                "frameworks": [],
            },
            format="json",
        )
        body = response.json()
        assert (body["required_service_models"], body["industry"], body["frameworks"]) == (
            ["mssp"],
            "legal",
            [],
        )
        assert body["employee_count"] == 40

    def test_another_organizations_assessment_is_unknown(
        self, admin_client, make_client, organization
    ):
        stranger = make_client(Role.ADMIN)
        foreign = stranger.post(URL, {"profile": CLINIC}, format="json").json()
        version = make_version(organization)
        response = admin_client.post(
            "/api/v1/evaluations/",
            {"name": "x", "questionnaire_version": version.pk, "needs_assessment": foreign["id"]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "needs_assessment"

    def test_without_an_assessment_nothing_changes(self, admin_client, organization):
        version = make_version(organization)
        body = admin_client.post(
            "/api/v1/evaluations/",
            {"name": "x", "questionnaire_version": version.pk},
            format="json",
        ).json()
        assert body["needs_assessment"] is None
        assert (body["industry"], body["required_service_models"]) == ("other", [])

    def test_the_report_includes_the_assessment(
        self, admin_client, organization, assessment, django_capture_on_commit_callbacks
    ):
        from needs.models import NeedsAssessment as Model
        from tests.evaluations.test_reports_api import build_comparison, request_report

        evaluation = build_comparison(
            organization,
            lead=admin_client.membership,
            needs_assessment=Model.objects.get(pk=assessment["id"]),
        )
        response = request_report(
            admin_client, evaluation, capture=django_capture_on_commit_callbacks
        )
        job = admin_client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
        content = admin_client.get(job["result_url"]).json()["content"]
        assert content["needs_assessment"]["id"] == assessment["id"]
        assert content["needs_assessment"]["result"] == assessment["result"]
        assert content["evaluation"]["needs_assessment"] == assessment["id"]
        assert "needs assessment 'Clinic'" in content["summary"]

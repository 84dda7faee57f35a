"""Fields a client must not set are never applied: read-only ones (ids, computed values)
are ignored, others (organization, authorship) are refused as unknown."""

import pytest

from evaluations.models import Evaluation, Scorecard
from providers.models import Provider
from tests.evaluations.builders import make_version
from tests.factories import OrganizationFactory, UserFactory


@pytest.mark.django_db
class TestMassAssignment:
    def test_provider_create_ignores_id_and_timestamps(self, admin_client):
        response = admin_client.post(
            "/api/v1/providers/",
            {"name": "Sneaky", "id": 999_999, "created_at": "2001-01-01T00:00:00Z"},
            format="json",
        )
        assert response.status_code == 201, response.content
        provider = Provider.objects.get(name="Sneaky")
        assert provider.organization_id == admin_client.organization.pk
        assert response.json()["id"] == provider.pk
        assert not Provider.objects.filter(pk=999_999).exists()
        assert provider.created_at.year != 2001

    def test_provider_create_refuses_an_organization(self, admin_client):
        """Not a field of providers at all: a 400 naming it, not a silent drop."""
        other = OrganizationFactory()
        response = admin_client.post(
            "/api/v1/providers/", {"name": "Sneaky", "organization": other.pk}, format="json"
        )
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["organization"]
        assert not Provider.objects.filter(name="Sneaky").exists()

    def test_evaluation_create_ignores_status_and_decision(self, admin_client):
        version = make_version(admin_client.organization)
        response = admin_client.post(
            "/api/v1/evaluations/",
            {
                "name": "Pick",
                "questionnaire_version": version.pk,
                "status": "decided",
                "decision": {"candidate": 1, "rationale": "x", "decided_at": None},
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        evaluation = Evaluation.objects.get(pk=response.json()["id"])
        assert evaluation.status == "draft"
        assert evaluation.organization_id == admin_client.organization.pk
        assert evaluation.decision_candidate_id is None

    def test_evaluation_create_refuses_organization_and_author(self, admin_client):
        version = make_version(admin_client.organization)
        response = admin_client.post(
            "/api/v1/evaluations/",
            {
                "name": "Pick",
                "questionnaire_version": version.pk,
                "organization": OrganizationFactory().pk,
                "created_by": UserFactory().pk,
            },
            format="json",
        )
        assert response.status_code == 400
        fields = {e["field"]: e["code"] for e in response.json()["errors"]}
        assert fields == {"organization": "unknown_field", "created_by": "unknown_field"}
        assert not Evaluation.objects.exists()

    def test_scorecards_cannot_be_written(self, admin_client):
        response = admin_client.post("/api/v1/scorecards/", {"overall": 100}, format="json")
        assert response.status_code == 405
        assert not Scorecard.objects.exists()

    def test_job_results_cannot_be_written(self, admin_client):
        ping = admin_client.post("/api/v1/jobs/ping/").json()
        response = admin_client.patch(
            f"/api/v1/jobs/{ping['id']}/", {"status": "failed"}, format="json"
        )
        assert response.status_code == 405

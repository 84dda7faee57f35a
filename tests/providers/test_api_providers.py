"""The providers resource: CRUD, roles, validation and representations."""

import pytest

from accounts.models import Role, TokenScope
from providers.models import Provider
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    make_document,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/providers/"

MSSP = {
    "name": "Northwind Security",
    "website": "https://northwind.example",
    "headquarters": "Columbus, OH",
    "employee_band": "51-200",
    "service_models": ["mssp", "vciso", "mssp"],
    "soc_model": "third_party",
    "third_party_soc_name": "  Blue Harbor SOC ",
    "delivery": "co_managed",
    "industries": ["healthcare", "legal", "healthcare"],
    "frameworks": ["hipaa", "soc2"],
    "certifications": ["SOC 2 Type II", " SOC 2 Type II "],
    "tags": ["shortlist", "shortlist", "round-1"],
    "notes": "Asked for a sample monthly report.",
}


def detail(provider) -> str:
    return f"{URL}{provider.pk}/"


class TestCreate:
    def test_admin_creates_with_normalised_lists(self, admin_client, organization):
        response = admin_client.post(URL, MSSP, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["slug"] == "northwind-security"
        assert body["service_models"] == ["mssp", "vciso"]
        assert body["industries"] == ["healthcare", "legal"]
        assert body["certifications"] == ["SOC 2 Type II"]
        assert body["tags"] == ["shortlist", "round-1"]
        assert body["third_party_soc_name"] == "Blue Harbor SOC"
        assert body["capabilities"] == body["references"] == body["slas"] == []
        assert body["documents"] == []
        provider = Provider.objects.get(pk=body["id"])
        assert provider.organization == organization

    def test_minimal_provider_leaves_facts_unstated(self, admin_client):
        body = admin_client.post(URL, {"name": "Contoso IT"}, format="json").json()
        assert body["soc_model"] is None
        assert body["employee_band"] is None
        assert body["delivery"] is None
        assert body["service_models"] == []

    def test_slugs_from_names_are_made_unique(self, admin_client):
        slugs = [
            admin_client.post(URL, {"name": "Acme IT"}, format="json").json()["slug"]
            for _ in range(3)
        ]
        assert slugs == ["acme-it", "acme-it-2", "acme-it-3"]

    def test_explicit_slug_in_use_is_a_conflict(self, admin_client, organization):
        ProviderFactory(organization=organization, slug="acme")
        response = admin_client.post(URL, {"name": "Acme", "slug": "acme"}, format="json")
        assert response.status_code == 409
        assert response.json()["errors"][0]["field"] == "slug"

    def test_same_slug_in_another_organization_is_fine(self, admin_client):
        ProviderFactory(slug="acme")
        response = admin_client.post(URL, {"name": "Acme", "slug": "acme"}, format="json")
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("change", "field", "code"),
        [
            ({"soc_model": None}, "soc_model", "soc_model_required"),
            ({"third_party_soc_name": ""}, "third_party_soc_name", "soc_name_required"),
            ({"soc_model": "own"}, "third_party_soc_name", "soc_name_not_allowed"),
            ({"soc_model": "none"}, "third_party_soc_name", "soc_name_not_allowed"),
            ({"service_models": ["cloud"]}, "service_models[0]", "invalid_choice"),
            ({"industries": ["space"]}, "industries[0]", "invalid_choice"),
            ({"tags": ["Not A Slug"]}, "tags[0]", "invalid"),
            ({"tags": [0]}, "tags[0]", "invalid_type"),
            ({"tags": ["t"] * 51}, "tags", "max_length"),
            ({"certifications": [7]}, "certifications[0]", "invalid_type"),
            ({"certifications": ["  "]}, "certifications[0]", "blank"),
            ({"employee_band": "2-5"}, "employee_band", "invalid_choice"),
            ({"website": "ftp://files.example"}, "website", "invalid"),
            ({"name": "   "}, "name", "blank"),
            ({"name": "a\x00b"}, "name", "invalid_character"),
            ({"slug": "Not Valid"}, "slug", "invalid"),
            ({"notes": "n" * 10001}, "notes", "max_length"),
            ({"service_models": "mssp"}, "service_models", "invalid_type"),
        ],
    )
    def test_invalid_input_is_400_with_field_paths(self, admin_client, change, field, code):
        response = admin_client.post(URL, {**MSSP, **change}, format="json")
        assert response.status_code == 400, response.content
        errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
        assert (field, code) in errors
        assert not Provider.objects.exists()


class TestUpdate:
    def test_patch_changes_fields_and_bumps_updated_at(self, admin_client, organization):
        provider = ProviderFactory(organization=organization)
        before = provider.updated_at
        response = admin_client.patch(
            detail(provider), {"tags": ["b", "a", "b"], "headquarters": "Cleveland"}, "json"
        )
        assert response.status_code == 200, response.content
        provider.refresh_from_db()
        assert provider.tags == ["b", "a"]
        assert provider.headquarters == "Cleveland"
        assert provider.updated_at > before

    def test_put_is_not_allowed(self, admin_client, organization):
        provider = ProviderFactory(organization=organization)
        assert admin_client.put(detail(provider), MSSP, format="json").status_code == 405

    def test_changing_the_soc_model_away_from_third_party_drops_the_name(
        self, admin_client, organization
    ):
        provider = ProviderFactory(
            organization=organization,
            service_models=["mssp"],
            soc_model="third_party",
            third_party_soc_name="Blue SOC",
        )
        response = admin_client.patch(detail(provider), {"soc_model": "own"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["third_party_soc_name"] == ""

    def test_request_that_breaks_a_rule_by_itself_is_400(self, admin_client, organization):
        provider = ProviderFactory(organization=organization)
        response = admin_client.patch(
            detail(provider), {"soc_model": "own", "third_party_soc_name": "X"}, format="json"
        )
        assert response.status_code == 400

    @pytest.mark.parametrize(
        "change",
        [
            {"service_models": ["mssp"]},  # stored SOC model: not stated
            {"third_party_soc_name": "Blue SOC"},  # stored SOC model: own
        ],
    )
    def test_rule_broken_only_with_stored_values_is_409(self, admin_client, organization, change):
        provider = ProviderFactory(organization=organization, soc_model=None)
        if "third_party_soc_name" in change:
            provider.soc_model = "own"
            provider.save()
        response = admin_client.patch(detail(provider), change, format="json")
        assert response.status_code == 409, response.content
        assert response.json()["errors"]

    def test_slug_change_to_a_taken_slug_is_409(self, admin_client, organization):
        ProviderFactory(organization=organization, slug="taken")
        provider = ProviderFactory(organization=organization)
        response = admin_client.patch(detail(provider), {"slug": "taken"}, format="json")
        assert response.status_code == 409

    def test_delete_removes_the_provider_and_its_children(self, admin_client, organization):
        provider = ProviderFactory(organization=organization)
        ReferenceFactory(provider=provider)
        OfferingFactory(provider=provider)
        assert admin_client.delete(detail(provider)).status_code == 204
        assert not Provider.objects.filter(pk=provider.pk).exists()


class TestRoles:
    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_evaluators_and_viewers_read_but_do_not_write(self, make_client, organization, role):
        client = make_client(role, organization)
        provider = ProviderFactory(organization=organization)
        assert client.get(URL).status_code == 200
        assert client.get(detail(provider)).status_code == 200
        assert client.post(URL, {"name": "X"}, format="json").status_code == 403
        assert client.patch(detail(provider), {"name": "X"}, format="json").status_code == 403
        assert client.delete(detail(provider)).status_code == 403
        assert Provider.objects.filter(pk=provider.pk, name=provider.name).exists()

    def test_read_integration_key_reads_but_cannot_write(self, integration_client, organization):
        client = integration_client(TokenScope.READ)
        provider = ProviderFactory(organization=organization)
        assert client.get(URL).json()["count"] == 1
        assert client.post(URL, {"name": "X"}, format="json").status_code == 403
        assert client.patch(detail(provider), {"name": "X"}, format="json").status_code == 403
        assert client.delete(detail(provider)).status_code == 403

    def test_read_write_integration_key_writes(self, integration_client):
        client = integration_client(TokenScope.READ_WRITE)
        assert client.post(URL, {"name": "Synced"}, format="json").status_code == 201

    def test_anonymous_is_401(self, client):
        assert client.get(URL).status_code == 401

    def test_other_organizations_providers_are_404(self, admin_client):
        foreign = ProviderFactory()
        assert admin_client.get(detail(foreign)).status_code == 404
        assert admin_client.patch(detail(foreign), {"name": "x"}, format="json").status_code == 404
        assert admin_client.delete(detail(foreign)).status_code == 404
        assert admin_client.get(URL).json()["count"] == 0


class TestRepresentations:
    def test_list_is_compact(self, admin_client, organization):
        ProviderFactory(organization=organization)
        (item,) = admin_client.get(URL).json()["results"]
        assert "references" not in item and "notes" not in item
        assert {"id", "name", "slug", "service_models", "soc_model", "updated_at"} <= set(item)

    def test_detail_nests_children(self, admin_client, organization):
        provider = ProviderFactory(organization=organization)
        OfferingFactory(provider=provider, delivered_by="partner", partner_name="EndpointCo")
        ReferenceFactory(provider=provider)
        SlaTermFactory(provider=provider, target_value="15.5")
        document = make_document(provider)
        body = admin_client.get(detail(provider)).json()
        assert body["capabilities"][0]["capability"] == "msp.help_desk"
        assert body["capabilities"][0]["partner_name"] == "EndpointCo"
        assert body["capabilities"][0]["service_model"] == "msp"
        assert body["references"][0]["contact_email"] == "dana@clinic.example"
        assert body["slas"][0]["target_value"] == 15.5
        assert body["documents"][0]["sha256"] == document.sha256
        assert body["documents"][0]["download_url"].endswith(
            f"/api/v1/providers/{provider.pk}/documents/{document.pk}/download/"
        )

    def test_viewer_sees_references_without_contacts_in_the_detail(
        self, viewer_client, organization
    ):
        provider = ProviderFactory(organization=organization)
        ReferenceFactory(provider=provider)
        (reference,) = viewer_client.get(detail(provider)).json()["references"]
        assert reference["contact_name"] is None
        assert reference["contact_email"] is None
        assert reference["contact_phone"] is None
        assert reference["client_industry"] == "healthcare"


def test_provider_in_use_elsewhere_is_409_on_delete(admin_client, organization, monkeypatch):
    from django.db.models import ProtectedError

    provider = ProviderFactory(organization=organization)

    def protected(self, *args, **kwargs):
        raise ProtectedError("in use", set())

    monkeypatch.setattr(Provider, "delete", protected)
    response = admin_client.delete(detail(provider))
    assert response.status_code == 409
    assert Provider.objects.filter(pk=provider.pk).exists()

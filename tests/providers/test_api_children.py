"""Nested resources: capability offerings, references and SLA terms."""

import pytest

from accounts.models import Role, TokenScope
from providers.models import CapabilityOffering, Reference, SlaTerm
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    capability,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(organization):
    return ProviderFactory(organization=organization)


def url(provider, resource, pk=None):
    base = f"/api/v1/providers/{provider.pk}/{resource}/"
    return f"{base}{pk}/" if pk else base


REFERENCE = {
    "client_industry": "financial_services",
    "frameworks": ["sec_reg_sp", "finra", "finra"],
    "client_size": "11-50",
    "contactable": True,
    "contact_name": "Sam Lee",
    "contact_email": "sam@bank.example",
    "verified": True,
    "verified_at": "2026-02-01",
}
SLA = {
    "metric": "incident_response_time",
    "target_value": 30.12345,
    "unit": "minutes",
    "remedy_type": "service_credit",
    "remedy_details": "5% credit per miss.",
}


class TestOfferings:
    def test_admin_adds_offerings_by_capability_code(self, admin_client, provider):
        before = provider.updated_at
        response = admin_client.post(
            url(provider, "capabilities"),
            {"capability": "mssp.edr", "delivered_by": "partner", "partner_name": "EndpointCo"},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["capability_name"] == "Endpoint detection and response (EDR)"
        provider.refresh_from_db()
        assert provider.updated_at > before  # sync clients see child changes

    def test_self_delivery_is_the_default(self, admin_client, provider):
        body = admin_client.post(
            url(provider, "capabilities"), {"capability": "msp.help_desk"}, format="json"
        ).json()
        assert body["delivered_by"] == "self"
        assert body["partner_name"] == ""

    @pytest.mark.parametrize("invisible", ["\u200d\u202c", " \u200b ", "\ufeff"])
    def test_a_blank_partner_name_is_stored_empty(self, admin_client, provider, invisible):
        # Blank by the API's definition, so allowed for self-delivery; stored as
        # it came, it broke the database's "partner name iff partner" rule (500).
        response = admin_client.post(
            url(provider, "capabilities"),
            {"capability": "msp.help_desk", "delivered_by": "self", "partner_name": invisible},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["partner_name"] == ""
        assert CapabilityOffering.objects.get(provider=provider).partner_name == ""

    @pytest.mark.parametrize(
        ("payload", "field", "code"),
        [
            ({"capability": "mssp.nope"}, "capability", "does_not_exist"),
            ({"capability": "mssp.edr", "delivered_by": "partner"}, "partner_name", None),
            ({"capability": "mssp.edr", "partner_name": "X"}, "partner_name", None),
            ({"capability": 5}, "capability", "invalid_type"),
        ],
    )
    def test_invalid_offerings(self, admin_client, provider, payload, field, code):
        response = admin_client.post(url(provider, "capabilities"), payload, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert field in {e["field"] for e in errors}
        if code:
            assert code in {e["code"] for e in errors}

    def test_a_capability_is_offered_once(self, admin_client, provider):
        OfferingFactory(provider=provider, capability=capability("mssp.edr"))
        response = admin_client.post(
            url(provider, "capabilities"), {"capability": "mssp.edr"}, format="json"
        )
        assert response.status_code == 409
        assert CapabilityOffering.objects.filter(provider=provider).count() == 1

    def test_switching_to_self_delivery_drops_the_partner(self, admin_client, provider):
        offering = OfferingFactory(
            provider=provider, delivered_by="partner", partner_name="EndpointCo"
        )
        response = admin_client.patch(
            url(provider, "capabilities", offering.pk), {"delivered_by": "self"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["partner_name"] == ""

    def test_filter_by_service_model_and_delivery(self, admin_client, provider):
        OfferingFactory(provider=provider, capability=capability("msp.help_desk"))
        OfferingFactory(
            provider=provider,
            capability=capability("mssp.edr"),
            delivered_by="partner",
            partner_name="P",
        )
        listed = admin_client.get(url(provider, "capabilities") + "?service_model=mssp").json()
        assert [o["capability"] for o in listed["results"]] == ["mssp.edr"]
        listed = admin_client.get(url(provider, "capabilities") + "?delivered_by=self").json()
        assert [o["capability"] for o in listed["results"]] == ["msp.help_desk"]


class TestReferences:
    def test_create_and_list(self, admin_client, provider):
        response = admin_client.post(url(provider, "references"), REFERENCE, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["frameworks"] == ["sec_reg_sp", "finra"]
        assert admin_client.get(url(provider, "references")).json()["count"] == 1

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"verified": False}, "verified_at"),
            ({"contact_email": "", "contact_phone": ""}, "contactable"),
            ({"contact_email": "not-an-email"}, "contact_email"),
            ({"client_industry": "space"}, "client_industry"),
        ],
    )
    def test_invalid_references(self, admin_client, provider, change, field):
        response = admin_client.post(
            url(provider, "references"), {**REFERENCE, **change}, format="json"
        )
        assert response.status_code == 400
        assert field in {e["field"] for e in response.json()["errors"]}

    def test_null_contacts_are_stored_blank(self, admin_client, provider):
        payload = {**REFERENCE, "contactable": False, "contact_name": None, "contact_email": None}
        response = admin_client.post(url(provider, "references"), payload, format="json")
        assert response.status_code == 201, response.content
        reference = Reference.objects.get()
        assert reference.contact_name == reference.contact_email == ""

    @pytest.mark.parametrize("role", [Role.ADMIN, Role.EVALUATOR])
    def test_admins_and_evaluators_see_contacts(self, make_client, organization, provider, role):
        ReferenceFactory(provider=provider)
        client = make_client(role, organization)
        (item,) = client.get(url(provider, "references")).json()["results"]
        assert item["contact_email"] == "dana@clinic.example"
        assert item["contact_phone"] == "+1 555 0100"

    def test_viewers_do_not_see_contacts(self, viewer_client, provider):
        reference = ReferenceFactory(provider=provider)
        (item,) = viewer_client.get(url(provider, "references")).json()["results"]
        assert (item["contact_name"], item["contact_email"], item["contact_phone"]) == (
            None,
            None,
            None,
        )
        single = viewer_client.get(url(provider, "references", reference.pk)).json()
        assert single["contact_email"] is None

    @pytest.mark.parametrize("scope", [TokenScope.READ, TokenScope.READ_WRITE])
    def test_integration_keys_do_not_see_contacts(self, integration_client, provider, scope):
        ReferenceFactory(provider=provider)
        client = integration_client(scope)
        (item,) = client.get(url(provider, "references")).json()["results"]
        assert item["contact_email"] is None

    def test_unverifying_drops_the_date(self, admin_client, provider):
        reference = ReferenceFactory(provider=provider, verified=True, verified_at="2026-01-05")
        response = admin_client.patch(
            url(provider, "references", reference.pk), {"verified": False}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["verified_at"] is None


class TestSlas:
    def test_create_rounds_the_target(self, admin_client, provider):
        response = admin_client.post(url(provider, "slas"), SLA, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["target_value"] == 30.123
        assert str(SlaTerm.objects.get().target_value) == "30.123"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"target_value": -1}, "target_value"),
            ({"target_value": "30"}, "target_value"),
            ({"metric": "uptime"}, "unit"),
            ({"unit": "percent", "metric": "other", "target_value": 101}, "target_value"),
            ({"remedy_details": " "}, "remedy_details"),
            ({"metric": "mttr"}, "metric"),
        ],
    )
    def test_invalid_slas(self, admin_client, provider, change, field):
        response = admin_client.post(url(provider, "slas"), {**SLA, **change}, format="json")
        assert response.status_code == 400
        assert field in {e["field"] for e in response.json()["errors"]}

    def test_no_remedy_needs_no_details(self, admin_client, provider):
        payload = {"metric": "uptime", "target_value": 99.9, "unit": "percent"}
        response = admin_client.post(url(provider, "slas"), payload, format="json")
        assert response.status_code == 201
        assert response.json()["remedy_type"] == "none"

    def test_patch_conflicting_with_stored_unit_is_409(self, admin_client, provider):
        sla = SlaTermFactory(provider=provider)  # minutes
        response = admin_client.patch(url(provider, "slas", sla.pk), {"metric": "uptime"}, "json")
        assert response.status_code == 409


class TestNesting:
    @pytest.mark.parametrize("resource", ["capabilities", "references", "slas", "documents"])
    def test_another_organizations_provider_is_404(self, admin_client, resource):
        foreign = ProviderFactory()
        assert admin_client.get(url(foreign, resource)).status_code == 404
        assert admin_client.post(url(foreign, resource), {}, format="json").status_code == 404

    def test_unknown_provider_is_404(self, admin_client):
        assert admin_client.get("/api/v1/providers/999999/references/").status_code == 404
        assert admin_client.get("/api/v1/providers/abc/references/").status_code == 404

    def test_children_are_scoped_to_their_parent(self, admin_client, organization):
        first = ProviderFactory(organization=organization)
        second = ProviderFactory(organization=organization)
        reference = ReferenceFactory(provider=first)
        assert admin_client.get(url(second, "references")).json()["count"] == 0
        assert admin_client.get(url(second, "references", reference.pk)).status_code == 404
        response = admin_client.delete(url(second, "references", reference.pk))
        assert response.status_code == 404
        assert Reference.objects.filter(pk=reference.pk).exists()

    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_only_admins_write_children(self, make_client, organization, provider, role):
        client = make_client(role, organization)
        reference = ReferenceFactory(provider=provider)
        assert client.get(url(provider, "references")).status_code == 200
        assert client.post(url(provider, "references"), REFERENCE, format="json").status_code == 403
        assert (
            client.patch(
                url(provider, "references", reference.pk), {"notes": "x"}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.delete(url(provider, "slas", SlaTermFactory(provider=provider).pk)).status_code
            == 403
        )

    def test_read_integration_key_cannot_write_children(self, integration_client, provider):
        client = integration_client(TokenScope.READ)
        response = client.post(
            url(provider, "capabilities"), {"capability": "mssp.edr"}, format="json"
        )
        assert response.status_code == 403

    def test_deleting_a_child_bumps_the_provider(self, admin_client, provider):
        sla = SlaTermFactory(provider=provider)
        provider.refresh_from_db()
        before = provider.updated_at
        assert admin_client.delete(url(provider, "slas", sla.pk)).status_code == 204
        provider.refresh_from_db()
        assert provider.updated_at > before

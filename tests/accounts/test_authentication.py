import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, TokenScope
from accounts.services import issue_token
from tests.factories import MembershipFactory, OrganizationFactory


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.mark.django_db
class TestBearerTokens:
    def test_valid_token_authenticates_and_records_last_use(self):
        membership = MembershipFactory(role=Role.VIEWER)
        token, raw = issue_token(membership.organization, name="t", membership=membership)
        assert token.last_used_at is None
        response = bearer(raw).get("/api/v1/organization")
        assert response.status_code == 200
        assert response.json()["role"] == "viewer"
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_only_the_hash_is_stored(self):
        membership = MembershipFactory()
        token, raw = issue_token(membership.organization, name="t", membership=membership)
        stored = ApiToken.objects.get(pk=token.pk)
        assert raw not in (stored.token_hash, stored.prefix)
        assert raw.startswith(stored.prefix)

    @pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Bearer a b", "Token abc"])
    def test_bad_credentials_are_401_problems(self, header):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/organization")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401

    def test_revoked_token_is_refused(self):
        membership = MembershipFactory()
        token, raw = issue_token(membership.organization, name="t", membership=membership)
        token.revoke()
        assert bearer(raw).get("/api/v1/organization").status_code == 401

    def test_no_credentials_is_401_with_challenge(self):
        response = APIClient().get("/api/v1/jobs/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
class TestIntegrationKeys:
    def test_read_key_reads_but_cannot_write(self):
        organization = OrganizationFactory()
        _, raw = issue_token(organization, name="crm", scope=TokenScope.READ)
        client = bearer(raw)
        assert client.get("/api/v1/jobs/").status_code == 200
        assert client.post("/api/v1/jobs/ping/").status_code == 403

    def test_read_write_key_writes_domain_data_but_not_access_control(self):
        organization = OrganizationFactory()
        _, raw = issue_token(organization, name="crm", scope=TokenScope.READ_WRITE)
        client = bearer(raw)
        assert client.post("/api/v1/jobs/ping/").status_code == 202
        assert client.post("/api/v1/members/", {"username": "x"}, format="json").status_code == 403
        response = client.post("/api/v1/api-tokens/", {"name": "more"}, format="json")
        assert response.status_code == 403
        assert client.patch("/api/v1/organization", {"name": "x"}, format="json").status_code == 403


@pytest.mark.django_db
class TestSessionAuthentication:
    def test_session_user_acts_for_the_organization_named_in_the_header(self):
        user = get_user_model().objects.create_user("multi", password="pw-123456-long")
        first = MembershipFactory(user=user, role=Role.ADMIN)
        second = MembershipFactory(user=user, role=Role.VIEWER)
        client = APIClient()
        client.force_login(user)
        default = client.get("/api/v1/organization").json()
        assert default["id"] == first.organization.id
        chosen = client.get("/api/v1/organization", HTTP_X_ORGANIZATION=second.organization.slug)
        assert chosen.json() == {**chosen.json(), "id": second.organization.id, "role": "viewer"}

    def test_user_without_membership_is_forbidden(self):
        user = get_user_model().objects.create_user("loner", password="pw-123456-long")
        client = APIClient()
        client.force_login(user)
        assert client.get("/api/v1/organization").status_code == 403

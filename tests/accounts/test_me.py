"""GET /api/v1/me/ for every kind of caller."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def member():
    return MembershipFactory(
        role=Role.EVALUATOR,
        user__username="dana",
        user__first_name="Dana",
        user__last_name="Reyes",
        organization__name="Buyer Inc",
        organization__slug="buyer",
    )


@pytest.mark.parametrize("scope", [TokenScope.READ, TokenScope.READ_WRITE])
def test_a_personal_token(member, scope):
    _, raw = issue_token(member.organization, name="t", membership=member, scope=scope)
    response = _bearer(raw).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "user": {
            "id": member.user.pk,
            "username": "dana",
            "email": member.user.email,
            "first_name": "Dana",
            "last_name": "Reyes",
        },
        "membership": member.pk,
        "role": "evaluator",
        "organization": {"id": member.organization.pk, "name": "Buyer Inc", "slug": "buyer"},
        "token_kind": "personal",
        "scope": scope,
    }


@pytest.mark.parametrize("scope", [TokenScope.READ, TokenScope.READ_WRITE])
def test_an_integration_key_has_no_user_membership_or_role(scope):
    organization = OrganizationFactory()
    _, raw = issue_token(organization, name="crm", scope=scope)
    body = _bearer(raw).get("/api/v1/me/").json()
    assert body == {
        "user": None,
        "membership": None,
        "role": None,
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "slug": organization.slug,
        },
        "token_kind": "integration",
        "scope": scope,
    }


def test_a_session_in_several_organizations(member):
    second = MembershipFactory(user=member.user, role=Role.ADMIN)
    client = APIClient()
    client.force_login(member.user)
    body = client.get("/api/v1/me/").json()
    assert (body["token_kind"], body["scope"], body["membership"]) == ("session", None, member.pk)
    chosen = client.get("/api/v1/me/", HTTP_X_ORGANIZATION=second.organization.slug).json()
    assert (chosen["organization"]["id"], chosen["role"]) == (second.organization.pk, "admin")


def test_anonymous_is_401_and_unknown_parameters_400(member):
    assert APIClient().get("/api/v1/me/").status_code == 401
    client = APIClient()
    client.force_login(member.user)
    response = client.get("/api/v1/me/", {"verbose": "1"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "verbose"

"""POST /api/v1/invitations/accept/: accepting with a new account, without a browser."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Invitation, InvitationStatus, Membership
from tests.accounts.invitation_helpers import invite, last_link
from tests.factories import MembershipFactory, OrganizationFactory, token_for

PASSWORD = "correct horse battery staple 42"
URL = "/api/v1/invitations/accept/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(admin_client):
    invite(admin_client, "dana@buyer.example", "evaluator")
    return last_link("dana@buyer.example").split("/")[-2]


def _accept(body, client=None):
    return (client or APIClient()).post(URL, body, format="json")


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_a_new_account_joins_with_the_invited_role(admin_client, token):
    response = _accept({"token": token, "username": "dana", "password": PASSWORD})
    assert response.status_code == 201, response.content
    body = response.json()
    organization = admin_client.organization
    assert body == {
        "membership": Membership.objects.get(user__username="dana").pk,
        "username": "dana",
        "role": "evaluator",
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "slug": organization.slug,
        },
    }
    user = get_user_model().objects.get(username="dana")
    assert user.check_password(PASSWORD) and user.email == "dana@buyer.example"
    assert Invitation.objects.get().accepted_by == user
    again = _accept({"token": token, "username": "dana2", "password": PASSWORD})
    assert "already used" in _problem(again, 410)["detail"]


def test_the_username_defaults_to_the_address(token):
    assert _accept({"token": token, "password": PASSWORD}).status_code == 201
    assert get_user_model().objects.filter(username="dana@buyer.example").exists()


def test_credentials_sent_along_are_not_used(token):
    """A token of someone else's membership neither acts nor is attached."""
    other = MembershipFactory(organization=OrganizationFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(other)}")
    response = _accept({"token": token, "username": "dana", "password": PASSWORD}, client)
    assert response.status_code == 201
    assert Membership.objects.filter(user=other.user).count() == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"expires_at": timezone.now()}, "expired"),
        ({"accepted_at": timezone.now()}, "already used"),
    ],
)
def test_dead_tokens_are_410(token, change, words):
    Invitation.objects.update(**change)
    response = _accept({"token": token, "password": PASSWORD})
    assert words in _problem(response, 410)["detail"]
    assert not get_user_model().objects.filter(email="dana@buyer.example").exists()


def test_an_unknown_token_is_404(token):
    _problem(_accept({"token": token[:-1] + "x", "password": PASSWORD}), 404)
    assert Invitation.objects.get().status == InvitationStatus.PENDING


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"password": PASSWORD}, "token", "required"),
        ({"token": "t"}, "password", "required"),
        ({"token": "x" * 101, "password": PASSWORD}, "token", "max_length"),
        ({"token": "t", "password": PASSWORD, "role": "admin"}, "role", "unknown_field"),
        ({"token": "t", "password": PASSWORD, "username": "a b"}, "username", "invalid"),
        ({"token": 5, "password": PASSWORD}, "token", "invalid_type"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(body, field, code):
    problem = _problem(_accept(body), 400)
    assert (field, code) in {(e["field"], e["code"]) for e in problem["errors"]}


def test_a_weak_password_is_a_400_and_claims_nothing(token):
    problem = _problem(_accept({"token": token, "password": "dana@buyer"}), 400)
    assert {e["field"] for e in problem["errors"]} == {"password"}
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_a_taken_username_or_an_existing_account_is_a_409(token):
    MembershipFactory(user__username="taken", user__email="taken@elsewhere.example")
    _problem(_accept({"token": token, "username": "taken", "password": PASSWORD}), 409)
    MembershipFactory(user__username="dana-old", user__email="Dana@buyer.example")
    response = _accept({"token": token, "username": "dana", "password": PASSWORD})
    assert "sign in" in _problem(response, 409)["detail"]
    assert b"dana-old" not in response.content
    assert Invitation.objects.get().status == InvitationStatus.PENDING

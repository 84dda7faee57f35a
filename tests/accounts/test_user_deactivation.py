"""Operators deactivate users in the Django admin, never the last active admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Role
from tests.factories import MembershipFactory


def operator_client() -> Client:
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def deactivate(client: Client, user):
    """POST the user's admin change form as it stands, with 'active' unticked."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    return client.post(f"/admin/auth/user/{user.pk}/change/", data)


@pytest.mark.django_db
def test_the_last_active_admin_cannot_be_deactivated(organization):
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    response = deactivate(operator_client(), alice.user)
    assert response.status_code == 200  # the form again, with the error
    assert "last active admin" in response.content.decode()
    alice.user.refresh_from_db()
    assert alice.user.is_active


@pytest.mark.django_db
def test_an_admin_with_an_active_peer_is_deactivated_and_no_longer_counts(
    organization, make_client
):
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    bob = make_client(Role.ADMIN, organization)
    assert deactivate(operator_client(), alice.user).status_code == 302
    alice.user.refresh_from_db()
    assert not alice.user.is_active
    own = bob.membership.pk
    assert (
        bob.patch(f"/api/v1/members/{own}/", {"role": "viewer"}, format="json").status_code == 400
    )

"""The Django admin shows memberships but cannot bypass the services' rules."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts import invitations
from accounts.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_the_last_admin_can_be_neither_demoted_nor_deleted_there(operator, organization):
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    change = f"/admin/accounts/membership/{admin.pk}/change/"
    assert operator.get(change).status_code == 200  # shown, read-only
    operator.post(change, {"role": Role.VIEWER, "user": admin.user_id})
    assert (
        operator.post(f"/admin/accounts/membership/{admin.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_organization_page_lists_members_without_editing_them(operator, organization):
    MembershipFactory(organization=organization, role=Role.ADMIN)
    page = operator.get(f"/admin/accounts/organization/{organization.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "memberships-TOTAL_FORMS" in html  # the inline is there...
    assert 'name="memberships-0-role"' not in html  # ...without an editable role
    assert operator.get("/admin/accounts/membership/add/").status_code == 403


def test_invitations_are_shown_read_only_without_their_hash(operator, organization):
    inviter = MembershipFactory(organization=organization, role=Role.ADMIN)
    invitation = invitations.invite(
        organization=organization,
        email="dana@buyer.example",
        role="viewer",
        invited_by=inviter.user,
    )
    client = operator
    listing = client.get("/admin/accounts/invitation/")
    assert listing.status_code == 200
    assert invitation.email in listing.content.decode()
    page = client.get(f"/admin/accounts/invitation/{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.content.decode()
    assert client.get("/admin/accounts/invitation/add/").status_code == 403

"""Accepting an invitation on the server-rendered pages: new and existing accounts,
and every link that no longer works answering a page that says why."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation, InvitationStatus, Membership, Role
from tests.accounts.invitation_helpers import invite, last_link
from tests.factories import MembershipFactory, OrganizationFactory
from tests.services import require_postgres

PASSWORD = "correct horse battery staple 42"


def _join(client, link, username="dana", password=PASSWORD, confirm=None):
    return client.post(
        link, {"username": username, "password1": password, "password2": confirm or password}
    )


def _csrf_client():
    return Client(enforce_csrf_checks=True)


def _csrf_post(client, url, data):
    page = client.get(url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


@pytest.mark.django_db
class TestNewAccount:
    def test_a_new_address_creates_the_account_and_membership_and_signs_in(self, admin_client):
        invite(admin_client, "dana@buyer.example", "evaluator")
        link = last_link("dana@buyer.example")
        client = _csrf_client()
        page = client.get(link)
        assert page.status_code == 200
        html = page.content.decode()
        assert admin_client.organization.name in html
        assert 'value="dana@buyer.example"' in html  # the username defaults to the address
        assert '<label for="id_password1"' in html
        joined = _csrf_post(
            client, link, {"username": "dana", "password1": PASSWORD, "password2": PASSWORD}
        )
        assert joined.status_code == 302, joined.content.decode()[:500]
        user = get_user_model().objects.get(username="dana")
        assert (user.email, user.check_password(PASSWORD)) == ("dana@buyer.example", True)
        membership = Membership.objects.get(user=user)
        assert (membership.organization, membership.role) == (
            admin_client.organization,
            "evaluator",
        )
        invitation = Invitation.objects.get()
        assert invitation.status == InvitationStatus.ACCEPTED
        assert invitation.accepted_by == user
        me = client.get("/api/v1/me/").json()
        assert (me["user"]["username"], me["token_kind"]) == ("dana", "session")

    @pytest.mark.parametrize(
        ("password", "confirm", "message"),
        [
            ("short", None, "too short"),
            ("password123", None, "too common"),
            ("83749201938475", None, "entirely numeric"),
            (PASSWORD, PASSWORD + "x", "differ"),
        ],
    )
    def test_the_password_validators_apply(self, admin_client, client, password, confirm, message):
        invite(admin_client, "dana@buyer.example")
        link = last_link("dana@buyer.example")
        response = _join(client, link, password=password, confirm=confirm)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not get_user_model().objects.filter(username="dana").exists()
        assert Invitation.objects.get().status == InvitationStatus.PENDING

    def test_a_taken_username_is_refused_and_nothing_is_claimed(self, admin_client, client):
        MembershipFactory(user__username="dana", user__email="other@elsewhere.example")
        invite(admin_client, "dana@buyer.example")
        response = _join(client, last_link("dana@buyer.example"), username="Dana")
        assert "taken" in response.content.decode()
        assert Invitation.objects.get().status == InvitationStatus.PENDING

    def test_a_post_without_csrf_is_refused(self, admin_client):
        invite(admin_client, "dana@buyer.example")
        response = _join(_csrf_client(), last_link("dana@buyer.example"))
        assert response.status_code == 403
        assert not get_user_model().objects.filter(username="dana").exists()


@pytest.mark.django_db
class TestExistingAccount:
    @pytest.fixture
    def elsewhere(self):
        """Dana, a member of another organization, with a password."""
        membership = MembershipFactory(
            organization=OrganizationFactory(),
            user__username="dana",
            user__email="Dana@Buyer.example",
        )
        membership.user.set_password(PASSWORD)
        membership.user.save()
        return membership

    def test_the_owner_signs_in_then_joins_without_a_new_account(self, admin_client, elsewhere):
        invite(admin_client, "dana@buyer.example", "viewer")
        link = last_link("dana@buyer.example")
        client = Client()
        page = client.get(link)
        assert page.status_code == 200
        assert f"/accounts/login/?next={link}" in page.content.decode()
        assert 'name="password1"' not in page.content.decode()
        signed_in = client.post(
            "/accounts/login/", {"username": "dana", "password": PASSWORD, "next": link}
        )
        assert signed_in.status_code == 302 and signed_in["Location"] == link
        join_page = client.get(link)
        assert f"Join {admin_client.organization.name}" in join_page.content.decode()
        assert client.post(link).status_code == 302
        users = get_user_model().objects.filter(email__iexact="dana@buyer.example")
        assert users.count() == 1
        assert set(
            Membership.objects.filter(user=elsewhere.user).values_list("organization_id", flat=True)
        ) == {elsewhere.organization_id, admin_client.organization.id}
        # The join switches the session to the new organization.
        assert (
            client.get("/api/v1/me/").json()["organization"]["id"] == admin_client.organization.id
        )
        assert client.post(link).status_code == 410

    def test_a_signed_in_user_with_another_address_cannot_join(self, admin_client, elsewhere):
        invite(admin_client, "someone@buyer.example")
        client = Client()
        client.force_login(elsewhere.user)
        link = last_link("someone@buyer.example")
        assert client.get(link).status_code == 403
        assert client.post(link).status_code == 403
        assert Invitation.objects.get().status == InvitationStatus.PENDING
        assert not Membership.objects.filter(
            organization=admin_client.organization, user=elsewhere.user
        ).exists()

    def test_an_existing_member_joining_again_is_told_so(self, admin_client, elsewhere):
        invite(admin_client, "dana@buyer.example")
        Membership.objects.create(organization=admin_client.organization, user=elsewhere.user)
        client = Client()
        client.force_login(elsewhere.user)
        response = client.post(last_link("dana@buyer.example"))
        assert response.status_code == 409
        assert "already a member" in response.content.decode()
        assert Invitation.objects.get().status == InvitationStatus.PENDING


@pytest.mark.django_db
class TestUnusableLinks:
    @pytest.fixture
    def link(self, admin_client):
        invite(admin_client, "dana@buyer.example")
        return last_link("dana@buyer.example")

    @pytest.mark.parametrize(
        ("change", "status", "words"),
        [
            ({"expires_at": timezone.now() - timedelta(seconds=1)}, 410, "expired"),
            ({"revoked_at": timezone.now()}, 410, "withdrawn"),
            ({"accepted_at": timezone.now()}, 410, "already used"),
        ],
        ids=["expired", "revoked", "accepted"],
    )
    def test_a_dead_link_says_why(self, client, link, change, status, words):
        Invitation.objects.update(**change)
        for response in (client.get(link), _join(client, link)):
            assert response.status_code == status
            assert response["Content-Type"].startswith("text/html")
            assert words in response.content.decode()
        assert not get_user_model().objects.filter(username="dana").exists()

    def test_a_used_link_cannot_be_used_again(self, client, link):
        assert _join(client, link).status_code == 302
        other = Client()
        assert other.get(link).status_code == 410
        assert _join(other, link, username="mallory").status_code == 410
        assert not get_user_model().objects.filter(username="mallory").exists()

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + "/",
            lambda path: path[:-2] + "/",
            lambda path: "/invitations/accept/" + "x" * 500 + "/",
            lambda path: "/invitations/accept/%00%ff/",
        ],
        ids=["one-character", "truncated", "too-long", "garbage"],
    )
    def test_a_tampered_link_is_a_404_page(self, client, link, tamper):
        response = client.get(tamper(link))
        assert response.status_code == 404
        assert "does not work" in response.content.decode()
        assert _join(client, tamper(link)).status_code == 404
        assert Invitation.objects.get().status == InvitationStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_let_exactly_one_in():
    """Two browsers submit the same link at the same moment (PostgreSQL, real threads)."""
    require_postgres()
    organization = OrganizationFactory()
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    invitations.invite(
        organization=organization, email="dana@buyer.example", role="viewer", invited_by=admin.user
    )
    token = last_link("dana@buyer.example").split("/")[-2]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(username):
        barrier.wait()
        try:
            invitations.accept_as_new_user(token, username=username, password=PASSWORD)
            outcomes.append("joined")
        except invitations.InvitationUnusable as error:
            outcomes.append(error.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("dana1", "dana2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "joined"]
    assert Membership.objects.filter(organization=organization).count() == 2
    assert get_user_model().objects.filter(username__startswith="dana").count() == 1

"""Invitations over the API: create, list and filter, revoke, resend, limits, roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Invitation, Role, hash_token
from notifications.models import Kind, Notification
from tests.accounts.invitation_helpers import invite, last_link
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


class TestCreate:
    def test_an_invitation_is_pending_and_emails_a_link_whose_secret_is_never_stored(
        self, admin_client
    ):
        body = invite(admin_client, "Dana@Buyer.example", "evaluator")
        assert body["status"] == "pending"
        assert (body["email"], body["role"], body["send_count"]) == (
            "dana@buyer.example",
            "evaluator",
            1,
        )
        assert body["invited_by"] == admin_client.membership.user.username
        assert "token" not in body and "token_hash" not in body
        row = Invitation.objects.get(pk=body["id"])
        expected = timezone.now() + timedelta(days=7)
        assert abs((row.expires_at - expected).total_seconds()) < 60
        raw = last_link("dana@buyer.example").split("/")[-2]
        assert row.token_hash == hash_token(raw)
        assert raw not in row.token_hash
        detail = admin_client.get(f"/api/v1/invitations/{row.pk}/")
        assert raw not in detail.content.decode()
        email = Notification.objects.get(kind=Kind.INVITATION)
        assert admin_client.organization.name in email.subject
        assert "as evaluator" in email.body_text

    def test_a_second_invitation_to_a_pending_address_is_a_409_naming_the_first(self, admin_client):
        first = invite(admin_client, "dana@buyer.example")
        again = admin_client.post(
            "/api/v1/invitations/", {"email": "DANA@buyer.example"}, format="json"
        )
        problem = _problem(again, 409)
        assert f"Invitation {first['id']}" in problem["detail"]
        assert Invitation.objects.count() == 1

    def test_a_revoked_or_expired_invitation_does_not_block_a_new_one(self, admin_client):
        first = invite(admin_client, "dana@buyer.example")
        admin_client.post(f"/api/v1/invitations/{first['id']}/revoke/")
        second = invite(admin_client, "dana@buyer.example")
        Invitation.objects.filter(pk=second["id"]).update(expires_at=timezone.now())
        invite(admin_client, "dana@buyer.example")
        assert Invitation.objects.count() == 3

    def test_a_members_address_is_a_409(self, admin_client, organization):
        MembershipFactory(organization=organization, user__email="Member@Buyer.example")
        response = admin_client.post(
            "/api/v1/invitations/", {"email": "member@buyer.example"}, format="json"
        )
        _problem(response, 409)
        assert not Invitation.objects.exists()

    def test_an_address_used_in_another_organization_is_invited_and_nothing_is_revealed(
        self, admin_client
    ):
        MembershipFactory(
            organization=OrganizationFactory(name="Secret Corp"),
            user__email="dana@buyer.example",
            user__username="dana-elsewhere",
        )
        response = admin_client.post(
            "/api/v1/invitations/", {"email": "dana@buyer.example"}, format="json"
        )
        assert response.status_code == 201
        for secret in (b"Secret Corp", b"dana-elsewhere"):
            assert secret not in response.content

    def test_the_pending_limit_is_a_409(self, admin_client, settings):
        settings.INVITATION_MAX_PENDING = 2
        invite(admin_client, "a@buyer.example")
        invite(admin_client, "b@buyer.example")
        response = admin_client.post(
            "/api/v1/invitations/", {"email": "c@buyer.example"}, format="json"
        )
        assert "2 pending invitations" in _problem(response, 409)["detail"]

    @pytest.mark.parametrize(
        ("body", "field", "code"),
        [
            ({"email": "not-an-address"}, "email", "invalid"),
            ({"email": "a@b.example", "role": "owner"}, "role", "invalid_choice"),
            ({"email": "a@b.example", "organization": 1}, "organization", "unknown_field"),
            ({"email": "x" * 250 + "@b.example"}, "email", "max_length"),
            ({}, "email", "required"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, admin_client, body, field, code):
        problem = _problem(admin_client.post("/api/v1/invitations/", body, format="json"), 400)
        assert (field, code) in {(e["field"], e["code"]) for e in problem["errors"]}


class TestRoles:
    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_non_admins_can_neither_invite_nor_read_invitations(
        self, make_client, admin_client, organization, role
    ):
        existing = invite(admin_client, "dana@buyer.example")
        client = make_client(role, organization)
        body = {"email": "x@buyer.example"}
        _problem(client.post("/api/v1/invitations/", body, format="json"), 403)
        _problem(client.get("/api/v1/invitations/"), 403)
        _problem(client.get(f"/api/v1/invitations/{existing['id']}/"), 403)
        for verb in ("revoke", "resend"):
            _problem(client.post(f"/api/v1/invitations/{existing['id']}/{verb}/"), 403)
        assert Invitation.objects.get().revoked_at is None

    def test_another_organizations_invitation_is_a_404(self, admin_client, make_client):
        existing = invite(admin_client, "dana@buyer.example")
        other = make_client(Role.ADMIN)
        for method, suffix in (("get", ""), ("post", "revoke/"), ("post", "resend/")):
            response = getattr(other, method)(f"/api/v1/invitations/{existing['id']}/{suffix}")
            _problem(response, 404)
        assert other.get("/api/v1/invitations/").json()["count"] == 0


class TestListing:
    def test_status_filters(self, admin_client):
        ids = {
            name: invite(admin_client, f"{name}@buyer.example")["id"]
            for name in ("pending", "revoked", "expired", "accepted")
        }
        now = timezone.now()
        Invitation.objects.filter(pk=ids["revoked"]).update(revoked_at=now)
        Invitation.objects.filter(pk=ids["expired"]).update(expires_at=now)
        Invitation.objects.filter(pk=ids["accepted"]).update(accepted_at=now)
        for status, pk in ids.items():
            listed = admin_client.get("/api/v1/invitations/", {"status": status}).json()
            assert [item["id"] for item in listed["results"]] == [pk]
            assert listed["results"][0]["status"] == status
        problem = _problem(admin_client.get("/api/v1/invitations/", {"status": "nope"}), 400)
        assert problem["errors"][0]["field"] == "status"
        problem = _problem(admin_client.get("/api/v1/invitations/", {"stauts": "pending"}), 400)
        assert problem["errors"][0]["field"] == "stauts"

    def test_the_list_runs_a_constant_number_of_queries(self, admin_client, count_queries):
        inviters = [UserFactory() for _ in range(3)]
        for index in range(12):
            Invitation.objects.create(
                organization=admin_client.organization,
                email=f"p{index}@buyer.example",
                invited_by=inviters[index % 3],
                accepted_by=inviters[(index + 1) % 3],
                token_hash=f"{index:064d}",
                expires_at=timezone.now() + timedelta(days=1),
            )
        admin_client.get("/api/v1/invitations/?page_size=1")
        with count_queries() as small:
            assert admin_client.get("/api/v1/invitations/?page_size=1").status_code == 200
        with count_queries() as large:
            response = admin_client.get("/api/v1/invitations/?page_size=12")
        assert len(response.json()["results"]) == 12
        assert len(small) == len(large)


class TestRevokeAndResend:
    def test_revoke_kills_the_link_and_is_idempotent(self, admin_client, client):
        created = invite(admin_client, "dana@buyer.example")
        link = last_link("dana@buyer.example")
        url = f"/api/v1/invitations/{created['id']}/revoke/"
        first = admin_client.post(url)
        assert first.status_code == 200 and first.json()["status"] == "revoked"
        again = admin_client.post(url)
        assert again.json()["revoked_at"] == first.json()["revoked_at"]
        assert client.get(link).status_code == 410

    def test_resend_issues_a_new_link_and_expiry_and_kills_the_old_link(
        self, admin_client, client, settings
    ):
        settings.INVITATION_RESEND_INTERVAL_SECONDS = 0
        created = invite(admin_client, "dana@buyer.example")
        old_link = last_link("dana@buyer.example")
        Invitation.objects.filter(pk=created["id"]).update(
            expires_at=timezone.now() - timedelta(hours=1)
        )
        resent = admin_client.post(f"/api/v1/invitations/{created['id']}/resend/")
        assert resent.status_code == 200, resent.content
        body = resent.json()
        assert (body["status"], body["send_count"]) == ("pending", 2)
        assert body["expires_at"] > created["expires_at"]
        new_link = last_link("dana@buyer.example")
        assert new_link != old_link
        assert client.get(old_link).status_code == 404
        assert client.get(new_link).status_code == 200
        assert Notification.objects.filter(kind=Kind.INVITATION).count() == 2

    def test_resend_is_rate_bounded(self, admin_client, settings):
        created = invite(admin_client, "dana@buyer.example")
        url = f"/api/v1/invitations/{created['id']}/resend/"
        too_soon = admin_client.post(url)
        _problem(too_soon, 429)
        assert int(too_soon["Retry-After"]) >= 1
        settings.INVITATION_RESEND_INTERVAL_SECONDS = 0
        settings.INVITATION_MAX_SENDS = 3
        assert admin_client.post(url).status_code == 200
        assert admin_client.post(url).status_code == 200
        assert "3 times" in _problem(admin_client.post(url), 409)["detail"]
        assert Invitation.objects.get().send_count == 3

    def test_resending_or_revoking_an_accepted_invitation_is_a_409(self, admin_client, settings):
        settings.INVITATION_RESEND_INTERVAL_SECONDS = 0
        created = invite(admin_client, "dana@buyer.example")
        Invitation.objects.filter(pk=created["id"]).update(accepted_at=timezone.now())
        for verb in ("resend", "revoke"):
            _problem(admin_client.post(f"/api/v1/invitations/{created['id']}/{verb}/"), 409)

    def test_a_body_on_revoke_or_resend_is_refused(self, admin_client):
        created = invite(admin_client, "dana@buyer.example")
        url = f"/api/v1/invitations/{created['id']}/revoke/"
        problem = _problem(admin_client.post(url, {"reason": "x"}, format="json"), 400)
        assert problem["errors"][0]["field"] == "reason"
        assert Invitation.objects.get().revoked_at is None


def test_the_invitation_email_goes_out_over_smtp_with_a_working_link(
    admin_client, client, smtp_server, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin_client, "dana@buyer.example")
    (message,) = smtp_server.messages
    assert message["To"] == "dana@buyer.example"
    assert admin_client.organization.name in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = last_link("dana@buyer.example")
    assert f"{settings.SITE_URL}{link}" in text and link in html
    assert client.get(link).status_code == 200

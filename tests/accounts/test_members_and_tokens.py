import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Role
from tests.evaluations.builders import make_evaluation, make_version
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.django_db
class TestMembers:
    def test_admin_adds_member_and_duplicate_is_conflict(self, admin_client):
        body = {"username": "erin", "email": "erin@example.com", "role": "evaluator"}
        created = admin_client.post("/api/v1/members/", body, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["role"] == "evaluator"
        again = admin_client.post("/api/v1/members/", body, format="json")
        assert again.status_code == 409
        assert again.json()["code"] == "conflict"

    def test_a_new_member_gets_a_new_account_without_a_password(self, admin_client):
        body = {"username": "newcomer", "email": "new@example.com"}
        created = admin_client.post("/api/v1/members/", body, format="json")
        assert created.status_code == 201, created.content
        user = Membership.objects.get(pk=created.json()["id"]).user
        assert (user.username, user.email, user.has_usable_password()) == (
            "newcomer",
            "new@example.com",
            False,
        )

    def test_another_organizations_user_is_never_enrolled_nor_revealed(
        self, admin_client, other_organization
    ):
        outsider = MembershipFactory(
            organization=other_organization,
            role=Role.ADMIN,
            user__username="outsider",
            user__email="secret@other.example",
            user__first_name="Olivia",
        )
        body = {"username": "outsider", "email": "mine@example.com", "role": "admin"}
        response = admin_client.post("/api/v1/members/", body, format="json")
        assert response.status_code == 409
        assert response["Content-Type"] == "application/problem+json"
        assert b"secret@other.example" not in response.content
        assert b"Olivia" not in response.content
        assert not Membership.objects.filter(
            organization=admin_client.organization, user=outsider.user
        ).exists()
        outsider.user.refresh_from_db()
        assert outsider.user.email == "secret@other.example"
        listed = admin_client.get("/api/v1/members/", {"search": "outsider"}).json()
        assert listed["count"] == 0

    def test_an_account_without_membership_is_not_attached_either(self, admin_client):
        # A former member of some organization: still somebody else's account.
        UserFactory(username="former", email="former@elsewhere.example")
        response = admin_client.post("/api/v1/members/", {"username": "former"}, format="json")
        assert response.status_code == 409
        assert b"former@elsewhere.example" not in response.content
        assert not Membership.objects.filter(user__username="former").exists()

    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_non_admins_read_but_cannot_manage(self, make_client, organization, role):
        client = make_client(role, organization)
        assert client.get("/api/v1/members/").status_code == 200
        response = client.post("/api/v1/members/", {"username": "x"}, format="json")
        assert response.status_code == 403
        member_id = client.membership.id
        assert (
            client.patch(
                f"/api/v1/members/{member_id}/", {"role": "admin"}, format="json"
            ).status_code
            == 403
        )

    def test_last_admin_cannot_be_demoted_or_removed(self, admin_client):
        own = admin_client.membership.id
        demote = admin_client.patch(f"/api/v1/members/{own}/", {"role": "viewer"}, format="json")
        assert demote.status_code == 400
        assert demote.json()["errors"][0]["field"] == "role"
        assert admin_client.delete(f"/api/v1/members/{own}/").status_code == 400
        assert Membership.objects.get(pk=own).role == Role.ADMIN

    def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(
        self, admin_client, organization
    ):
        MembershipFactory(organization=organization, role=Role.ADMIN, user__is_active=False)
        own = admin_client.membership.id
        demote = admin_client.patch(f"/api/v1/members/{own}/", {"role": "viewer"}, format="json")
        assert demote.status_code == 400
        assert "active admin" in demote.json()["errors"][0]["message"]
        assert admin_client.delete(f"/api/v1/members/{own}/").status_code == 400
        assert Membership.objects.get(pk=own).role == Role.ADMIN

    def test_a_demotion_answers_the_new_role(self, admin_client, organization):
        other = MembershipFactory(organization=organization, role=Role.ADMIN)
        url = f"/api/v1/members/{other.id}/"
        response = admin_client.patch(url, {"role": "evaluator"}, format="json")
        assert response.status_code == 200
        assert response.json()["role"] == "evaluator"

    def test_a_member_who_leads_evaluations_is_a_409_naming_them(self, admin_client, organization):
        lead = MembershipFactory(organization=organization, role=Role.ADMIN)
        version = make_version(organization)
        led = [
            make_evaluation(organization, version, lead=lead, status=status)
            for status in ("draft", "cancelled")
        ]
        response = admin_client.delete(f"/api/v1/members/{lead.id}/")
        assert response.status_code == 409, response.content
        assert response["Content-Type"] == "application/problem+json"
        detail = response.json()["detail"]
        for evaluation in led:
            assert f"{evaluation.pk} ({evaluation.name})" in detail
        assert Membership.objects.filter(pk=lead.pk).exists()
        assert lead.api_tokens.filter(revoked_at__isnull=False).count() == 0

    def test_removing_a_member_revokes_their_tokens(self, admin_client, make_client, organization):
        evaluator = make_client(Role.EVALUATOR, organization)
        member_id = evaluator.membership.id
        assert admin_client.delete(f"/api/v1/members/{member_id}/").status_code == 204
        assert evaluator.get("/api/v1/organization").status_code == 401

    def test_wrong_json_types_are_refused(self, admin_client):
        response = admin_client.post("/api/v1/members/", {"username": 7}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"field": "username", "code": "invalid_type", "message": "Expected a JSON string."}
        ]


@pytest.mark.django_db
class TestApiTokens:
    def test_token_is_shown_once_and_works(self, viewer_client):
        created = viewer_client.post("/api/v1/api-tokens/", {"name": "laptop"}, format="json")
        assert created.status_code == 201
        raw = created.json()["token"]
        assert created.json()["integration"] is False
        listed = viewer_client.get(f"/api/v1/api-tokens/{created.json()['id']}/").json()
        assert "token" not in listed
        viewer_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert viewer_client.get("/api/v1/organization").status_code == 200

    def test_only_admins_create_integration_keys(self, admin_client, evaluator_client):
        body = {"name": "crm", "integration": True, "scope": "read"}
        assert evaluator_client.post("/api/v1/api-tokens/", body, format="json").status_code == 403
        created = admin_client.post("/api/v1/api-tokens/", body, format="json")
        assert created.status_code == 201
        assert created.json()["integration"] is True
        assert created.json()["member"] is None

    def test_members_see_only_their_tokens_admins_see_all(self, admin_client, viewer_client):
        viewer_client.post("/api/v1/api-tokens/", {"name": "mine"}, format="json")
        viewer_ids = {t["id"] for t in viewer_client.get("/api/v1/api-tokens/").json()["results"]}
        admin_ids = {t["id"] for t in admin_client.get("/api/v1/api-tokens/").json()["results"]}
        assert viewer_ids < admin_ids
        assert all(
            ApiToken.objects.get(pk=i).membership_id == viewer_client.membership.id
            for i in viewer_ids
        )

    def test_delete_revokes_and_keeps_the_row(self, admin_client):
        created = admin_client.post("/api/v1/api-tokens/", {"name": "tmp"}, format="json").json()
        assert admin_client.delete(f"/api/v1/api-tokens/{created['id']}/").status_code == 204
        token = ApiToken.objects.get(pk=created["id"])
        assert token.revoked_at is not None
        detail = admin_client.get(f"/api/v1/api-tokens/{created['id']}/").json()
        assert detail["active"] is False


@pytest.mark.django_db
class TestTokenScope:
    """A token's scope caps its member's role: a read token never writes, whoever owns it."""

    def _read_token_of(self, client):
        created = client.post("/api/v1/api-tokens/", {"name": "ro", "scope": "read"}, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["scope"] == "read"
        reader = APIClient()
        reader.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
        return reader

    def test_an_admins_read_token_reads_like_the_admin(self, admin_client):
        reader = self._read_token_of(admin_client)
        assert reader.get("/api/v1/organization").json()["role"] == "admin"
        own_tokens = reader.get("/api/v1/api-tokens/").json()["count"]
        assert own_tokens == admin_client.get("/api/v1/api-tokens/").json()["count"]

    def test_an_admins_read_token_cannot_write(self, admin_client, organization):
        reader = self._read_token_of(admin_client)
        before = (Membership.objects.count(), ApiToken.objects.count(), organization.name)
        member = {"username": "mallory", "role": "admin"}
        assert reader.post("/api/v1/members/", member, format="json").status_code == 403
        for scope in ("read", "read_write"):
            body = {"name": "wider", "scope": scope}
            assert reader.post("/api/v1/api-tokens/", body, format="json").status_code == 403
        integration = {"name": "crm", "integration": True}
        assert reader.post("/api/v1/api-tokens/", integration, format="json").status_code == 403
        rename = reader.patch("/api/v1/organization", {"name": "Owned"}, format="json")
        assert rename.status_code == 403
        assert rename["Content-Type"] == "application/problem+json"
        own = admin_client.membership.id
        assert (
            reader.patch(f"/api/v1/members/{own}/", {"role": "viewer"}, format="json").status_code
            == 403
        )
        token_id = ApiToken.objects.filter(membership=admin_client.membership).first().id
        assert reader.delete(f"/api/v1/api-tokens/{token_id}/").status_code == 403
        organization.refresh_from_db()
        assert (Membership.objects.count(), ApiToken.objects.count(), organization.name) == before
        assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0

    def test_a_read_write_token_can_mint_a_read_token(self, evaluator_client):
        reader = self._read_token_of(evaluator_client)
        assert reader.get("/api/v1/members/").status_code == 200

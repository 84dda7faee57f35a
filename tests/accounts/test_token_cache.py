"""Bearer tokens come from the cache after their first use, and every change to
what a token may do takes effect on the very next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import services, token_cache
from accounts.models import ApiToken, Role, hash_token
from accounts.services import issue_token
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reachable_cache(monkeypatch):
    """As after a restart: an earlier test's outage does not keep the cache off."""
    monkeypatch.setattr(token_cache, "_down_until", 0.0)


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def token_queries(client) -> tuple[int, list[str]]:
    """The status of one request and the queries it ran that read or wrote tokens."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get("/api/v1/organization").status_code
    return status, [q["sql"] for q in captured if "accounts_apitoken" in q["sql"]]


@pytest.fixture
def member():
    """A member's personal token, already used once (so cached)."""
    membership = MembershipFactory(role=Role.EVALUATOR)
    token, raw = issue_token(membership.organization, name="t", membership=membership)
    client = bearer(raw)
    assert client.get("/api/v1/organization").status_code == 200
    return membership, token, client


def test_a_used_token_is_read_from_the_cache(member):
    _, token, client = member
    assert isinstance(cache.get(token_cache.KEY % token.token_hash), ApiToken)
    assert token_queries(client) == (200, [])


def test_the_cache_holds_no_password_hash():
    membership = MembershipFactory(role=Role.EVALUATOR)
    membership.user.set_password("a long enough password")
    membership.user.save()
    token, raw = issue_token(membership.organization, name="t", membership=membership)
    client = bearer(raw)
    assert client.get("/api/v1/organization").status_code == 200
    cached = cache.get(token_cache.KEY % token.token_hash)
    assert cached.membership.user.password == ""
    assert client.get("/api/v1/me/").json()["user"]["id"] == membership.user_id
    membership.user.refresh_from_db()
    assert membership.user.check_password("a long enough password")  # the row keeps it


@override_settings(TOKEN_CACHE=False)
def test_without_the_setting_every_request_reads_the_row():
    membership = MembershipFactory(role=Role.EVALUATOR)
    token, raw = issue_token(membership.organization, name="t", membership=membership)
    client = bearer(raw)
    client.get("/api/v1/organization")
    status, queries = token_queries(client)
    assert status == 200 and len(queries) == 1
    assert cache.get(token_cache.KEY % token.token_hash) is None


def test_revoking_through_the_api_refuses_the_next_request(member):
    membership, token, client = member
    admin = MembershipFactory(role=Role.ADMIN, organization=membership.organization)
    admin_client = bearer(issue_token(admin.organization, name="a", membership=admin)[1])
    assert admin_client.delete(f"/api/v1/api-tokens/{token.pk}/").status_code == 204
    assert client.get("/api/v1/organization").status_code == 401


def test_revoking_the_model_refuses_the_next_request(member):
    _, token, client = member
    ApiToken.objects.get(pk=token.pk).revoke()
    assert client.get("/api/v1/organization").status_code == 401


def test_a_role_change_shows_on_the_next_request(member):
    membership, _, client = member
    membership.role = Role.VIEWER
    membership.save(update_fields=["role", "updated_at"])
    response = client.get("/api/v1/organization")
    assert (response.status_code, response.json()["role"]) == (200, "viewer")


def test_removing_the_member_refuses_their_tokens(member):
    membership, _, client = member
    admin = MembershipFactory(role=Role.ADMIN, organization=membership.organization)
    services.remove_member(membership, user=admin.user)
    assert client.get("/api/v1/organization").status_code == 401


def test_deactivating_the_user_refuses_their_tokens(member):
    membership, _, client = member
    user = membership.user
    user.is_active = False
    user.save()
    assert client.get("/api/v1/organization").status_code == 401


def test_a_bulk_revocation_refuses_the_next_request(member):
    membership, _, client = member
    assert token_cache.revoke_tokens(membership.api_tokens.all()) == 1
    assert client.get("/api/v1/organization").status_code == 401


def test_a_rotated_bootstrap_token_is_refused():
    _, _, raw = services.bootstrap_organization(
        name="Boot", slug="boot-cache", username="boot-admin"
    )
    old = bearer(raw)
    assert old.get("/api/v1/organization").status_code == 200
    services.bootstrap_organization(name="Boot", slug="boot-cache", username="boot-admin")
    assert old.get("/api/v1/organization").status_code == 401


def test_an_organization_change_reads_the_rows_again(member):
    membership, token, client = member
    organization = membership.organization
    organization.name = "Renamed"
    organization.save()
    assert cache.get(token_cache.KEY % token.token_hash) == token_cache.TOMBSTONE
    status, queries = token_queries(client)
    assert status == 200 and len(queries) == 1


def test_a_lookup_that_read_the_old_row_cannot_cache_it_over_a_change(member):
    """A request that read the row before a change cannot overwrite its tombstone:
    entries are only added where there is none."""
    _, token, _ = member
    key = token_cache.KEY % token.token_hash
    token_cache.forget([token.token_hash])
    assert token_cache.lookup(token.token_hash).pk == token.pk
    assert cache.get(key) == token_cache.TOMBSTONE


def test_an_unknown_or_revoked_hash_is_not_cached():
    assert token_cache.lookup(hash_token("nope")) is None
    assert cache.get(token_cache.KEY % hash_token("nope")) is None

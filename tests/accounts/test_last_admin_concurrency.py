"""The last-admin rule under concurrency: two admins demoting or removing each other
at the same moment leave one admin, never none (PostgreSQL, real threads)."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Membership, Organization, Role
from tests.factories import MembershipFactory, token_for
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

DEMOTE = ("patch", {"role": "viewer"})
REMOVE = ("delete", None)


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between reading the admins and writing the change, where
    two unserialised requests would each count the other as the remaining admin."""
    original = services._ensure_admin_remains

    def check_then_wait(membership):
        original(membership)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_ensure_admin_remains", check_then_wait)


def _client(membership) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(membership)}")
    return client


def _at_once(requests):
    """Send each (client, method, url, body) from its own thread, all released together."""
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def send(index, client, method, url, body):
        barrier.wait()
        try:
            statuses[index] = getattr(client, method)(url, body, format="json").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


@pytest.mark.parametrize(
    ("first", "second"),
    [(DEMOTE, DEMOTE), (REMOVE, REMOVE), (DEMOTE, REMOVE)],
    ids=["demote-demote", "remove-remove", "demote-remove"],
)
def test_two_admins_acting_on_each_other_leave_exactly_one(slow_check, first, second):
    require_postgres()
    organization = Organization.objects.create(name="Pair", slug="pair")
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    bob = MembershipFactory(organization=organization, role=Role.ADMIN)
    statuses = _at_once(
        [
            (_client(alice), first[0], f"/api/v1/members/{bob.pk}/", first[1]),
            (_client(bob), second[0], f"/api/v1/members/{alice.pk}/", second[1]),
        ]
    )
    admins = Membership.objects.filter(organization=organization, role=Role.ADMIN)
    assert admins.count() == 1, statuses
    assert sorted(statuses) in ([200, 400], [204, 400]), statuses


def test_three_admins_demoting_each_other_in_a_ring_leave_one(slow_check):
    require_postgres()
    organization = Organization.objects.create(name="Trio", slug="trio")
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    bob = MembershipFactory(organization=organization, role=Role.ADMIN)
    carol = MembershipFactory(organization=organization, role=Role.ADMIN)
    statuses = _at_once(
        [
            (_client(alice), "patch", f"/api/v1/members/{bob.pk}/", {"role": "viewer"}),
            (_client(bob), "patch", f"/api/v1/members/{carol.pk}/", {"role": "viewer"}),
            (_client(carol), "patch", f"/api/v1/members/{alice.pk}/", {"role": "viewer"}),
        ]
    )
    admins = Membership.objects.filter(organization=organization, role=Role.ADMIN)
    assert admins.count() == 1, statuses
    assert sorted(statuses) == [200, 200, 400], statuses

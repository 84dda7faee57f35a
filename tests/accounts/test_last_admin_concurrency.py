"""The last-admin rule under concurrency: two admins demoting or removing each other,
or an operator deactivating one while the other is demoted, at the same moment leave
one active admin, never none (PostgreSQL, real threads)."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Membership, Organization, Role
from tests.accounts.test_user_deactivation import deactivate, operator_client
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


def _api(membership, action, target):
    """A request by ``membership`` applying ``action`` (DEMOTE or REMOVE) to ``target``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(membership)}")
    method, body = action
    return lambda: getattr(client, method)(f"/api/v1/members/{target.pk}/", body, format="json")


def _at_once(requests):
    """Run each request (a callable answering a response) in its own thread, all
    released together; their status codes."""
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def send(index, request):
        barrier.wait()
        try:
            statuses[index] = request().status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(i, request)) for i, request in enumerate(requests)
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
    statuses = _at_once([_api(alice, first, bob), _api(bob, second, alice)])
    admins = Membership.objects.filter(organization=organization, role=Role.ADMIN)
    assert admins.count() == 1, statuses
    # The loser is refused by the rule (400), or, had it authenticated only after the
    # winner committed, as a demoted (403) or removed (401) member.
    assert sum(status < 300 for status in statuses) == 1, statuses


def test_three_admins_demoting_each_other_in_a_ring_leave_one(slow_check):
    require_postgres()
    organization = Organization.objects.create(name="Trio", slug="trio")
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    bob = MembershipFactory(organization=organization, role=Role.ADMIN)
    carol = MembershipFactory(organization=organization, role=Role.ADMIN)
    statuses = _at_once(
        [_api(alice, DEMOTE, bob), _api(bob, DEMOTE, carol), _api(carol, DEMOTE, alice)]
    )
    admins = Membership.objects.filter(organization=organization, role=Role.ADMIN)
    assert admins.count() >= 1, statuses
    assert admins.count() + sum(status == 200 for status in statuses) == 3, statuses


def test_deactivating_one_admin_while_they_demote_the_other_leaves_one(slow_check):
    require_postgres()
    organization = Organization.objects.create(name="Ops", slug="ops")
    alice = MembershipFactory(organization=organization, role=Role.ADMIN)
    bob = MembershipFactory(organization=organization, role=Role.ADMIN)
    operator = operator_client()
    statuses = _at_once([lambda: deactivate(operator, alice.user), _api(alice, DEMOTE, bob)])
    active_admins = Membership.objects.filter(
        organization=organization, role=Role.ADMIN, user__is_active=True
    )
    assert active_admins.count() == 1, statuses

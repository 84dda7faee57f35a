"""Preferences and send records over the API: who sees and changes what."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from notifications.models import Kind, Notification, NotificationPreference, NotificationStatus
from tests.factories import MembershipFactory

PREFERENCES = "/api/v1/notification-preferences/"
SENDS = "/api/v1/notifications/"


def fields_of(response):
    return {error["field"] for error in response.json()["errors"]}


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


# ------------------------------------------------------------------ preferences


def test_every_kind_is_on_until_switched_off(viewer_client):
    response = viewer_client.get(PREFERENCES)
    assert response.status_code == 200
    assert response.json() == dict.fromkeys(Kind.values, True)


def test_a_member_switches_kinds_off_and_on_for_themselves(viewer_client, organization):
    response = viewer_client.patch(
        PREFERENCES, {"ratings_due": False, "digest": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["ratings_due"] is False
    assert response.json()["digest"] is False
    assert response.json()["decision_made"] is True
    response = viewer_client.patch(PREFERENCES, {"digest": True}, format="json")
    assert response.json()["digest"] is True
    assert viewer_client.get(PREFERENCES).json()["ratings_due"] is False
    rows = NotificationPreference.objects.filter(membership=viewer_client.membership)
    assert dict(rows.values_list("kind", "enabled")) == {"ratings_due": False, "digest": True}
    # Someone else's preferences are untouched, in this organization and elsewhere.
    other = MembershipFactory(organization=organization, user=MembershipFactory().user)
    assert not NotificationPreference.objects.filter(membership=other).exists()


def test_preferences_are_per_organization_for_a_member_of_two(db):
    first = MembershipFactory(role=Role.EVALUATOR)
    second = MembershipFactory(user=first.user, role=Role.VIEWER)
    client = APIClient()
    client.force_login(first.user)
    other = {"HTTP_X_ORGANIZATION": second.organization.slug}
    response = client.patch(PREFERENCES, {"decision_made": False}, format="json", **other)
    assert response.status_code == 200, response.content
    assert client.get(PREFERENCES, **other).json()["decision_made"] is False
    assert client.get(PREFERENCES).json()["decision_made"] is True
    assert NotificationPreference.objects.get().membership == second


def test_what_was_read_can_be_sent_back_whole(admin_client):
    current = admin_client.get(PREFERENCES).json()
    assert admin_client.patch(PREFERENCES, current, format="json").status_code == 200


@pytest.mark.parametrize("kind", ["invitation", "password_reset"])
def test_transactional_kinds_cannot_be_switched_off(admin_client, kind):
    response = admin_client.patch(PREFERENCES, {kind: False, "digest": False}, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {kind}
    assert kind in response.json()["errors"][0]["message"]
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"ratings_duee": False}, "ratings_duee", "unknown_field"),
        ({"digest": "no"}, "digest", None),
        ({"digest": 0}, "digest", None),
        ({"digest": None}, "digest", None),
    ],
)
def test_bad_preference_input_is_a_400_naming_the_field(admin_client, body, field, code):
    response = admin_client.patch(PREFERENCES, body, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {field}
    if code:
        assert response.json()["errors"][0]["code"] == code


def test_an_unknown_query_parameter_is_a_400(admin_client):
    response = admin_client.get(f"{PREFERENCES}?kind=digest")
    assert response.status_code == 400
    assert fields_of(response) == {"kind"}


def test_a_read_token_cannot_change_preferences(organization):
    member = MembershipFactory(organization=organization, role=Role.ADMIN)
    _, raw = issue_token(organization, name="read", membership=member, scope=TokenScope.READ)
    reader = bearer(raw)
    assert reader.get(PREFERENCES).status_code == 200
    assert reader.patch(PREFERENCES, {"digest": False}, format="json").status_code == 403


@pytest.mark.parametrize("scope", [TokenScope.READ, TokenScope.READ_WRITE])
def test_integration_keys_have_no_notifications(organization, scope):
    _, raw = issue_token(organization, name="crm", scope=scope)
    key = bearer(raw)
    for response in (
        key.get(PREFERENCES),
        key.patch(PREFERENCES, {"digest": False}, format="json"),
        key.get(SENDS),
    ):
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/problem+json")
        assert "integration key" in response.json()["detail"]


def test_anonymous_callers_are_401(db):
    assert APIClient().get(PREFERENCES).status_code == 401
    assert APIClient().get(SENDS).status_code == 401


# ------------------------------------------------------------------ send records


def sent(membership, kind=Kind.DECISION_MADE, status=NotificationStatus.SENT, n=0):
    return Notification.objects.create(
        organization=membership.organization,
        recipient=membership.user,
        to_email=membership.user.email,
        kind=kind,
        subject=f"Subject {n}",
        body_text="Body\n",
        body_html="<p>Body</p>",
        status=status,
        sent_at=timezone.now() if status == NotificationStatus.SENT else None,
    )


@pytest.fixture
def sends(admin_client, evaluator_client, other_organization):
    mine = sent(evaluator_client.membership, kind=Kind.RATINGS_DUE)
    failed = sent(evaluator_client.membership, status=NotificationStatus.FAILED)
    admins = sent(admin_client.membership, kind=Kind.SCORING_DONE)
    elsewhere = sent(MembershipFactory(organization=other_organization))
    return {"mine": mine, "failed": failed, "admins": admins, "elsewhere": elsewhere}


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_admins_see_the_organizations_sends_and_others_their_own(
    admin_client, evaluator_client, viewer_client, sends
):
    everyone = {sends[name].pk for name in ("mine", "failed", "admins")}
    assert ids(admin_client.get(SENDS)) == everyone
    assert ids(evaluator_client.get(SENDS)) == {sends["mine"].pk, sends["failed"].pk}
    assert ids(viewer_client.get(SENDS)) == set()
    url = f"{SENDS}{sends['admins'].pk}/"
    assert evaluator_client.get(url).status_code == 404
    detail = admin_client.get(url).json()
    assert detail["body_text"] == "Body\n"
    assert detail["kind"] == "scoring_done"
    assert admin_client.get(f"{SENDS}{sends['elsewhere'].pk}/").status_code == 404


def test_sends_filter_by_kind_and_status(admin_client, sends):
    assert ids(admin_client.get(f"{SENDS}?kind=ratings_due")) == {sends["mine"].pk}
    assert ids(admin_client.get(f"{SENDS}?status=failed")) == {sends["failed"].pk}
    for query in ("kind=nope", "status=", "recipient=1"):
        response = admin_client.get(f"{SENDS}?{query}")
        assert response.status_code == 400, query
        assert fields_of(response) == {query.split("=")[0]}


def test_the_send_list_runs_constant_queries(admin_client, count_queries):
    for n in range(30):
        sent(admin_client.membership, n=n)
    admin_client.get(f"{SENDS}?page_size=1")
    with count_queries() as small:
        admin_client.get(f"{SENDS}?page_size=1")
    with count_queries() as large:
        assert len(admin_client.get(f"{SENDS}?page_size=30").json()["results"]) == 30
    assert len(small) == len(large)


def test_sends_are_read_only(admin_client, sends):
    url = f"{SENDS}{sends['admins'].pk}/"
    assert admin_client.patch(url, {"status": "pending"}, format="json").status_code == 405
    assert admin_client.delete(url).status_code == 405
    assert admin_client.post(SENDS, {}, format="json").status_code == 405

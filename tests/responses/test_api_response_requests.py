"""Buyer API: sending response requests, their links, limits, roles and isolation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, hash_token
from notifications.models import Kind, Notification
from responses.models import ResponseContact, ResponseEvent, ResponseRequest
from tests.notifications.links import resolved_links
from tests.responses.helpers import link_token, make_sourcing, requests_url, send_request


@pytest.fixture
def evaluation(admin_client):
    return make_sourcing(admin_client.organization, admin_client.membership)


def _body(candidate, **changes):
    body = {
        "candidate": candidate.pk,
        "due_date": str(timezone.localdate() + timedelta(days=7)),
        "contacts": [{"name": "Ann", "email": "ann@vendor.example"}],
    }
    return {**body, **changes}


def test_each_contact_is_emailed_their_own_link(admin_client, evaluation):
    candidate = evaluation.candidates.first()
    contacts = [
        {"name": "Ann", "email": "Ann@Vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    created = send_request(admin_client, evaluation, candidate, contacts=contacts)
    assert created["status"] == "sent"
    assert [c["email"] for c in created["contacts"]] == ["ann@vendor.example", "bo@vendor.example"]
    assert {c["link_status"] for c in created["contacts"]} == {"active"}
    mails = Notification.objects.filter(kind=Kind.RESPONSE_REQUEST).order_by("to_email")
    assert [m.to_email for m in mails] == ["ann@vendor.example", "bo@vendor.example"]
    assert candidate.provider.name in mails[0].subject
    assert "Please answer by the due date." in mails[0].body_text
    tokens = {link_token(m.to_email) for m in mails}
    assert len(tokens) == 2 and all(t.startswith("rsp_") for t in tokens)
    # Only hashes are stored; neither the row nor the API holds a working link.
    for token in tokens:
        assert not ResponseContact.objects.filter(token_hash=token).exists()
    assert all("token" not in key for key in created["contacts"][0])
    assert ResponseEvent.objects.filter(action="request.sent").count() == 1


def test_the_email_is_delivered_over_smtp(
    admin_client, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_request(admin_client, evaluation, evaluation.candidates.first())
    (message,) = smtp_server.messages
    assert message["To"] == f"dana{evaluation.candidates.first().pk}@vendor.example"
    links = resolved_links(message)
    assert set(links.values()) == {"respond", "root"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"surprise": 1}, "surprise"),
        ({"contacts": []}, "contacts"),
        ({"contacts": [{"name": "A", "email": f"a{i}@x.example"} for i in range(11)]}, "contacts"),
        ({"contacts": [{"name": "A", "email": "a@x.example", "role": "x"}]}, "contacts[0].role"),
        ({"contacts": [{"name": "A", "email": "not-an-address"}]}, "contacts[0].email"),
        (
            {
                "contacts": [
                    {"name": "A", "email": "a@x.example"},
                    {"name": "B", "email": "A@x.example"},
                ]
            },
            "contacts",
        ),
        ({"message": "x" * 5001}, "message"),
        ({"due_date": "2000-01-01"}, "due_date"),
        ({"due_date": str(timezone.localdate() + timedelta(days=400))}, "due_date"),
        ({"candidate": 999999}, "candidate"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(admin_client, evaluation, changes, field):
    body = {**_body(evaluation.candidates.first()), **changes}
    response = admin_client.post(requests_url(evaluation), body, format="json")
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not ResponseRequest.objects.exists()


def test_a_candidate_of_another_evaluation_is_refused(admin_client, evaluation):
    other = make_sourcing(admin_client.organization, admin_client.membership)
    body = _body(other.candidates.first())
    response = admin_client.post(requests_url(evaluation), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "candidate"


def test_one_open_request_per_candidate(admin_client, evaluation):
    candidate = evaluation.candidates.first()
    first = send_request(admin_client, evaluation, candidate)
    response = admin_client.post(requests_url(evaluation), _body(candidate), format="json")
    assert response.status_code == 409
    assert str(first["id"]) in response.json()["detail"]


def test_requests_wait_for_a_collecting_evaluation(admin_client, evaluation):
    evaluation.status = "scoring"
    evaluation.save()
    response = admin_client.post(
        requests_url(evaluation), _body(evaluation.candidates.first()), format="json"
    )
    assert response.status_code == 409


def test_members_read_and_only_admins_write(make_client, admin_client, evaluation):
    created = send_request(admin_client, evaluation, evaluation.candidates.first())
    for role in (Role.VIEWER, Role.EVALUATOR):
        client = make_client(role, admin_client.organization)
        assert client.get(requests_url(evaluation)).status_code == 200
        detail = client.get(f"{requests_url(evaluation)}{created['id']}/")
        assert detail.status_code == 200
        body = _body(evaluation.candidates.last())
        assert client.post(requests_url(evaluation), body, format="json").status_code == 403
        revoke = f"{requests_url(evaluation)}{created['id']}/revoke-link/"
        contact = created["contacts"][0]["id"]
        assert client.post(revoke, {"contact": contact}, format="json").status_code == 403


def test_another_organization_gets_404s(make_client, admin_client, evaluation):
    created = send_request(admin_client, evaluation, evaluation.candidates.first())
    stranger = make_client(Role.ADMIN)
    base = requests_url(evaluation)
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}{created['id']}/").status_code == 404
    contact = created["contacts"][0]["id"]
    response = stranger.post(f"{base}{created['id']}/revoke-link/", {"contact": contact})
    assert response.status_code == 404
    assert ResponseContact.objects.get(pk=contact).revoked_at is None


def test_revoke_kills_the_link_and_resend_issues_a_new_one(admin_client, evaluation, settings):
    settings.RESPONSE_LINK_RESEND_INTERVAL_SECONDS = 0
    created = send_request(admin_client, evaluation, evaluation.candidates.first())
    contact = created["contacts"][0]
    old = link_token(contact["email"])
    base = f"{requests_url(evaluation)}{created['id']}"
    revoked = admin_client.post(f"{base}/revoke-link/", {"contact": contact["id"]}, format="json")
    assert revoked.status_code == 200
    assert revoked.json()["contacts"][0]["link_status"] == "revoked"
    resent = admin_client.post(f"{base}/resend/", {"contact": contact["id"]}, format="json")
    assert resent.status_code == 200, resent.content
    assert resent.json()["contacts"][0]["link_status"] == "active"
    assert resent.json()["contacts"][0]["send_count"] == 2
    new = link_token(contact["email"])
    assert new != old
    hashes = set(ResponseContact.objects.values_list("token_hash", flat=True))
    assert hash_token(new) in hashes and hash_token(old) not in hashes
    actions = list(ResponseEvent.objects.values_list("action", flat=True))
    assert {"link.revoked", "link.resent"} <= set(actions)


def test_resend_limits(admin_client, evaluation, settings):
    created = send_request(admin_client, evaluation, evaluation.candidates.first())
    url = f"{requests_url(evaluation)}{created['id']}/resend/"
    contact = {"contact": created["contacts"][0]["id"]}
    assert admin_client.post(url, contact, format="json").status_code == 429
    settings.RESPONSE_LINK_RESEND_INTERVAL_SECONDS = 0
    settings.RESPONSE_LINK_MAX_SENDS = 2
    assert admin_client.post(url, contact, format="json").status_code == 200
    assert admin_client.post(url, contact, format="json").status_code == 409
    unknown = admin_client.post(url, {"contact": 999999}, format="json")
    assert unknown.status_code == 400


def test_the_list_runs_a_constant_number_of_queries(admin_client, evaluation, count_queries):
    def measure(page_size):
        with count_queries() as queries:
            response = admin_client.get(requests_url(evaluation), {"page_size": page_size})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    first, second = evaluation.candidates.all()
    send_request(admin_client, evaluation, first)
    few = measure(1)
    send_request(
        admin_client,
        evaluation,
        second,
        contacts=[{"name": f"C{i}", "email": f"c{i}@vendor.example"} for i in range(4)],
    )
    many = measure(25)
    assert many[1] == 2 and few[1] == 1
    assert many[0] == few[0]

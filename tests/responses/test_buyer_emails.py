"""The respondent is emailed when the buyer returns answers or writes in a thread:
every contact whose link works, once per buyer action, through a real SMTP server,
with a new link that opens the page and retires the one before."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Kind, Notification
from responses.models import ResponseContact
from responses.services import notices
from tests.mail import mail_to
from tests.responses.helpers import (
    LINK,
    answer_and_submit,
    at_once,
    link_token,
    make_sourcing,
    requests_url,
    respondent_client,
    send_request,
)
from tests.services import require_postgres

ANN, BO, CY, DEE = (f"{name}@vendor.example" for name in ("ann", "bo", "cy", "dee"))
SITE = "https://scorecards.example"


@pytest.fixture
def submitted(admin_client, settings):
    """Ann, Bo, Cy and Dee were sent links, Cy's is revoked and Dee's expired; Ann
    answered and submitted."""
    settings.SITE_URL = SITE
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.first()
    names = {ANN: "Ann", BO: "Bo", CY: "Cy", DEE: "Dee"}
    contacts = [{"name": name, "email": email} for email, name in names.items()]
    created = send_request(admin_client, evaluation, candidate, contacts=contacts)
    base = f"{requests_url(evaluation)}{created['id']}"
    cy = ResponseContact.objects.get(email=CY)
    revoked = admin_client.post(f"{base}/revoke-link/", {"contact": cy.pk}, format="json")
    assert revoked.status_code == 200, revoked.content
    ResponseContact.objects.filter(email=DEE).update(expires_at=timezone.now())
    ann = respondent_client(link_token(ANN))
    answer_and_submit(ann)
    return base


def _review(admin_client, base, items, capture):
    with capture(execute=True):
        response = admin_client.post(f"{base}/review/", items, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _message(admin_client, base, code, body, capture):
    with capture(execute=True):
        response = admin_client.post(
            f"{base}/messages/", {"question": code, "message": body}, format="json"
        )
    assert response.status_code == 201, response.content


def _parts(message) -> tuple[str, str, str]:
    """The text, the HTML and the one respondent link both parts carry (its path)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (url,) = [match.group(0) for match in LINK.finditer(text)]
    assert url.startswith(f"{SITE}/respond/rsp_")
    assert url in html, "the HTML part links elsewhere than the text part"
    return text, html, url.removeprefix(SITE)


def _sent(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("to_email", flat=True))


RETURN = [
    {"question": "SOC-02", "decision": "accept"},
    {"question": "REP-01", "decision": "return", "message": "Attach a sample, please."},
    {"question": "SOC-01", "decision": "return", "message": "Whose SOC is it & since when?"},
]


def test_a_return_emails_every_working_link_the_questions_and_a_new_link(
    admin_client, submitted, smtp_server, client, django_capture_on_commit_callbacks
):
    earlier = f"/respond/{link_token(ANN)}/"
    assert client.get(earlier).status_code == 200
    _review(admin_client, submitted, RETURN, django_capture_on_commit_callbacks)

    (mail,) = mail_to(smtp_server, ANN, 1)
    assert mail["Subject"] == (
        f"{admin_client.organization.name} returns 2 questions of "
        f"{ResponseContact.objects.get(email=ANN).request.candidate.provider.name}'s response "
        "with clarification questions"
    )
    text, html, path = _parts(mail)
    assert "REP-01: Describe the monthly report." in text
    assert "asks: Attach a sample, please." in text
    assert "SOC-01: Who runs your SOC?" in text and "Whose SOC is it & since when?" in text
    assert "Whose SOC is it &amp; since when?" in html  # escaped in HTML, not in text
    assert "SOC-02" not in text  # accepted, not returned
    assert "notification-preferences" not in text  # a contact has no preferences
    # The new link opens Ann's page, with the question returned; the earlier one is gone.
    page = client.get(path)
    assert page.status_code == 200
    assert "Signed in by your link as Ann" in page.content.decode()
    assert "Attach a sample, please." in page.content.decode()
    assert client.get(earlier).status_code == 404

    # Bo got his own, once; Cy's link is revoked and Dee's expired: nothing for them.
    (bo,) = mail_to(smtp_server, BO, 1)
    assert _parts(bo)[2] != path
    assert _sent(Kind.RESPONSE_RETURNED) == [ANN, BO]
    assert [m for m in smtp_server.messages if {CY, DEE} & set(m.envelope_to)] == []
    reissued = ResponseContact.objects.get(email=CY).request.events.filter(action="link.reissued")
    assert sorted(e.detail["contact"] for e in reissued) == [ANN, BO]
    assert {e.detail["email"] for e in reissued} == {"response_returned"}


def test_a_retried_review_sends_nothing_twice_a_new_return_does(
    admin_client, submitted, smtp_server, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _review(admin_client, submitted, RETURN, capture)
    (first,) = mail_to(smtp_server, ANN, 1)
    path = _parts(first)[2]
    # The client did not hear back and sends the same review again.
    _review(admin_client, submitted, RETURN, capture)
    assert _sent(Kind.RESPONSE_RETURNED) == [ANN, BO]
    assert client.get(path).status_code == 200  # the mailed link was not replaced

    # Another question returned in the same round is news: mailed on its own.
    other = [{"question": "SOC-02", "decision": "return", "message": "Weekends too?"}]
    _review(admin_client, submitted, other, capture)
    _, second = mail_to(smtp_server, ANN, 2)
    text, _, newest = _parts(second)
    assert "SOC-02: Is it staffed 24/7?" in text and "REP-01" not in text
    assert client.get(path).status_code == 404 and client.get(newest).status_code == 200

    # After the respondent answers and submits again, the same return is a new email.
    ann = respondent_client(newest.split("/")[2])
    for code in ("REP-01", "SOC-01", "SOC-02"):
        reply = ann.post(
            "/api/v1/respondent/clarifications/",
            {"question": code, "message": "Answered."},
            format="json",
        )
        assert reply.status_code == 201, reply.content
    assert ann.post("/api/v1/respondent/submit/").status_code == 200
    _review(admin_client, submitted, RETURN[1:2], capture)
    _, _, third = mail_to(smtp_server, ANN, 3)
    assert "Attach a sample, please." in _parts(third)[0]
    assert _sent(Kind.RESPONSE_RETURNED).count(ANN) == 3


def test_buyer_messages_are_emailed_once_per_window(
    admin_client,
    submitted,
    smtp_server,
    client,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.RESPONSE_MESSAGE_EMAIL_WINDOW_SECONDS = 900
    start = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    clock = SimpleNamespace(now=lambda: start + timedelta(minutes=2))
    monkeypatch.setattr(notices, "timezone", clock)
    expiry = ResponseContact.objects.get(email=ANN).expires_at

    def message(code, body):
        _message(admin_client, submitted, code, body, django_capture_on_commit_callbacks)

    message("SOC-02", "Does the 24/7 cover public holidays?")
    (mail,) = mail_to(smtp_server, ANN, 1)
    assert "writes about SOC-02" in mail["Subject"]
    text, _, path = _parts(mail)
    assert "SOC-02: Is it staffed 24/7?" in text
    assert "writes: Does the 24/7 cover public holidays?" in text
    assert "before 2026-12-04 10:15 UTC are not emailed one by one" in text
    assert client.get(path).status_code == 200
    assert _sent(Kind.RESPONSE_MESSAGE) == [ANN, BO]  # not Cy (revoked) nor Dee (expired)

    # A second message of the same window: on the page, not in another email, and the
    # mailed link keeps working.
    clock.now = lambda: start + timedelta(minutes=14)
    message("REP-01", "Which tool makes it?")
    assert _sent(Kind.RESPONSE_MESSAGE) == [ANN, BO]
    page = client.get(path)
    assert page.status_code == 200 and "Which tool makes it?" in page.content.decode()

    # The next window's first message is emailed, with the next link.
    clock.now = lambda: start + timedelta(minutes=15)
    message("REP-01", "And who reads it?")
    _, later = mail_to(smtp_server, ANN, 2)
    text, _, newest = _parts(later)
    assert "writes: And who reads it?" in text and "10:30 UTC" in text
    assert client.get(path).status_code == 404 and client.get(newest).status_code == 200
    assert _sent(Kind.RESPONSE_MESSAGE) == [ANN, ANN, BO, BO]
    # A new link, not longer access: the expiry is the buyer's send's.
    assert ResponseContact.objects.get(email=ANN).expires_at == expiry


@pytest.mark.django_db(transaction=True)
def test_the_same_review_twice_at_once_mails_each_contact_one_working_link(
    admin_client, submitted, client
):
    """On PostgreSQL: the request's lock makes the second review see the first's email,
    so it neither mails again nor replaces the link that was mailed."""
    require_postgres()

    def review():
        buyer = APIClient()  # one per thread: a test client is not shared
        buyer.credentials(HTTP_AUTHORIZATION=admin_client._credentials["HTTP_AUTHORIZATION"])
        return buyer.post(f"{submitted}/review/", RETURN, format="json").status_code

    statuses = at_once([review, review])
    assert statuses == [200, 200]
    assert _sent(Kind.RESPONSE_RETURNED) == [ANN, BO]
    for email in (ANN, BO):
        assert client.get(f"/respond/{link_token(email)}/").status_code == 200

"""The buyer writes in a question's thread without reviewing it; the respondent
replies, through the API and on the page, until the response is accepted."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from responses.models import ResponseAnswer, ResponseEvent
from tests.responses.helpers import (
    link_token,
    make_sourcing,
    requests_url,
    respondent_client,
    save,
    send_request,
    use_newest_link,
)

QUESTION = "Does the 24/7 cover public holidays?"


@pytest.fixture
def drafting(admin_client):
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.first()
    created = send_request(admin_client, evaluation, candidate)
    email = f"dana{candidate.pk}@vendor.example"
    respondent = respondent_client(link_token(email))
    saved = save(respondent, [{"question": "SOC-02", "value": True}])
    assert saved.status_code == 200
    return f"{requests_url(evaluation)}{created['id']}", respondent, email


def _post(client, base, body):
    return client.post(f"{base}/messages/", body, format="json")


def _thread(answers: dict, code: str) -> list[tuple[str, str, str]]:
    (state,) = [a for a in answers["answers"] if a["question"] == code]
    return [(m["side"], m["author_label"], m["body"]) for m in state["messages"]]


def test_a_message_changes_no_review_and_no_status(admin_client, drafting):
    base, respondent, email = drafting
    assert respondent.post("/api/v1/respondent/submit/").status_code == 200
    response = _post(admin_client, base, {"question": "SOC-02", "message": QUESTION})
    assert response.status_code == 201, response.content
    shown = response.json()
    assert shown["status"] == "submitted"
    username = admin_client.membership.user.username
    assert _thread(shown, "SOC-02") == [("buyer", username, QUESTION)]
    (state,) = [a for a in shown["answers"] if a["question"] == "SOC-02"]
    assert (state["review"], state["value"]) == ("pending", True)
    event = ResponseEvent.objects.get(action="message.posted")
    assert (event.side, event.actor_label, event.question_code) == ("buyer", username, "SOC-02")

    # From the message's email, the respondent sees it signed by the organization, and
    # replies while submitted.
    use_newest_link(respondent, email)
    organization = admin_client.organization.name
    answers = respondent.get("/api/v1/respondent/answers/").json()
    assert _thread(answers, "SOC-02") == [("buyer", organization, QUESTION)]
    reply = respondent.post(
        "/api/v1/respondent/clarifications/",
        {"question": "SOC-02", "message": "Yes, every day of the year."},
        format="json",
    )
    assert reply.status_code == 201, reply.content
    assert [side for side, _, _ in _thread(reply.json(), "SOC-02")] == ["buyer", "respondent"]
    assert reply.json()["status"] == "submitted"

    # The review goes on as usual; once accepted, the thread is closed to both sides.
    accepted = admin_client.post(
        f"{base}/review/", [{"question": "SOC-02", "decision": "accept"}], format="json"
    )
    assert accepted.json()["status"] == "accepted"
    closed = _post(admin_client, base, {"question": "SOC-02", "message": "One more thing."})
    assert closed.status_code == 409
    late = respondent.post(
        "/api/v1/respondent/clarifications/",
        {"question": "SOC-02", "message": "And another."},
        format="json",
    )
    assert late.status_code == 409


def test_a_message_about_a_question_not_answered_yet(admin_client, drafting):
    base, respondent, email = drafting
    response = _post(admin_client, base, {"question": "REP-02", "message": "Roughly is fine."})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "in_progress"
    # The thread exists before any answer; the draft save goes on over it.
    answer = ResponseAnswer.objects.get(question__code="REP-02")
    assert answer.value is None and answer.review == "pending"
    use_newest_link(respondent, email)
    assert save(respondent, [{"question": "REP-02", "value": 12}]).status_code == 200
    answers = respondent.get("/api/v1/respondent/answers/").json()
    assert [b for _, _, b in _thread(answers, "REP-02")] == ["Roughly is fine."]

    # On the page: the message under the question, with a form to answer it.
    page = Client().get(f"/respond/{link_token(email)}/").content.decode()
    assert "Roughly is fine." in page and 'for="r-REP-02"' in page
    assert 'for="r-SOC-02"' not in page  # no thread, nothing to answer


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "GOV-01", "message": "Not asked of this bid."}, "question"),
        ({"question": "NOPE-1", "message": "No such question."}, "question"),
        ({"question": "SOC-02", "message": "   "}, "message"),
        ({"question": "SOC-02", "message": "x" * 5001}, "message"),
        ({"question": "SOC-02"}, "message"),
        ({"question": "SOC-02", "message": "Hi", "review": "returned"}, "review"),
    ],
)
def test_bad_messages_name_the_field_and_write_nothing(admin_client, drafting, body, field):
    base, _, _ = drafting
    response = _post(admin_client, base, body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not ResponseEvent.objects.filter(action="message.posted").exists()


def test_only_those_who_review_may_write(admin_client, make_client, drafting):
    base, _, _ = drafting
    body = {"question": "SOC-02", "message": QUESTION}
    for role in (Role.EVALUATOR, Role.VIEWER):
        assert _post(make_client(role, admin_client.organization), base, body).status_code == 403
    _, key = issue_token(admin_client.organization, name="crm", scope=TokenScope.READ)
    read_only = APIClient()
    read_only.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert _post(read_only, base, body).status_code == 403
    stranger = make_client(Role.ADMIN)  # an admin of another organization
    assert _post(stranger, base, body).status_code == 404
    assert not ResponseEvent.objects.filter(action="message.posted").exists()

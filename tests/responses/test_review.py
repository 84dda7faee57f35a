"""Buyer review: accept or return per question, clarification threads, accepted
answers becoming the candidate's answers (audited, scored)."""

import pytest

from accounts.models import Role
from evaluations.engine.scorecard_details import question_rows
from evaluations.models import Answer, AuditEvent, Scorecard
from evaluations.services import scoring
from responses.models import ResponseEvent
from tests.responses.helpers import (
    answer_and_submit,
    link_token,
    make_sourcing,
    requests_url,
    respondent_client,
    save,
    send_request,
    use_newest_link,
)


@pytest.fixture
def submitted(admin_client):
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.first()
    created = send_request(admin_client, evaluation, candidate)
    respondent = respondent_client(link_token(f"dana{candidate.pk}@vendor.example"))
    answer_and_submit(respondent)
    base = f"{requests_url(evaluation)}{created['id']}"
    return evaluation, candidate, base, respondent


def _review(client, base, items):
    return client.post(f"{base}/review/", items, format="json")


def test_the_buyer_sees_answers_and_reviews_them(admin_client, submitted):
    evaluation, candidate, base, _ = submitted
    shown = admin_client.get(f"{base}/answers/").json()
    assert shown["status"] == "submitted"
    assert {a["question"]: a["value"] for a in shown["answers"]}["SOC-01"] == "own"
    response = _review(admin_client, base, [{"question": "SOC-01", "decision": "accept"}])
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"  # others still pending
    answer = Answer.objects.get(candidate=candidate, question__code="SOC-01")
    assert answer.value == "own"
    event = AuditEvent.objects.get(action="answer.set", question_code="SOC-01")
    assert event.source == "respondent"
    assert event.actor == admin_client.membership.user
    audit = admin_client.get(f"/api/v1/evaluations/{evaluation.pk}/audit/")
    assert audit.status_code == 200
    assert {(row["question_code"], row["source"]) for row in audit.json()["results"]} == {
        ("SOC-01", "respondent")
    }


def test_return_clarify_resubmit_accept_and_score(admin_client, submitted):
    evaluation, candidate, base, respondent = submitted
    returned = _review(
        admin_client,
        base,
        [
            {"question": "SOC-01", "decision": "accept"},
            {"question": "REP-01", "decision": "return", "message": "Attach a sample, please."},
        ],
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    # From the return's email, the respondent sees the thread, signed by the buyer
    # organization, not a user.
    use_newest_link(respondent, f"dana{candidate.pk}@vendor.example")
    mine = {
        a["question"]: a for a in respondent.get("/api/v1/respondent/answers/").json()["answers"]
    }
    assert mine["REP-01"]["review"] == "returned"
    (message,) = mine["REP-01"]["messages"]
    assert message["side"] == "buyer"
    assert message["author_label"] == admin_client.organization.name
    assert message["body"] == "Attach a sample, please." and message["created_at"]
    # Only the returned question can change; resubmitting waits for the clarification.
    assert save(respondent, [{"question": "SOC-02", "value": False}]).status_code == 409
    assert respondent.post("/api/v1/respondent/submit/").status_code == 409
    reply = respondent.post(
        "/api/v1/respondent/clarifications/",
        {"question": "REP-01", "message": "Here is how the report reads."},
        format="json",
    )
    assert reply.status_code == 201, reply.content
    assert (
        save(respondent, [{"question": "REP-01", "value": "Monthly PDF and portal."}]).status_code
        == 200
    )
    assert respondent.post("/api/v1/respondent/submit/").status_code == 200
    thread = {a["question"]: a for a in admin_client.get(f"{base}/answers/").json()["answers"]}
    assert [m["side"] for m in thread["REP-01"]["messages"]] == ["buyer", "respondent"]
    assert (
        thread["REP-01"]["messages"][1]["author_label"]
        == f"Dana Vendor <dana{candidate.pk}@vendor.example>"
    )
    assert thread["REP-01"]["review"] == "pending"
    done = _review(
        admin_client,
        base,
        [
            {"question": "SOC-02", "decision": "accept"},
            {"question": "REP-01", "decision": "accept"},
        ],
    )
    assert done.json()["status"] == "accepted"
    values = dict(Answer.objects.filter(candidate=candidate).values_list("question__code", "value"))
    assert values == {"SOC-01": "own", "SOC-02": True, "REP-01": "Monthly PDF and portal."}
    scoring.score_evaluation(evaluation.pk)
    card = Scorecard.objects.get(candidate=candidate, lot="soc", is_latest=True)
    rows = {row["code"]: row for row in question_rows(card.details)}
    # Scored from the accepted answers: own SOC (x = 1), staffed 24/7 (x = 1).
    assert rows["SOC-01"]["answered"] and rows["SOC-01"]["x"] == 1
    assert rows["SOC-02"]["answered"] and rows["SOC-02"]["x"] == 1
    assert not rows["REP-02"]["answered"]
    # Accepted is closed for both sides.
    assert save(respondent, [{"question": "REP-02", "value": 1}]).status_code == 409
    assert (
        _review(admin_client, base, [{"question": "REP-02", "decision": "accept"}]).status_code
        == 409
    )
    actions = set(ResponseEvent.objects.values_list("action", flat=True))
    assert {
        "answer.accepted",
        "answer.returned",
        "clarification.answered",
        "response.submitted",
    } <= actions


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([{"question": "REP-02", "decision": "accept"}], "[0].decision"),
        ([{"question": "SOC-01", "decision": "return"}], "[0].message"),
        ([{"question": "GOV-01", "decision": "accept"}], "[0].question"),
        ([{"question": "SOC-01", "decision": "maybe"}], "[0].decision"),
        ([{"question": "SOC-01", "decision": "accept", "score": 1}], "[0].score"),
        (
            [
                {"question": "SOC-01", "decision": "accept"},
                {"question": "SOC-01", "decision": "accept"},
            ],
            "[1].question",
        ),
    ],
)
def test_bad_reviews_are_400s_and_change_nothing(admin_client, submitted, items, field):
    _, candidate, base, _ = submitted
    response = _review(admin_client, base, items)
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Answer.objects.filter(candidate=candidate).exists()


def test_only_admins_review(make_client, admin_client, submitted):
    _, candidate, base, _ = submitted
    for role in (Role.EVALUATOR, Role.VIEWER):
        client = make_client(role, admin_client.organization)
        assert client.get(f"{base}/answers/").status_code == 200
        refused = _review(client, base, [{"question": "SOC-01", "decision": "accept"}])
        assert refused.status_code == 403
    assert not Answer.objects.filter(candidate=candidate).exists()


def test_a_reply_needs_a_thread_the_buyer_opened(admin_client, submitted):
    _, candidate, base, respondent = submitted
    body = {"question": "SOC-01", "message": "Unasked"}
    refused = respondent.post("/api/v1/respondent/clarifications/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "question"
    _review(admin_client, base, [{"question": "REP-01", "decision": "return", "message": "Why?"}])
    use_newest_link(respondent, f"dana{candidate.pk}@vendor.example")
    response = respondent.post("/api/v1/respondent/clarifications/", body, format="json")
    assert response.status_code == 400
    long = {"question": "REP-01", "message": "x" * 5001}
    assert (
        respondent.post("/api/v1/respondent/clarifications/", long, format="json").status_code
        == 400
    )


def test_the_buyer_audit_trail_of_the_request(admin_client, submitted, count_queries):
    _, candidate, base, _ = submitted
    events = admin_client.get(f"{base}/events/").json()["results"]
    labels = {(e["side"], e["action"], e["actor_label"]) for e in events}
    contact = f"Dana Vendor <dana{candidate.pk}@vendor.example>"
    assert ("respondent", "response.submitted", contact) in labels
    assert ("buyer", "request.sent", admin_client.membership.user.username) in labels

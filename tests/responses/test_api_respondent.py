"""Respondent API: the link is the only credential, scoped to one candidate's response."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from responses.models import ResponseAnswer, ResponseContact, ResponseEvent
from tests.api.routes import api_routes
from tests.factories import token_for
from tests.responses.helpers import (
    ASKED,
    link_token,
    make_sourcing,
    respondent_client,
    save,
    send_request,
)
from tests.seeding import seed_organization

RESPONDENT_URLS = [
    ("get", "/api/v1/respondent/"),
    ("get", "/api/v1/respondent/questionnaire/"),
    ("get", "/api/v1/respondent/answers/"),
    ("patch", "/api/v1/respondent/answers/"),
    ("post", "/api/v1/respondent/clarifications/"),
    ("post", "/api/v1/respondent/submit/"),
]


@pytest.fixture
def evaluation(admin_client):
    return make_sourcing(admin_client.organization, admin_client.membership)


@pytest.fixture
def sent(admin_client, evaluation):
    """A request to the first candidate with two contacts, and their clients."""
    candidate = evaluation.candidates.first()
    contacts = [
        {"name": "Ann", "email": "ann@vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    created = send_request(admin_client, evaluation, candidate, contacts=contacts)
    ann = respondent_client(link_token("ann@vendor.example"))
    bo = respondent_client(link_token("bo@vendor.example"))
    return created, ann, bo


def test_the_request_behind_the_link(sent, admin_client, evaluation):
    created, ann, _ = sent
    body = ann.get("/api/v1/respondent/").json()
    assert body["id"] == created["id"]
    assert body["buyer"] == admin_client.organization.name
    assert body["provider"] == evaluation.candidates.first().provider.name
    assert body["contact"] == {"name": "Ann", "email": "ann@vendor.example"}
    assert body["status"] == "sent"


def test_only_the_questions_of_the_candidates_lots_with_nothing_about_scoring(sent):
    _, ann, _ = sent
    sections = ann.get("/api/v1/respondent/questionnaire/").json()["sections"]
    assert [s["code"] for s in sections] == ["soc", "rep"]
    assert [q["code"] for s in sections for q in s["questions"]] == ASKED
    first = sections[0]["questions"][0]
    assert first["text"] == "Who runs your SOC?"
    assert first["help_text"] == "Own staff, or a partner under your brand."
    assert first["options"] == [
        {"value": "own", "label": "Our own SOC"},
        {"value": "white_label", "label": "A partner's, white-labelled"},
    ]
    assert set(first) == {"code", "text", "help_text", "kind", "options", "scale_max"}


def test_a_vciso_bid_is_asked_the_vciso_question_and_not_the_mssp_one(admin_client, evaluation):
    candidate = evaluation.candidates.last()
    candidate.lots = ["gov"]
    candidate.save()
    send_request(admin_client, evaluation, candidate)
    client = respondent_client(link_token(f"dana{candidate.pk}@vendor.example"))
    codes = [
        q["code"]
        for s in client.get("/api/v1/respondent/questionnaire/").json()["sections"]
        for q in s["questions"]
    ]
    assert "GOV-01" in codes and "SOC-01" not in codes


def test_drafts_save_with_if_match_and_are_audited_with_the_contact(sent):
    _, ann, _ = sent
    read = ann.get("/api/v1/respondent/answers/")
    assert read["ETag"]
    assert [a["question"] for a in read.json()["answers"]] == ASKED
    assert all(a["value"] is None and a["revision"] == 0 for a in read.json()["answers"])
    response = save(
        ann,
        [{"question": "SOC-01", "value": "own"}, {"question": "REP-02", "value": 12}],
        read["ETag"],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["draft_version"] == 1
    answers = {a["question"]: a for a in body["answers"]}
    assert answers["SOC-01"]["value"] == "own"
    assert answers["SOC-01"]["updated_by"] == "Ann <ann@vendor.example>"
    assert response["ETag"] != read["ETag"]
    events = ResponseEvent.objects.filter(action="draft.saved")
    assert {(e.question_code, e.actor_label, e.side) for e in events} == {
        ("SOC-01", "Ann <ann@vendor.example>", "respondent"),
        ("REP-02", "Ann <ann@vendor.example>", "respondent"),
    }


def test_if_match_is_required_and_must_name_this_response(sent):
    _, ann, _ = sent
    body = {"answers": [{"question": "SOC-02", "value": True}]}
    assert ann.patch("/api/v1/respondent/answers/", body, format="json").status_code == 428
    for tag in ('"999999-0"', "garbage", '"1-99"'):
        response = ann.patch("/api/v1/respondent/answers/", body, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, (tag, response.content)
    assert not ResponseAnswer.objects.exists()


def test_a_stale_write_names_the_questions_changed_and_loses_nothing(sent):
    _, ann, bo = sent
    stale = ann.get("/api/v1/respondent/answers/")["ETag"]
    assert save(bo, [{"question": "REP-01", "value": "Bo's text"}], stale).status_code == 200
    # Ann, still on the old version, writes the same question: refused, nothing saved.
    response = save(
        ann,
        [{"question": "REP-01", "value": "Ann's text"}, {"question": "SOC-02", "value": True}],
        stale,
    )
    assert response.status_code == 412
    problem = response.json()
    assert problem["code"] == "draft_conflict"
    assert "REP-01" in problem["detail"]
    assert {e["field"] for e in problem["errors"]} == {None, "REP-01"}
    assert "Bo's text" in next(e["message"] for e in problem["errors"] if e["field"] == "REP-01")
    stored = {a.question.code: a.value for a in ResponseAnswer.objects.select_related("question")}
    assert stored == {"REP-01": "Bo's text"}
    # A write of other questions over the same stale version merges.
    merged = save(ann, [{"question": "SOC-02", "value": True}], stale)
    assert merged.status_code == 200
    values = {a["question"]: a["value"] for a in merged.json()["answers"]}
    assert values["REP-01"] == "Bo's text" and values["SOC-02"] is True


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([{"question": "GOV-01", "value": True}], "answers[0].question"),
        ([{"question": "NOPE", "value": True}], "answers[0].question"),
        ([{"question": "SOC-01", "value": "unknown"}], "answers[0].value"),
        ([{"question": "REP-02", "value": "twelve"}], "answers[0].value"),
        (
            [{"question": "SOC-02", "value": True}, {"question": "SOC-02", "value": False}],
            "answers[1].question",
        ),
        ([{"question": "SOC-02", "value": True, "score": 1}], "answers[0].score"),
        ([{"question": "REP-01", "value": "x" * 20_001}], "answers[0].value"),
    ],
)
def test_bad_drafts_are_400s_naming_the_item(sent, answers, field):
    _, ann, _ = sent
    response = save(ann, answers)
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not ResponseAnswer.objects.exists()


def test_unknown_fields_and_parameters_are_refused(sent):
    _, ann, _ = sent
    etag = ann.get("/api/v1/respondent/answers/")["ETag"]
    response = ann.patch(
        "/api/v1/respondent/answers/",
        {"answers": [], "extra": 1},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert ann.get("/api/v1/respondent/questionnaire/", {"candidate": 2}).status_code == 400
    assert ann.post("/api/v1/respondent/submit/", {"force": True}, format="json").status_code == 400


def test_submit_needs_an_answer_then_locks_the_draft(sent):
    _, ann, bo = sent
    assert ann.post("/api/v1/respondent/submit/").status_code == 409
    assert save(ann, [{"question": "SOC-02", "value": True}]).status_code == 200
    submitted = ann.post("/api/v1/respondent/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    late = save(bo, [{"question": "SOC-02", "value": False}])
    assert late.status_code == 409
    assert bo.post("/api/v1/respondent/submit/").status_code == 409


def test_no_link_or_a_bad_one_is_a_401(sent, admin_client, evaluation):
    created, _, _ = sent
    anonymous = respondent_client("")
    anonymous.credentials()
    for method, url in RESPONDENT_URLS:
        assert getattr(anonymous, method)(url).status_code == 401
        assert getattr(respondent_client("rsp_tampered"), method)(url).status_code == 401
    contact = ResponseContact.objects.get(email="ann@vendor.example")
    base = f"/api/v1/evaluations/{evaluation.pk}/response-requests/{created['id']}"
    admin_client.post(f"{base}/revoke-link/", {"contact": contact.pk}, format="json")
    revoked = respondent_client(link_token("ann@vendor.example")).get("/api/v1/respondent/")
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "link_revoked"
    ResponseContact.objects.filter(email="bo@vendor.example").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = respondent_client(link_token("bo@vendor.example")).get("/api/v1/respondent/")
    assert expired.status_code == 401
    assert expired.json()["code"] == "link_expired"


def test_member_credentials_are_never_a_respondent(sent, admin_client, make_client):
    """A session, a personal token or an integration key: all 401, nothing written."""
    _, _, _ = sent
    member = make_client(Role.ADMIN, admin_client.organization)
    bearer = respondent_client(token_for(member.membership))
    for client in (admin_client, member, bearer):
        for method, url in RESPONDENT_URLS:
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 401, (url, response.status_code)
    assert not ResponseAnswer.objects.exists()


def test_a_link_is_never_a_member_credential(sent, admin_client):
    """Every buyer route refuses a link token, including this request's own routes."""
    _, ann, _ = sent
    context = seed_organization(admin_client.organization, admin_client.membership)
    for route in api_routes():
        kwargs = {name: context[name] for name in route.kwargs if name != "pk"}
        if "pk" in route.kwargs:
            kwargs["pk"] = 1
        url = reverse(route.name, kwargs=kwargs)
        for method in route.methods:
            response = getattr(ann, method.lower())(url, {}, format="json")
            assert response.status_code == 401, (method, url, response.status_code)


def test_a_link_reaches_its_own_candidate_only(admin_client, evaluation, make_client):
    first, second = evaluation.candidates.all()
    send_request(admin_client, evaluation, first)
    send_request(admin_client, evaluation, second)
    a = respondent_client(link_token(f"dana{first.pk}@vendor.example"))
    b = respondent_client(link_token(f"dana{second.pk}@vendor.example"))
    assert save(a, [{"question": "REP-01", "value": "A's secret"}]).status_code == 200
    for method, url in RESPONDENT_URLS:
        if method == "get":
            assert "A's secret" not in getattr(b, method)(url).content.decode()
    assert save(b, [{"question": "REP-01", "value": "B's"}]).status_code == 200
    values = dict(ResponseAnswer.objects.values_list("request__candidate_id", "value"))
    assert values == {first.pk: "A's secret", second.pk: "B's"}
    # Another organization's link sees that organization's request only.
    stranger = make_client(Role.ADMIN)
    other = make_sourcing(stranger.organization, stranger.membership)
    send_request(stranger, other, other.candidates.first())
    c = respondent_client(link_token(f"dana{other.candidates.first().pk}@vendor.example"))
    assert c.get("/api/v1/respondent/").json()["buyer"] == stranger.organization.name
    assert "A's secret" not in c.get("/api/v1/respondent/answers/").content.decode()


def test_reads_run_a_constant_number_of_queries(sent, count_queries):
    _, ann, _ = sent

    def measure():
        with count_queries() as queries:
            assert ann.get("/api/v1/respondent/answers/").status_code == 200
        return len(queries)

    before = measure()
    save(ann, [{"question": code, "value": None if code != "SOC-02" else True} for code in ASKED])
    save(ann, [{"question": "REP-01", "value": "text"}, {"question": "REP-02", "value": 3}])
    assert measure() == before


def test_the_schema_documents_the_respondent_api_apart():
    """Its own tag and security scheme, on its operations only."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    respondent_ops, others = [], []
    for path, item in schema["paths"].items():
        for operation in item.values():
            (respondent_ops if path.startswith("/api/v1/respondent/") else others).append(operation)
    assert len(respondent_ops) == 10  # 8 of the response, GET and POST of its findings
    for operation in respondent_ops:
        assert operation["tags"] == ["Respondents"], operation["operationId"]
        assert operation["security"] == [{"respondentLink": []}], operation["operationId"]
        assert operation["summary"] and operation["description"]
    assert not any({"respondentLink": []} in op.get("security", []) for op in others)
    assert schema["components"]["securitySchemes"]["respondentLink"]["scheme"] == "bearer"

"""An evaluation's packs over the API: set on creation, changed under If-Match only in
draft, refused when unpublished, foreign or clashing (naming the code and both
versions), audited, and listed in a constant number of queries."""

import pytest

from accounts.models import Role
from evaluations.models import Answer, AuditEvent, Evaluation, EvaluationPack
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.packs import HEALTH_PACK, LEGAL_PACK, pack_version, pin
from tests.evaluations.sourcing import fields_of, messages_of, patch, url_of
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(organization):
    return make_version(organization, code="vetting")


@pytest.fixture
def health(organization):
    return pack_version(organization)


@pytest.fixture
def legal():
    """A built-in pack (no organization): every organization may pin it."""
    return pack_version(None, LEGAL_PACK, code="builtin-legal")


def create(client, base, packs, **extra):
    body = {"name": "With packs", "questionnaire_version": base.pk, "packs": packs, **extra}
    return client.post("/api/v1/evaluations/", body, format="json")


def pinned(evaluation_id) -> list[int]:
    rows = EvaluationPack.objects.filter(evaluation_id=evaluation_id).order_by("position")
    return list(rows.values_list("version_id", flat=True))


def draft(organization, base, *packs, lead=None):
    evaluation = make_evaluation(organization, base, lead=lead, status="draft")
    pin(evaluation, *packs)
    return evaluation


def test_packs_are_set_on_creation_in_order_and_shown(admin_client, base, health, legal):
    response = create(admin_client, base, [legal.pk, health.pk])
    assert response.status_code == 201, response.content
    shown = response.json()
    assert shown["packs"] == [legal.pk, health.pk]
    assert pinned(shown["id"]) == [legal.pk, health.pk]
    assert admin_client.get(url_of(Evaluation(pk=shown["id"]))).json()["packs"] == shown["packs"]


def test_without_packs_nothing_is_pinned(admin_client, base):
    response = admin_client.post(
        "/api/v1/evaluations/", {"name": "Plain", "questionnaire_version": base.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["packs"] == []
    assert not EvaluationPack.objects.exists()


def test_a_section_clash_names_the_code_and_both_versions(admin_client, organization, base):
    clashing = pack_version(
        organization,
        [{"code": "soc", "questions": [{"code": "X-1", "kind": "boolean"}]}],
        code="soc-pack",
    )
    response = create(admin_client, base, [clashing.pk])
    assert response.status_code == 400
    assert fields_of(response) == {"packs"}
    assert messages_of(response) == (
        "Section code `soc` is in both vetting v1 and soc-pack v1; a code may occur once in "
        "the evaluation's question set."
    )
    assert not Evaluation.objects.exists()


def test_a_question_clash_between_two_packs_names_both_packs(
    admin_client, organization, base, health
):
    again = pack_version(
        organization,
        [{"code": "other", "questions": [{"code": "HC-02", "kind": "boolean"}]}],
        code="second",
    )
    response = create(admin_client, base, [health.pk, again.pk])
    assert response.status_code == 400
    message = messages_of(response)
    assert "Question code `HC-02` is in both health-pack v1 and second v1" in message


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("draft", "packs[0]", "published"),
        ("retired", "packs[0]", "published"),
        ("base", "packs[0]", "base"),
        ("twice", "packs[1]", "twice"),
        ("foreign", "packs[0]", "object does not exist"),
        ("unknown", "packs[0]", "object does not exist"),
        ("eleven", "packs", "At most 10"),
        ("not-a-list", "packs", ""),
    ],
)
def test_packs_that_may_not_be_pinned_are_a_400_naming_them(
    admin_client, organization, other_organization, base, health, case, field, words
):
    packs = {
        "draft": lambda: [pack_version(organization, code="d", status="draft").pk],
        "retired": lambda: [pack_version(organization, code="r", status="retired").pk],
        "base": lambda: [base.pk],
        "twice": lambda: [health.pk, health.pk],
        "foreign": lambda: [pack_version(other_organization, code="theirs").pk],
        "unknown": lambda: [10**6],
        "eleven": lambda: [health.pk] * 11,
        "not-a-list": lambda: health.pk,
    }[case]()
    response = create(admin_client, base, packs)
    assert response.status_code == 400, response.content
    assert field in fields_of(response)
    assert words in messages_of(response)
    assert not Evaluation.objects.exists()


def test_changing_packs_in_draft_is_audited(admin_client, organization, base, health, legal):
    evaluation = draft(organization, base, health)
    response = patch(admin_client, url_of(evaluation), {"packs": [legal.pk, health.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["packs"] == [legal.pk, health.pk]
    assert pinned(evaluation.pk) == [legal.pk, health.pk]
    event = AuditEvent.objects.get(evaluation=evaluation, action="evaluation.packs")
    assert (event.old_value, event.new_value) == ([health.pk], [legal.pk, health.pk])
    assert patch(admin_client, url_of(evaluation), {"packs": []}).status_code == 200
    assert pinned(evaluation.pk) == []


def test_packs_need_if_match(admin_client, organization, base, health, legal):
    evaluation = draft(organization, base, health)
    url = url_of(evaluation)
    stale = admin_client.get(url)["ETag"]
    assert admin_client.patch(url, {"packs": []}, format="json").status_code == 428
    assert patch(admin_client, url, {"packs": [legal.pk]}).status_code == 200
    response = admin_client.patch(url, {"packs": []}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert pinned(evaluation.pk) == [legal.pk]


@pytest.mark.parametrize("status", ["collecting", "scoring", "decided", "cancelled"])
def test_packs_change_only_in_draft(admin_client, organization, base, health, legal, status):
    evaluation = draft(organization, base, health)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    response = patch(admin_client, url_of(evaluation), {"packs": [legal.pk]})
    assert response.status_code == 409, response.content
    assert pinned(evaluation.pk) == [health.pk]
    assert not AuditEvent.objects.filter(action="evaluation.packs").exists()


def test_packs_sent_back_unchanged_are_accepted_while_collecting(
    admin_client, organization, base, health
):
    evaluation = draft(organization, base, health)
    Evaluation.objects.filter(pk=evaluation.pk).update(status="collecting")
    response = patch(admin_client, url_of(evaluation), {"packs": [health.pk], "name": "Renamed"})
    assert response.status_code == 200, response.content
    assert not AuditEvent.objects.filter(action="evaluation.packs").exists()


def test_a_new_base_version_is_checked_against_the_packs(admin_client, organization, health):
    base = make_version(organization, code="plain")
    evaluation = draft(organization, base, health)
    clashing = make_version(organization, HEALTH_PACK, code="health-base")
    response = patch(admin_client, url_of(evaluation), {"questionnaire_version": clashing.pk})
    assert response.status_code == 400
    assert "`hc` is in both health-base v1 and health-pack v1" in messages_of(response)
    assert Evaluation.objects.get(pk=evaluation.pk).questionnaire_version_id == base.pk


def test_a_pack_with_answers_is_not_dropped(admin_client, organization, base, health, legal):
    evaluation = draft(organization, base, health, legal)
    candidate = evaluation.candidates.create(provider=ProviderFactory(organization=organization))
    url = url_of(evaluation)
    body = [{"candidate": candidate.pk, "question": "HC-01", "value": True}]
    assert admin_client.post(f"{url}answers/", body, format="json").status_code == 200
    response = patch(admin_client, url, {"packs": [legal.pk]})
    assert response.status_code == 409
    assert "Answers exist for questions of health-pack v1" in response.json()["detail"]
    # Dropping the other pack, or reordering, leaves the answered one pinned: allowed.
    assert patch(admin_client, url, {"packs": [health.pk]}).status_code == 200
    body[0]["value"] = None
    assert admin_client.post(f"{url}answers/", body, format="json").status_code == 200
    assert not Answer.objects.exists()
    assert patch(admin_client, url, {"packs": []}).status_code == 200


def test_weights_and_exclusions_may_name_pack_codes(admin_client, organization, base, health):
    evaluation = draft(organization, base, health)
    body = {"section_weights": {"hc": 5, "soc": 1}, "excluded_questions": ["HC-03"]}
    response = patch(admin_client, url_of(evaluation), body)
    assert response.status_code == 200, response.content
    # Dropping the pack would leave its codes behind: refused.
    response = patch(admin_client, url_of(evaluation), {"packs": []})
    assert response.status_code == 400
    assert fields_of(response) == {"section_weights", "excluded_questions"}
    assert pinned(evaluation.pk) == [health.pk]


def test_creation_accepts_weights_of_pack_sections(admin_client, base, health):
    response = create(admin_client, base, [health.pk], section_weights={"hc": 4})
    assert response.status_code == 201, response.content
    response = create(admin_client, base, [], section_weights={"hc": 4})
    assert response.status_code == 400
    assert fields_of(response) == {"section_weights"}


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
def test_only_admins_change_packs(make_client, organization, base, health, legal, role):
    evaluation = draft(organization, base, health)
    client = make_client(role, organization)
    assert client.get(url_of(evaluation)).json()["packs"] == [health.pk]
    assert patch(client, url_of(evaluation), {"packs": [legal.pk]}).status_code == 403
    assert create(client, base, [legal.pk]).status_code == 403
    assert pinned(evaluation.pk) == [health.pk]


def test_another_organization_sees_no_packs(make_client, organization, base, health):
    evaluation = draft(organization, base, health)
    stranger = make_client(Role.ADMIN)
    assert stranger.get(url_of(evaluation)).status_code == 404
    response = stranger.patch(url_of(evaluation), {"packs": []}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404
    assert pinned(evaluation.pk) == [health.pk]


def test_the_list_reads_packs_in_a_constant_number_of_queries(
    admin_client, organization, base, count_queries
):
    packs = [
        pack_version(
            organization,
            [{"code": f"p{i}", "questions": [{"code": f"P-{i}", "kind": "boolean"}]}],
            code=f"pack-{i}",
        )
        for i in range(3)
    ]
    draft(organization, base, packs[0])
    admin_client.get("/api/v1/evaluations/")  # warm up: the first request authenticates
    with count_queries() as few:
        small = admin_client.get("/api/v1/evaluations/")
    for _ in range(4):
        draft(organization, base, *packs)
    with count_queries() as many:
        large = admin_client.get("/api/v1/evaluations/")
    assert len(few) == len(many)
    assert [e["packs"] for e in small.json()["results"]] == [[packs[0].pk]]
    listed = [e["packs"] for e in large.json()["results"]]
    assert sorted(listed) == [[packs[0].pk]] + [[p.pk for p in packs]] * 4

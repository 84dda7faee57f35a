"""Roles and token scopes never do more than they say, on every write operation.

Operations come from the OpenAPI schema (cross-checked against the URL conf), so
a route added later is covered without a test of its own: by default only admins
write, and a new write that viewers or evaluators may use has to be named here.
For every write operation, viewers, evaluators (where not allowed), read-scoped
personal tokens (of an admin: the scope caps even the strongest role) and
read-scoped integration keys get a 403 and the database does not change;
read_write integration keys never reach member, token or organization administration.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from tests.api.routes import api_routes
from tests.factories import MembershipFactory
from tests.seeding import seed_organization

WRITE_METHODS = ("post", "put", "patch", "delete")
PROJECT_APPS = ("accounts", "auth", "jobs", "providers", "questionnaires", "evaluations")
PROJECT_APPS += ("integrations", "config", "notifications", "responses", "contracts")
# Bumped by authentication itself (at most once a minute), not by the request's write.
VOLATILE_FIELDS = {"last_used_at"}

# Anonymous: the body's invitation token is the credential and a caller's own are not
# used, so no role or scope is involved (tests/accounts/test_api_invitation_accept.py).
ANONYMOUS_WRITES = {"invitations_accept"}
# The respondent API takes a response link token only: every member credential is a
# 401 there, never a write, and a link token is a 401 on buyer routes
# (tests/responses/test_api_respondent.py).
ANONYMOUS_WRITES |= {
    "respondent_answers_patch",
    "respondent_clarifications_post",
    "respondent_documents_post",
    "respondent_submit_post",
    "respondent_findings_post",
}
# Every member manages their own personal tokens and notification preferences.
MEMBER_WRITES = {
    "api_tokens_create",
    "api_tokens_destroy",
    "notification_preferences_partial_update",
} | ANONYMOUS_WRITES
EVALUATOR_WRITES = MEMBER_WRITES | {
    "evaluation_answers_create",
    # As answers: keeping the record rewrites an answer (keeping the answer writes the
    # provider record, which takes an admin: tests/evaluations/test_record_conflicts.py).
    "evaluations_resolve_record_conflict",
    "evaluation_ratings_create",
    "evaluation_ratings_submit",
    "evaluation_evaluators_declaration",
    "evaluation_reports_create",
    "needs_assessments_create",
}
# Access control: members, invitations, tokens and the organization itself.
ADMINISTRATION = ("members_", "invitations_", "api_tokens_", "organization_")
# A member's own settings: an integration key has no member to act for.
MEMBERS_ONLY = ("notification_preferences_",)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str

    def __str__(self):
        return self.operation_id


def _schema_operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        Operation(method, path, item[method]["operationId"])
        for path, item in schema["paths"].items()
        for method in WRITE_METHODS
        if method in item
    ]


WRITES = _schema_operations()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_schema_lists_every_write_the_url_conf_serves():
    in_schema = {(op.method, _concrete(op.path)) for op in WRITES}
    served = set()
    for route in api_routes():
        url = reverse(route.name, kwargs=dict.fromkeys(route.kwargs, 1))
        allowed = set(resolve(url).func.cls.http_method_names)
        served |= {(m.lower(), url) for m in route.methods if m.lower() in allowed}
    missing = {entry for entry in served if entry[0] in WRITE_METHODS} - in_schema
    assert not missing
    assert {"members_create", "organization_partial_update", "webhooks_rotate_secret"} <= {
        op.operation_id for op in WRITES
    }


def _state() -> dict:
    """Every row of every project model, to prove a refused request wrote nothing."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE_FIELDS]
        state[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return state


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def seeded(make_client):
    admin = make_client(Role.ADMIN)
    context = seed_organization(admin.organization, admin.membership)
    context["client"] = admin
    return context


def _url(operation: Operation, context) -> str:
    path = operation.path
    if "{id}" in path:
        listing = path[: path.index("{id}")]
        response = context["client"].get(_fill(listing, context))
        assert response.status_code == 200, (operation, response.status_code)
        body = response.json()
        items = body["results"] if isinstance(body, dict) else body
        assert items, f"{operation}: the seeders created nothing to write to"
        path = path.replace("{id}", str(items[0]["id"]))
    return _fill(path, context)


def _fill(path: str, context) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(context[m.group(1)]), path)


def _member_client(role, scope=TokenScope.READ_WRITE):
    def build(context):
        membership = MembershipFactory(organization=context["organization"], role=role)
        _, raw = issue_token(
            context["organization"], name="roles", membership=membership, scope=scope
        )
        return _bearer(raw)

    return build


def _integration_client(scope):
    def build(context):
        _, raw = issue_token(context["organization"], name="roles", scope=scope)
        return _bearer(raw)

    return build


# (who, how to build their client, the operations they may use)
CALLERS = [
    ("viewer", _member_client(Role.VIEWER), MEMBER_WRITES),
    ("evaluator", _member_client(Role.EVALUATOR), EVALUATOR_WRITES),
    ("admin-read-token", _member_client(Role.ADMIN, TokenScope.READ), ANONYMOUS_WRITES),
    ("integration-read", _integration_client(TokenScope.READ), ANONYMOUS_WRITES),
    (
        "integration-read-write",
        _integration_client(TokenScope.READ_WRITE),
        ANONYMOUS_WRITES
        | {
            op.operation_id
            for op in WRITES
            if not op.operation_id.startswith((*ADMINISTRATION, *MEMBERS_ONLY))
        },
    ),
]


@pytest.mark.parametrize(("who", "build", "allowed"), CALLERS, ids=[c[0] for c in CALLERS])
def test_writes_beyond_a_role_or_scope_are_403_and_change_nothing(seeded, who, build, allowed):
    client = build(seeded)
    refused = [op for op in WRITES if op.operation_id not in allowed]
    assert refused, who
    urls = {operation: _url(operation, seeded) for operation in refused}
    before = _state()
    failures = []
    for operation, url in urls.items():
        response = getattr(client, operation.method)(url, {}, format="json")
        if response.status_code != 403:
            failures.append((str(operation), response.status_code, response.content[:200]))
        elif not response["Content-Type"].startswith("application/problem+json"):
            failures.append((str(operation), "not a problem response", response["Content-Type"]))
    assert not failures, f"{who}: {failures}"
    after = _state()
    assert [label for label in before if before[label] != after[label]] == [], who


def test_the_allow_lists_name_real_operations():
    """Each name in an allow-list is a real operation: a stale one would grant nothing
    and only mislead a reader about who may write."""
    known = {op.operation_id for op in WRITES}
    assert known >= EVALUATOR_WRITES
    assert any(op.operation_id.startswith(ADMINISTRATION) for op in WRITES)

"""Who may do what: admins edit, everyone reads, built-ins are read-only for all."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from questionnaires import services
from questionnaires.models import Questionnaire, QuestionnaireVersion
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import (
    IMPORT,
    LIST,
    assert_problem,
    questionnaire_url,
    version_url,
    versions_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(organization):
    """The organization's questionnaire: v1 published, v2 draft."""
    first = services.publish_version(services.import_document(organization, make_document()))
    draft = services.new_version(first)
    return first, draft


def integration_client(organization, scope):
    _, raw = issue_token(organization, name=f"crm-{scope}", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def write_calls(published, draft):
    """Every write route, aimed at objects it could otherwise succeed on."""
    return [
        ("post", LIST, {"code": "new-one", "name": "New"}),
        ("post", IMPORT, make_document(code="imported")),
        ("patch", version_url(draft), {"name": "Changed"}),
        ("post", version_url(draft, "publish"), None),
        ("delete", version_url(draft), None),
        ("post", version_url(published, "retire"), None),
        ("post", version_url(published, "new-version"), None),
        ("delete", questionnaire_url(published.questionnaire_id), None),
    ]


def read_calls(published):
    return [
        LIST,
        questionnaire_url(published.questionnaire_id),
        versions_url(published.questionnaire_id),
        version_url(published),
        version_url(published, "export"),
    ]


def _call(client, method, url, data):
    if data is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _snapshot():
    return (
        list(Questionnaire.objects.values_list("id", "name", "updated_at")),
        list(QuestionnaireVersion.objects.values_list("id", "status", "name", "updated_at")),
    )


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
def test_evaluators_and_viewers_read_but_never_write(make_client, organization, own, role):
    client = make_client(role, organization)
    for url in read_calls(own[0]):
        assert client.get(url).status_code == 200, url
    before = _snapshot()
    for method, url, data in write_calls(*own):
        assert_problem(_call(client, method, url, data), 403)
    assert _snapshot() == before


def test_a_read_integration_key_cannot_write(organization, own):
    client = integration_client(organization, TokenScope.READ)
    for url in read_calls(own[0]):
        assert client.get(url).status_code == 200, url
    before = _snapshot()
    for method, url, data in write_calls(*own):
        assert_problem(_call(client, method, url, data), 403)
    assert _snapshot() == before


def test_a_read_write_integration_key_may_import(organization):
    client = integration_client(organization, TokenScope.READ_WRITE)
    response = _call(client, "post", IMPORT, make_document())
    assert response.status_code == 201, response.content


def test_admins_write(admin_client, own):
    published, draft = own
    expected = [201, 201, 200, 200]  # create, import, edit, publish (retires v1)
    for (method, url, data), status in zip(
        write_calls(published, draft)[:4], expected, strict=True
    ):
        assert _call(admin_client, method, url, data).status_code == status, url


def builtin_version(code="provider-vetting"):
    return QuestionnaireVersion.objects.get(
        questionnaire__code=code, questionnaire__organization=None
    )


def test_builtins_are_readable_by_everyone(make_client, builtins):
    version = builtin_version()
    for role in Role.values:
        client = make_client(role)
        rows = client.get(LIST, {"builtin": "true"}).json()["results"]
        assert {r["code"] for r in rows} >= {"provider-vetting", "pack-healthcare"}
        assert all(r["builtin"] for r in rows)
        for url in read_calls(version):
            assert client.get(url).status_code == 200, (role, url)


def test_builtins_are_editable_by_nobody(admin_client, builtins):
    version = builtin_version()
    before = _snapshot()
    calls = [
        ("patch", version_url(version), {"name": "Mine now"}),
        ("post", version_url(version, "publish"), None),
        ("post", version_url(version, "retire"), None),
        ("post", version_url(version, "new-version"), None),
        ("delete", version_url(version), None),
        ("delete", questionnaire_url(version.questionnaire_id), None),
    ]
    for method, url, data in calls:
        body = assert_problem(_call(admin_client, method, url, data), 403, "permission_denied")
        assert "Built-in questionnaires are read-only" in body["detail"]
    assert _snapshot() == before


def test_other_organizations_questionnaires_are_invisible(make_client, own):
    published, draft = own
    other = make_client(Role.ADMIN)
    codes = {r["code"] for r in other.get(LIST).json()["results"]}
    assert "acme-vetting" not in codes
    for url in read_calls(published)[1:]:
        assert_problem(other.get(url), 404)
    for method, url, data in write_calls(published, draft)[2:]:
        assert_problem(_call(other, method, url, data), 404)
    # The same code is free in the other organization.
    assert _call(other, "post", IMPORT, make_document()).status_code == 201
    assert Questionnaire.objects.filter(code="acme-vetting").count() == 2

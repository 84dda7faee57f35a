"""Import and export: one document format, JSON and YAML, exact round trips."""

import json

import pytest
import yaml

from questionnaires.builtin import CONTENT_DIR
from questionnaires.document import dump_document, load_document, normalise_document
from questionnaires.models import Questionnaire, QuestionnaireVersion
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import (
    IMPORT,
    assert_problem,
    errors_of,
    import_json,
    version_url,
)

pytestmark = pytest.mark.django_db

FILES = sorted(CONTENT_DIR.glob("*.yaml"))
CONTENT_TYPES = {"json": "application/json", "yaml": "application/yaml"}


def export(client, version, fmt):
    response = client.get(version_url(version, "export"), {"format": fmt})
    assert response.status_code == 200, response.content[:300]
    return response


def imported_version(response):
    assert response.status_code == 201, response.content[:500]
    return QuestionnaireVersion.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_of_import_is_the_normalised_document(admin_client, path, fmt):
    original = load_document(path.read_text(encoding="utf-8"), "yaml")
    text = dump_document(original, fmt)  # the file as the client sends it, not normalised
    response = admin_client.post(IMPORT, data=text, content_type=CONTENT_TYPES[fmt])
    version = imported_version(response)
    exported = export(admin_client, version, fmt)
    assert exported["Content-Type"].startswith(CONTENT_TYPES[fmt])
    assert exported.content.decode() == dump_document(normalise_document(original), fmt)
    assert load_document(exported.content, fmt) == normalise_document(original)


def test_yaml_import_with_text_yaml_and_export_headers(admin_client):
    text = dump_document(make_document(), "yaml")
    version = imported_version(admin_client.post(IMPORT, data=text, content_type="text/yaml"))
    response = export(admin_client, version, "yaml")
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-vetting-v1.yaml"'
    assert yaml.safe_load(response.content) == normalise_document(make_document())
    response = export(admin_client, version, "json")
    assert response["Content-Disposition"] == 'attachment; filename="acme-vetting-v1.json"'
    assert json.loads(response.content) == normalise_document(make_document())


def test_export_format_defaults_to_json_and_follows_accept(admin_client):
    version = imported_version(import_json(admin_client, make_document()))
    plain = admin_client.get(version_url(version, "export"))
    assert plain["Content-Type"].startswith("application/json")
    accepted = admin_client.get(version_url(version, "export"), HTTP_ACCEPT="application/yaml")
    assert accepted["Content-Type"].startswith("application/yaml")
    # An explicit format wins over Accept.
    both = admin_client.get(
        version_url(version, "export"), {"format": "json"}, HTTP_ACCEPT="application/yaml"
    )
    assert both["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("fmt", ["xml", ""])
def test_export_rejects_unknown_formats(admin_client, fmt):
    version = imported_version(import_json(admin_client, make_document()))
    response = admin_client.get(version_url(version, "export"), {"format": fmt})
    assert errors_of(response) == {("format", "invalid")}


def test_export_is_readable_by_viewers_and_for_builtins(viewer_client, builtins):
    version = QuestionnaireVersion.objects.get(questionnaire__code="provider-vetting")
    response = export(viewer_client, version, "yaml")
    path = CONTENT_DIR / "provider-vetting.yaml"
    assert load_document(response.content, "yaml") == normalise_document(
        load_document(path.read_text(encoding="utf-8"), "yaml")
    )
    assert 'filename="provider-vetting-v1.yaml"' in response["Content-Disposition"]


def test_import_response_is_the_new_draft(admin_client):
    response = import_json(admin_client, make_document())
    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "draft" and body["number"] == 1
    assert body["questionnaire_code"] == "acme-vetting" and body["builtin"] is False
    assert body["sections"] == normalise_document(make_document())["sections"]
    questionnaire = Questionnaire.objects.get(pk=body["questionnaire"])
    assert questionnaire.organization == admin_client.organization


def test_import_of_an_existing_code_with_a_draft_is_409(admin_client):
    import_json(admin_client, make_document())
    assert_problem(import_json(admin_client, make_document()), 409, "draft_exists")


def test_import_of_a_builtin_code_creates_an_organization_copy(admin_client, builtins):
    path = CONTENT_DIR / "pack-legal.yaml"
    response = admin_client.post(IMPORT, data=path.read_bytes(), content_type="application/yaml")
    version = imported_version(response)
    assert version.questionnaire.organization == admin_client.organization
    assert Questionnaire.objects.filter(code="pack-legal").count() == 2


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        ("{nope", "application/json", "parse_error"),
        ('{"code": "a", "code": "b"}', "application/json", "duplicate_key"),
        ('{"weight": NaN}', "application/json", "parse_error"),
        ("[1, 2]", "application/json", "not_a_mapping"),
        ("a: &x 1\nb: *x\n", "application/yaml", "parse_error"),
        ("a: 1\na: 2\n", "text/yaml", "parse_error"),
        ("!!python/object:os.system {}", "application/yaml", "parse_error"),
        ("a: !!binary aGk=\n", "application/yaml", "unsupported_value"),
        ("- just\n- a list\n", "application/yaml", "not_a_mapping"),
        ("x:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), "text/yaml", "too_deep"),
    ],
)
def test_unreadable_documents_are_400(admin_client, body, content_type, code):
    response = admin_client.post(IMPORT, data=body, content_type=content_type)
    problem = assert_problem(response, 400, code)
    assert problem["detail"]


def test_a_parse_error_says_where(admin_client):
    response = admin_client.post(IMPORT, data="a: [1,\nb", content_type="application/yaml")
    assert "line" in assert_problem(response, 400, "parse_error")["detail"]


def test_import_body_is_bounded(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # past the middleware's limit
    body = "description: '" + "x" * 2_100_000 + "'\n"
    response = admin_client.post(IMPORT, data=body, content_type="application/yaml")
    assert_problem(response, 413, "request_too_large")


def test_other_media_types_are_415(admin_client):
    response = admin_client.post(IMPORT, data="<q/>", content_type="application/xml")
    assert_problem(response, 415, "unsupported_media_type")

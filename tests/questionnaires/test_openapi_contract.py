"""The questionnaire part of the OpenAPI schema says exactly what the service enforces."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from questionnaires.conversion import SEMANTIC_CODES
from questionnaires.document import document_schema
from questionnaires.document_warnings import WARNING_CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"
PARTS = {
    "QuestionnaireDocument": None,
    "QuestionnaireSection": "section",
    "QuestionnaireQuestion": "question",
    "QuestionOption": "option",
    "QuestionBand": "band",
}
SEMANTIC_OPERATIONS = {
    "questionnaires_import_document",
    "questionnaire_versions_partial_update",
    "questionnaire_versions_publish",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operations(schema):
    for path, item in schema["paths"].items():
        if path.startswith("/api/v1/questionnaires"):
            for method, operation in item.items():
                yield path, method, operation


def test_document_components_follow_the_json_schema(schema):
    json_schema = document_schema()
    components = schema["components"]["schemas"]
    for name, definition in PARTS.items():
        source = json_schema if definition is None else json_schema["$defs"][definition]
        for component in (components[name], components[f"{name}Request"]):
            assert component["additionalProperties"] is False, name
            assert set(component["properties"]) == set(source["properties"]), name
            assert set(component.get("required", [])) == set(source["required"]), name
            for key, prop in source["properties"].items():
                assert component["properties"][key].get("description") == prop.get("description"), (
                    name,
                    key,
                )


def test_operations_are_documented(schema):
    ids = set()
    for path, method, operation in operations(schema):
        ids.add(operation["operationId"])
        assert operation.get("summary"), (path, method)
    assert ids == {
        "questionnaires_list",
        "questionnaires_create",
        "questionnaires_retrieve",
        "questionnaires_destroy",
        "questionnaires_import_document",
        "questionnaire_versions_list",
        "questionnaire_versions_retrieve",
        "questionnaire_versions_partial_update",
        "questionnaire_versions_destroy",
        "questionnaire_versions_publish",
        "questionnaire_versions_new_version",
        "questionnaire_versions_retire",
        "questionnaire_versions_export",
    }


def test_import_and_export_media_types(schema):
    imported = schema["paths"]["/api/v1/questionnaires/import/"]["post"]
    assert set(imported["requestBody"]["content"]) == {
        "application/json",
        "application/yaml",
        "text/yaml",
    }
    export = schema["paths"]["/api/v1/questionnaires/{questionnaire_pk}/versions/{id}/export/"]
    ok = export["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "application/yaml"}
    assert "Content-Disposition" in ok["headers"]


def test_semantic_error_codes_are_declared_where_they_apply(schema):
    declared = {
        operation["operationId"]: operation.get("x-semantic-error-codes")
        for _, _, operation in operations(schema)
    }
    for operation_id, codes in declared.items():
        if operation_id in SEMANTIC_OPERATIONS:
            assert codes == list(SEMANTIC_CODES), operation_id
        else:
            assert codes is None, operation_id


def test_semantic_codes_are_the_documented_rules():
    text = (DOCS / "questionnaire-format.md").read_text(encoding="utf-8")
    table = text.split("### Semantic rules")[1].split("### Warnings")[0]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M)) == set(SEMANTIC_CODES)


def test_warning_codes_are_the_documented_warnings():
    text = (DOCS / "questionnaire-format.md").read_text(encoding="utf-8")
    table = text.split("### Warnings")[1].split("## Normal form")[0]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M)) == set(WARNING_CODES)
    assert not set(WARNING_CODES) & set(SEMANTIC_CODES)  # warnings never refuse


def test_version_status_enum_is_named_once(schema):
    components = schema["components"]["schemas"]
    assert components["VersionStatusEnum"]["enum"] == ["draft", "published", "retired"]
    assert components["Version"]["properties"]["status"]["allOf"][0]["$ref"].endswith(
        "/VersionStatusEnum"
    )

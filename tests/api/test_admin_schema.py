"""/api/schema/admin/: the main schema's operations, rendered the way API Platform
Admin reads them (config/schema_admin.py); what the parser makes of it is in
tests/clients/test_api_doc_parser.py."""

import pytest
from rest_framework.test import APIClient

BASE = "/api/v1"


def _schema(url, **headers):
    response = APIClient().get(url, **headers)
    assert response.status_code == 200, response.content[:200]
    return response.json()


def _component(schema, node):
    return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]


def _read_component(schema, item_path):
    content = schema["paths"][item_path]["get"]["responses"]["200"]["content"]
    return _component(schema, content["application/json"]["schema"])


@pytest.fixture(scope="module")
def schemas(django_db_blocker):
    with django_db_blocker.unblock():
        admin = _schema("/api/schema/admin/", HTTP_ACCEPT="application/vnd.openapi+json")
        main = _schema("/api/schema/")
    return main, admin


def test_paths_are_relative_to_the_api_base_without_their_slash(schemas, settings):
    main, admin = schemas
    assert admin["servers"] == [{"url": f"http://testserver{BASE}", "description": "This service"}]
    # The same operations, one to one, each under its address relative to the base.
    relative = {path.removeprefix(BASE).rstrip("/"): item for path, item in main["paths"].items()}
    assert set(admin["paths"]) == set(relative)
    for path, item in admin["paths"].items():
        assert {
            method: op["operationId"] for method, op in item.items() if "operationId" in op
        } == {
            method: op["operationId"]
            for method, op in relative[path].items()
            if "operationId" in op
        }, path
    assert {"/providers", "/providers/{id}", "/capabilities/{code}"} <= set(admin["paths"])


def test_the_main_schema_is_left_as_it_is(schemas):
    """The admin's rendering never leaks into /api/schema/: its paths keep the base and
    slash, lists keep their enum on the items only (an `enum` beside a list would refuse
    every list), and reads require what answers always carry."""
    main, admin = schemas
    again = _schema("/api/schema/")
    assert again == main
    assert "/api/v1/providers/{id}/" in main["paths"]
    provider = _read_component(main, "/api/v1/providers/{id}/")
    assert "enum" not in provider["properties"]["service_models"]
    assert "website" in provider["required"]
    admin_provider = _read_component(admin, "/providers/{id}")
    assert admin_provider["properties"]["service_models"]["enum"]


def test_multi_value_fields_carry_their_items_enum(schemas):
    _, admin = schemas
    service_models = _read_component(admin, "/providers/{id}")["properties"]["service_models"]
    items = _component(admin, service_models["items"])
    assert service_models["enum"] == [value for value in items["enum"] if value is not None]


def test_a_read_requires_what_its_create_requires(schemas):
    _, admin = schemas
    checked = 0
    for path, item in admin["paths"].items():
        collection = admin["paths"].get(path.rsplit("/", 1)[0], {})
        if not path.endswith("}") or path.count("{") != 1 or "get" not in item:
            continue
        create = collection.get("post")
        sent = (
            _component(admin, create["requestBody"]["content"]["application/json"]["schema"])
            if create
            else {}
        )
        assert _read_component(admin, path).get("required", []) == sent.get("required", []), path
        checked += bool(sent.get("required"))
    assert checked >= 5


def test_nested_objects_behind_all_of_are_typed(schemas):
    _, admin = schemas
    published = _read_component(admin, "/questionnaires/{id}")["properties"]["published_version"]
    assert published["type"] == "object" and len(published["allOf"]) == 1

"""What a generic OpenAPI consumer (an admin UI, a client generator) relies on, checked
on every operation and component of the schema, so a new one cannot break it
(docs/integrating.md, "Generic OpenAPI tools")."""

import json
import uuid

import pytest

from config.filters import IdListFilter
from tests.api.request_fields import JSON_VALUE, _generated
from tests.api.seeded import caller, url_for

# Properties an answer may leave out, by component, and why.
OPTIONAL_IN_RESPONSES = {
    # Problem details: `instance` and `errors` only when there is something to say;
    # a rejected import's `report` only when its rows were read.
    "Problem": {"instance", "errors"},
    "ImportProblem": {"instance", "errors", "report"},
    # Reports built before packs existed have none, nor record conflicts before those.
    "ReportEvaluation": {"packs"},
    "ReportCandidate": {"record_conflicts"},
    # Rating upserts clear nothing (a null answer clears; a rating cannot be null).
    "UpsertResult": {"cleared"},
    # The questionnaire document format (questionnaires/document_schema.py), whose
    # optional keys an exported document leaves out like an authored one.
    "QuestionnaireDocument": {"description", "version_label"},
    "QuestionnaireSection": {"description", "weight"},
    "QuestionnaireQuestion": {
        "applies_to",
        "bands",
        "false_score",
        "guidance",
        "help_text",
        "industries",
        "knockout",
        "options",
        "pass_threshold",
        "prefill",
        "scale_max",
        "scoring",
        "tags",
        "true_score",
        "weight",
    },
}
# Keys that say what a schema object holds.
TYPED = {"type", "$ref", "allOf", "oneOf", "anyOf", "enum", "properties", "items", "not"}


def _schema():
    return _generated()[1]


def _operations():
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _components():
    return _schema()["components"]["schemas"]


def _resolve(node):
    while "$ref" in node:
        node = _components()[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _subschemas(node, path=""):
    """Every schema object below ``node`` (components are visited on their own)."""
    if not isinstance(node, dict):
        return
    yield path, node
    for name, child in (node.get("properties") or {}).items():
        yield from _subschemas(child, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _subschemas(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from _subschemas(node["additionalProperties"], f"{path}{{}}")
    for combined in ("allOf", "oneOf", "anyOf"):
        for index, part in enumerate(node.get(combined, [])):
            yield from _subschemas(part, f"{path}|{combined}{index}")


def _every_schema():
    for name, component in _components().items():
        for path, node in _subschemas(component):
            yield f"{name}{path}", node
    for path, method, operation in _operations():
        where = f"{method.upper()} {path}"
        for media in operation.get("requestBody", {}).get("content", {}).values():
            for sub, node in _subschemas(media.get("schema", {})):
                yield f"{where} body{sub}", node
        for code, response in operation["responses"].items():
            for media in (response.get("content") or {}).values():
                for sub, node in _subschemas(media.get("schema", {})):
                    yield f"{where} {code}{sub}", node
        for parameter in operation.get("parameters", []):
            yield f"{where} ?{parameter['name']}", parameter["schema"]


def _list_operations():
    """Collection reads: paginated lists of objects with an `id`."""
    for path, method, operation in _operations():
        if method != "get" or not operation["operationId"].endswith("_list"):
            continue
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        items = _resolve(_resolve(body)["properties"]["results"]["items"])
        if "id" in items.get("properties", {}):
            yield path, operation


def test_servers_are_declared():
    assert _schema()["servers"] and all(server["url"] for server in _schema()["servers"])


def test_every_operation_has_a_summary_and_a_description():
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations()
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]
    assert missing == []


def test_updates_are_patch_everywhere():
    """One convention (docs/integrating.md): partial updates with PATCH; PUT answers 405."""
    assert [path for path, method, _ in _operations() if method == "put"] == []


def test_every_list_documents_the_id_filter():
    lists = dict(_list_operations())
    assert {"/api/v1/providers/", "/api/v1/evaluations/{evaluation_pk}/ratings/"} <= set(lists)
    for path, operation in lists.items():
        parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        assert IdListFilter.param in parameters, path
        parameter = parameters[IdListFilter.param]
        assert parameter["schema"]["type"] == "array", path
        assert (parameter["style"], parameter["explode"]) == ("form", True), path


def test_no_enum_hides_behind_a_wrapper():
    """A property that is only references to enums (``allOf`` with a description,
    nullable ``oneOf``) carries the values itself: tools that do not follow the wrapper
    would offer free text."""
    components = _components()
    hidden = []
    for where, node in _every_schema():
        wrapped = node.get("allOf") or node.get("oneOf") or []
        targets = [components[p["$ref"].rsplit("/", 1)[-1]] for p in wrapped if "$ref" in p]
        if targets and all("enum" in target for target in targets):
            values = {value for target in targets for value in target["enum"]}
            if set(node.get("enum", ())) != values:
                hidden.append(where)
    assert hidden == []


def _typed_schemas():
    """Every schema but ``JsonValue``'s list and object members: their values are any
    JSON values, and naming ``JsonValue`` again there would make it refer to itself,
    which generators of typed clients cannot resolve (they drop every response that
    contains it: tests/integrations/test_generated_client.py)."""
    for where, node in _every_schema():
        nested = node.get("type") in ("array", "object") or where.endswith("[]")
        if not (where.startswith(f"{JSON_VALUE}|anyOf") and nested):
            yield where, node


def test_every_property_is_typed():
    """No empty schema: generic tools render those as strings (`[object Object]`)."""
    untyped = [where for where, node in _typed_schemas() if not set(node) & TYPED]
    assert untyped == []
    free_objects = [
        where
        for where, node in _typed_schemas()
        if node.get("type") == "object"
        and not node.get("properties")
        and not isinstance(node.get("additionalProperties"), dict)
    ]
    assert free_objects == []


def test_json_values_are_typed_one_level_and_never_recursive():
    json_value = _components()[JSON_VALUE]
    members = {member.get("type") for member in json_value["anyOf"]}
    assert members == {"string", "number", "boolean", "array", "object"}
    assert f"#/components/schemas/{JSON_VALUE}" not in json.dumps(json_value)


def test_response_components_require_what_answers_always_carry():
    loose = {}
    for name, component in _components().items():
        if name.endswith("Request") or "properties" not in component:
            continue  # request bodies (split components) require what callers must send
        missing = set(component["properties"]) - set(component.get("required", ()))
        missing -= OPTIONAL_IN_RESPONSES.get(name, set())
        if missing:
            loose[name] = sorted(missing)
    assert loose == {}


def _may_be_null(node) -> bool:
    parts = [node, *node.get("allOf", [])]
    return any(part.get("nullable") for part in parts) or any(
        None in _resolve(part).get("enum", ()) for part in node.get("oneOf", [])
    )


def _missing_required(node, data, where="") -> list[str]:
    """Required properties absent from ``data``, and nulls where the schema allows
    none, anywhere in it."""
    node = _resolve(node)
    problems = []
    for part in node.get("allOf", []):
        problems += _missing_required(part, data, where)
    if isinstance(data, dict):
        problems += [f"{where}.{key}" for key in node.get("required", ()) if key not in data]
        for key, child in (node.get("properties") or {}).items():
            if key in data and data[key] is None and not _may_be_null(child):
                problems.append(f"{where}.{key}: null")
            if data.get(key) is not None:
                problems += _missing_required(child, data[key], f"{where}.{key}")
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(data):
            problems += _missing_required(node["items"], item, f"{where}[{index}]")
    return problems


def _json_reads():
    for path, method, operation in _operations():
        content = operation["responses"].get("200", {}).get("content", {})
        parameters = operation.get("parameters", [])
        needs_query = any(p["in"] == "query" and p.get("required") for p in parameters)
        # Downloads answer other media types too (files): their JSON is a report's.
        if method == "get" and list(content) == ["application/json"] and not needs_query:
            yield path, operation, content["application/json"]["schema"]


def test_null_that_only_requests_send_is_not_nullable_in_answers():
    """A candidate's `lots` may be sent as null (bid the default lots); it is never
    null in an answer."""
    components = _components()
    assert components["CandidateRequest"]["properties"]["lots"]["nullable"] is True
    assert "nullable" not in components["Candidate"]["properties"]["lots"]


@pytest.mark.django_db
def test_every_read_carries_its_required_properties(seeded):
    """The ``required`` and ``nullable`` marks hold for real answers: every JSON read
    of a seeded organization, with the object of each object route."""
    client, context = seeded
    # The capability catalog is keyed by code, the same in every organization.
    context = {**context, "code": client.get("/api/v1/capabilities/").json()["results"][0]["code"]}
    checked = 0
    for path, operation, schema in _json_reads():
        url = url_for(client, context, path, operation["operationId"])
        response = caller(client, context, operation).get(url)
        assert response.status_code == 200, (path, response.content[:300])
        assert _missing_required(schema, response.json()) == [], path
        checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_every_list_filters_by_id(seeded):
    client, context = seeded
    for path, operation in _list_operations():
        url = url_for(client, context, path, operation["operationId"])
        reader = caller(client, context, operation)
        everything = reader.get(url, {"page_size": 100}).json()["results"]
        assert everything, f"{path}: seed something"
        first = everything[0]["id"]
        unknown = str(uuid.uuid4()) if isinstance(first, str) else 2**62
        chosen = reader.get(url, {"id": [first, unknown]})
        assert chosen.status_code == 200, (path, chosen.content[:300])
        assert [item["id"] for item in chosen.json()["results"]] == [first], path
        for bad in ("x", "0", "", "1,2"):
            refused = reader.get(url, {"id": bad})
            assert refused.status_code == 400, (path, bad)
            assert refused.json()["errors"][0]["field"] == "id", (path, bad)


@pytest.mark.django_db
def test_the_id_filter_is_bounded(admin_client):
    too_many = admin_client.get("/api/v1/providers/", {"id": list(range(1, 102))})
    assert too_many.status_code == 400
    assert admin_client.get("/api/v1/providers/", {"id": list(range(1, 101))}).status_code == 200


def test_if_match_flows_are_documented_end_to_end():
    """Where a write takes If-Match, a generic client finds the whole flow: the ETag
    on the read (and on the PATCH answer), the header, and the 412 (428 if required)."""
    found = 0
    for path, item in _schema()["paths"].items():
        for method in ("patch", "delete"):
            operation = item.get(method)
            headers = {
                p["name"]: p for p in (operation or {}).get("parameters", []) if p["in"] == "header"
            }
            if "If-Match" not in headers:
                continue
            found += 1
            assert "412" in operation["responses"], (method, path)
            if headers["If-Match"].get("required"):
                assert "428" in operation["responses"], (method, path)
            if method == "patch":
                assert "ETag" in operation["responses"]["200"]["headers"], path
            read = item["get"]
            assert "ETag" in read["responses"]["200"]["headers"], path
            if any(p["name"] == "If-None-Match" for p in read.get("parameters", [])):
                assert "304" in read["responses"], path
    assert found >= 10

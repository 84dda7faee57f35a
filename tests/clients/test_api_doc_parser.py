"""API Platform's api-doc-parser (what API Platform Admin builds its screens from) reads
every resource of the schema served for it (``/api/schema/admin/``, as served, nothing
rewritten) with its operations, fields, enums and references.

What it should find is derived from our side: the resources from the URL routes, the
operations from the main schema's methods, the fields and enums from its components
(enums as the named components the properties reference, multi-value fields with the
enum of their items), which fields a create form requires from the create request's
component, and the references from the serializers (a related field or a nested model
serializer, and the model it points at). The parser runs in node against a live
server, as an admin would use it.
"""

import json
import re

import pytest
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.plumbing import force_instance
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

from config.flat_collections import FLAT_COLLECTIONS
from tests.api.request_fields import _generated
from tests.api.routes import api_routes
from tests.clients.conftest import run_node

# An item route of a collection: `/api/v1/candidates/{id}/` (the parser's own rule).
ITEM_PATH = re.compile(r"^/api/v1/(?P<collection>[^{}/]+)/\{[^{}]+\}/$")

# References the parser cannot see as they are. It guesses a field's resource from the
# field's name alone (singular, classified: `candidate` -> `Candidate`) and titles each
# resource from its collection's path segment, so a collection of two words
# (`questionnaire-versions`) is titled `Questionnaire-version`, which no field name
# becomes; a field named for its role finds nothing; a field named like another
# resource finds that one. Value: what the parser takes the field for instead.
PARSER_LIMITS = {
    ("evaluations", "questionnaire_version"): None,  # two-word collection
    ("evaluations", "needs_assessment"): None,  # two-word collection
    ("scorecards", "questionnaire_version"): None,  # two-word collection
    ("evaluations", "packs"): None,  # questionnaire versions, named for their role
    ("evaluations", "lead"): None,  # a member, named for their role
    ("contract-sla-terms", "source_sla"): None,  # the provider's SLA record it copies
    ("contracts", "sla_terms"): None,  # embedded; their flat collection is contract-sla-terms
    ("sla-measurements", "sla_term"): None,  # a contract-sla-terms item, named short
    # A reassessment round's earlier round and its request, named for their role.
    ("reassessment-rounds", "previous_evaluation"): None,
    ("reassessment-rounds", "previous_candidate"): None,
    ("reassessment-rounds", "response_request"): None,  # two-word collection
    ("findings", "sla_term"): None,  # a contract-sla-terms item, named short
    ("findings", "measurement"): None,  # an sla-measurements item, named short
    ("findings", "owner"): None,  # a member, named for their role
    # A provider's offerings of catalog capabilities (capability-offerings): the
    # catalog itself is `/capabilities/`, and the field has its name.
    ("providers", "capabilities"): ("embedded", "capabilities"),
}

# References kept as plain lists of ids rather than related fields (so the
# serializers do not show them), which the parser rightly reads from their names.
ID_LIST_REFERENCES = {
    ("contracts", "proposal_ids"): ("reference", "proposals"),  # the winning proposals
}


def _item_views():
    """(collection, GET item path, its response serializer) of every item route, as
    drf-spectacular sees them."""
    generator, _ = _generated()
    prefix = f"^{spectacular_settings.SCHEMA_PATH_PREFIX}"
    for path, path_regex, method, callback in generator.endpoints:
        if method != "GET":
            continue
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        match = ITEM_PATH.match(path)
        if match is None:
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.schema.get_operation(path, path_regex, prefix, method, generator.registry)
        serializer = force_instance(view.schema.get_response_serializers())
        yield match["collection"], path, serializer


def _model_of(serializer):
    return getattr(getattr(serializer, "Meta", None), "model", None)


def _related_model(model, source: str):
    """The model a dotted ``source`` ends at when its last step is a relation."""
    related = None
    for step in source.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(step)  # an attname (`provider_id`) too
        except FieldDoesNotExist:  # a property or a method: not a relation
            return None
        related = field.related_model if field.is_relation else None
        model = related
    return related


def _references(serializer, models: dict) -> dict:
    """Field -> ("reference" | "embedded", collection) of the fields pointing at a
    model that is itself a resource."""
    found = {}
    model = _model_of(serializer)
    for name, field in serializer.fields.items():
        nested = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(nested, serializers.ModelSerializer):
            kind, target = "embedded", _model_of(nested)
        else:
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            kind = "reference"
            target = (
                queryset.model
                if queryset is not None
                else _related_model(model, field.source or name)
            )
        if target in models:
            found[name] = (kind, models[target])
    return found


def _component(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _enum_of(schema, prop):
    """The values a property takes from the enum components it references (or its own
    inline `enum` when it references none), None when it is not an enum; a list's, the
    values of its items (a multi-select)."""
    if prop.get("type") == "array":
        values = _enum_of(schema, prop["items"])
        return None if values is None else [value for value in values if value is not None]
    parts = [prop] if "$ref" in prop else prop.get("allOf") or prop.get("oneOf")
    if not parts:
        return prop.get("enum")
    targets = [_component(schema, part) for part in parts]
    if not all("enum" in target for target in targets):
        return None
    return [value for target in targets for value in target["enum"]]


def _create_required(schema, collection) -> list[str]:
    """What a create request must send (nothing where the collection takes no POST)."""
    create = schema["paths"].get(f"/api/v1/{collection}/", {}).get("post")
    if create is None:
        return []
    body = create["requestBody"]["content"]["application/json"]["schema"]
    return _component(schema, body).get("required", [])


def _operations(schema, collection, item_path) -> set[str]:
    """The screens the parser should offer, from the methods of the two routes."""
    item = schema["paths"][item_path]
    listed = schema["paths"].get(f"/api/v1/{collection}/", {})
    methods = {
        "show": "get" in item,
        "edit": "patch" in item,
        "delete": "delete" in item,
        "list": "get" in listed,
        "create": "post" in listed,
    }
    return {operation for operation, offered in methods.items() if offered}


def _object_refs(schema, properties) -> set[str]:
    """The properties that are a nested object behind an `allOf` reference."""
    return {
        name
        for name, prop in properties.items()
        if len(prop.get("allOf", [])) == 1 and "properties" in _component(schema, prop["allOf"][0])
    }


@pytest.fixture(scope="module")
def expected():
    """Collection -> its fields (name -> required by a create form), enums, references,
    operations and nested objects."""
    _, schema = _generated()
    views = list(_item_views())
    models = {_model_of(serializer): collection for collection, _, serializer in views}
    resources = {}
    for collection, path, serializer in views:
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        component = _component(schema, body["schema"])
        properties = component["properties"]
        required = _create_required(schema, collection)
        resources[collection] = {
            "fields": {name: name in required for name in properties},
            "operations": _operations(schema, collection, path),
            "objects": _object_refs(schema, properties),
            "enums": {
                name: values
                for name, prop in properties.items()
                if (values := _enum_of(schema, prop)) is not None
            },
            "references": _references(serializer, models),
        }
    return resources


@pytest.fixture(scope="module")
def parsed(node_tools, live_server):
    output = run_node(node_tools, "parse-schema.mjs", f"{live_server.url}/api/schema/admin/")
    result = json.loads(output)
    assert result["status"] == 200
    for resource in result["resources"]:
        # Where a generic admin sends its requests: the API base and the collection.
        assert resource["url"] == f"{live_server.url}/api/v1/{resource['name']}"
    return {resource["name"]: resource for resource in result["resources"]}


def test_the_expected_resources_are_every_collection_of_the_routes(expected):
    """The expectation itself covers the API: every collection with an item route
    (flat ones included), so the comparisons below cannot pass on too little."""
    routed = {
        route.pattern.removeprefix("api/v1/").lstrip("^").split("/")[0]
        for route in api_routes()
        if route.kwargs == ("pk",) and route.name.endswith("-detail")
    }
    assert routed <= set(expected)
    assert {viewset.flat_path for viewset in FLAT_COLLECTIONS} <= set(expected)
    assert len(expected) >= 25
    assert sum(len(resource["enums"]) for resource in expected.values()) >= 25
    assert sum(len(resource["references"]) for resource in expected.values()) >= 20


def test_every_resource_is_found_with_its_fields(parsed, expected):
    """Every field, required where a create must send it (not where an answer always
    carries it, which would make every form field mandatory)."""
    assert set(parsed) == set(expected)
    for name, resource in parsed.items():
        fields = {field["name"]: field["required"] for field in resource["fields"]}
        assert fields == expected[name]["fields"], name
    assert (
        sum(required for resource in expected.values() for required in resource["fields"].values())
        >= 10
    )


def test_every_resource_has_its_list_create_edit_and_delete(parsed, expected):
    for name, resource in parsed.items():
        assert set(resource["operations"]) == expected[name]["operations"], name
    offered = [resource["operations"] for resource in expected.values()]
    assert sum({"list", "create", "edit", "delete"} <= operations for operations in offered) >= 5


def test_nested_objects_are_objects(parsed, expected):
    for name, resource in parsed.items():
        objects = {field["name"] for field in resource["fields"] if field["type"] == "object"}
        assert expected[name]["objects"] <= objects, name
    assert any(resource["objects"] for resource in expected.values())


def test_enums_are_selects(parsed, expected):
    for name, resource in parsed.items():
        enums = {field["name"]: field["enum"] for field in resource["fields"] if field["enum"]}
        assert enums == expected[name]["enums"], name
    # Multi-value fields are multi-selects: a provider's service models, for one.
    (service_models,) = (f for f in parsed["providers"]["fields"] if f["name"] == "service_models")
    assert service_models["type"] == "array" and service_models["enum"]


def _parser_sees(field):
    if field["embedded"]:
        return ("embedded", field["embedded"])
    if field["reference"]:
        return ("reference", field["reference"])
    return None


def test_references_point_at_their_resources(parsed, expected):
    for name, resource in parsed.items():
        seen = {
            field["name"]: _parser_sees(field)
            for field in resource["fields"]
            if _parser_sees(field)
        }
        wanted = {
            field: PARSER_LIMITS.get((name, field), target)
            for field, target in expected[name]["references"].items()
        }
        wanted.update(
            {field: target for (of, field), target in ID_LIST_REFERENCES.items() if of == name}
        )
        assert seen == {field: target for field, target in wanted.items() if target}, name


def test_every_parser_limit_is_still_one(expected):
    """An entry of PARSER_LIMITS names a real reference the parser misreads."""
    for (name, field), instead in PARSER_LIMITS.items():
        assert field in expected[name]["references"], (name, field)
        assert expected[name]["references"][field] != instead, (name, field)

"""The questionnaire document in the OpenAPI schema, derived from its JSON Schema.

The document's JSON Schema (``content/schema/questionnaire.schema.json``) is the
one definition of the format. These serializers only name its parts as OpenAPI
components (``QuestionnaireDocument``, ``QuestionnaireSection``, ...); their
schemas are converted from the JSON Schema by ``DocumentPartExtension``, so
descriptions, limits, patterns, enums and ``additionalProperties: false`` can
never drift from what ``validate_document`` enforces. Input is validated by
``validate_document`` in the services, not by these serializers; on output they
pass document dicts through unchanged.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import get_class

from config.serializers import StrictSerializer
from questionnaires.document import document_schema


class DocumentPartSerializer(StrictSerializer):
    """Base: a part of the document (``document_def`` names its ``$defs`` entry, or
    None for the top level), optionally limited to some properties."""

    component_name = ""
    document_def: str | None = None
    document_fields: tuple[str, ...] | None = None
    document_required: tuple[str, ...] | None = None
    #: Read-only fields of the resource's representation that the body may carry
    #: back (ignored), so a resource read and sent back whole is accepted.
    read_back_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        return instance


class OptionDocumentSerializer(DocumentPartSerializer):
    component_name = "QuestionOption"
    document_def = "option"


class BandDocumentSerializer(DocumentPartSerializer):
    component_name = "QuestionBand"
    document_def = "band"


class QuestionDocumentSerializer(DocumentPartSerializer):
    component_name = "QuestionnaireQuestion"
    document_def = "question"


class SectionDocumentSerializer(DocumentPartSerializer):
    component_name = "QuestionnaireSection"
    document_def = "section"


class DocumentSerializer(DocumentPartSerializer):
    component_name = "QuestionnaireDocument"


class DraftChangesSerializer(DocumentPartSerializer):
    """Body of a draft edit: any of these document fields; `sections` replaces the tree."""

    component_name = "QuestionnaireDraftChanges"
    document_fields = ("name", "description", "version_label", "sections")
    document_required = ()
    read_back_fields = (
        "id",
        "questionnaire",
        "questionnaire_code",
        "builtin",
        "number",
        "status",
        "content_hash",
        "created_at",
        "updated_at",
        "published_at",
        "retired_at",
        "warnings",
    )


class QuestionnaireCreateSerializer(DocumentPartSerializer):
    """Body of a new questionnaire: its code and the first draft's name."""

    component_name = "QuestionnaireCreate"
    document_fields = ("code", "name", "description", "version_label")
    document_required = ("code", "name")


_OBJECT_DEFS = {
    "section": SectionDocumentSerializer,
    "question": QuestionDocumentSerializer,
    "option": OptionDocumentSerializer,
    "band": BandDocumentSerializer,
}
# OpenAPI 3.0 has no propertyNames: the prefill's `values` keys are checked by the
# service (the document's own schema) instead.
_DROPPED = {"$schema", "$id", "$defs", "$comment", "title", "propertyNames"}
#: Free text may hold anything but NUL, which PostgreSQL cannot store (the service
#: refuses it as ``invalid_character``); saying so keeps the schema exact.
NO_NUL_PATTERN = r"^[^\x00]*$"
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def openapi_schema(node: dict, root: dict, ref) -> dict[str, Any]:
    """Convert a JSON Schema (2020-12) node to an OpenAPI 3.0 schema object.

    ``$ref``s to object definitions become component references (``ref(name)``);
    the small value definitions are inlined. ``const`` becomes a one-value enum
    and ``type: [T, "null"]`` becomes ``type: T, nullable: true``.
    """
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in _OBJECT_DEFS:
            return ref(name)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return openapi_schema({**root["$defs"][name], **siblings}, root, ref)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "const":
            out.setdefault("type", _JSON_TYPES[type(value)])
            out["enum"] = [value]
        elif key == "type" and isinstance(value, list):
            out["type"] = next(t for t in value if t != "null")
            if "null" in value:
                out["nullable"] = True
        elif key == "properties":
            out[key] = {name: openapi_schema(prop, root, ref) for name, prop in value.items()}
        elif key == "items" or (key == "additionalProperties" and isinstance(value, dict)):
            out[key] = openapi_schema(value, root, ref)
        else:
            out[key] = value
    if out.get("type") == "string" and "pattern" not in out and "enum" not in out:
        out["pattern"] = NO_NUL_PATTERN
    return out


def part_schema(part: type[DocumentPartSerializer], ref) -> dict[str, Any]:
    root = document_schema()
    node = root if part.document_def is None else root["$defs"][part.document_def]
    schema = openapi_schema(node, root, ref)
    if part.document_fields is not None:
        schema["properties"] = {k: schema["properties"][k] for k in part.document_fields}
        schema["required"] = [k for k in schema.get("required", []) if k in part.document_fields]
    for name in part.read_back_fields:
        schema["properties"][name] = {
            "readOnly": True,
            "description": "As the version's representation has it; ignored.",
        }
    if part.document_required is not None:
        schema["required"] = list(part.document_required)
    if not schema.get("required"):
        schema.pop("required", None)
    if part.__doc__ and part.document_fields is not None:
        schema["description"] = " ".join(part.__doc__.split())
    return schema


class DocumentPartExtension(OpenApiSerializerExtension):
    target_class = DocumentPartSerializer
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        return get_class(self.target).component_name

    def map_serializer(self, auto_schema, direction):
        def ref(name: str) -> dict:
            return auto_schema.resolve_serializer(_OBJECT_DEFS[name], direction).ref

        return part_schema(get_class(self.target), ref)


EXAMPLE_DOCUMENT: dict[str, Any] = {
    "format": "provider-scorecards/questionnaire",
    "format_version": 1,
    "code": "mini-vetting",
    "name": "Mini vetting",
    "description": "Two sections; SOC weighs three times as much as reporting.",
    "version_label": "2026.1",
    "sections": [
        {
            "code": "soc",
            "title": "SOC operations",
            "weight": 3,
            "questions": [
                {
                    "code": "SOC-01",
                    "text": "Who operates the SOC that would monitor us?",
                    "guidance": "Own analysts score best; a white-labelled SOC is a red flag.",
                    "kind": "single_choice",
                    "weight": 2,
                    "options": [
                        {"value": "own", "label": "Our own SOC", "score": 1},
                        {"value": "third_party", "label": "A third-party platform", "score": 0.3},
                    ],
                    "tags": ["soc_ownership"],
                    "applies_to": ["mssp"],
                },
                {
                    "code": "SOC-02",
                    "text": "Are analysts on shift around the clock?",
                    "kind": "boolean",
                    "knockout": True,
                },
            ],
        },
        {
            "code": "rep",
            "title": "Reporting",
            "questions": [
                {"code": "REP-01", "text": "Attach a sample monthly report.", "kind": "evidence"},
                {
                    "code": "REP-02",
                    "text": "Committed response time to a critical incident, in minutes?",
                    "kind": "number",
                    "bands": [
                        {"max": 15, "score": 1},
                        {"max": 60, "score": 0.5},
                        {"max": None, "score": 0},
                    ],
                },
            ],
        },
    ],
}

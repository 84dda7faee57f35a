"""Serializer fields with the schemas generic OpenAPI tools need: named enums, JSON values.

drf-spectacular names an enum after the property that uses it, so one choice
set used under two property names would become two enums (and a schema
warning). ``NamedChoiceField`` carries the component name, so every use of a
choice set points at the same component and a generated client gets exactly one
type per vocabulary.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField whose enum is the component ``enum_name`` in the schema."""

    def __init__(self, enum_name: str, choices, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        choices = list(self.target.choices.items())
        return {
            "type": "string",
            "enum": [value for value, _ in choices],
            "description": build_choice_description_list(choices),
        }


class JsonValueFieldExtension(OpenApiSerializerFieldExtension):
    """A JSON field with no schema of its own holds any JSON value: documented as the
    ``JsonValue`` component rather than an empty schema, which generic tools render as
    a string. Its lists and objects hold any values without naming ``JsonValue`` again:
    generators of typed clients cannot resolve a component that refers to itself and
    drop every response that contains one. Fields that know their shape say it
    (``AnswerValueField``, ``extend_schema_field``); subclasses of JSONField are theirs
    to document."""

    target_class = serializers.JSONField

    def get_name(self):
        return "JsonValue"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "description": "Any JSON value.",
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "array", "items": {}},
                {"type": "object", "additionalProperties": True},
            ],
        }


# An answer, as its question's kind requires (docs/evaluations.md).
ANSWER_VALUE_SCHEMA = {
    "anyOf": [
        {"type": "boolean"},
        {"type": "number"},
        {"type": "string"},
        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
    ],
}


@extend_schema_field(ANSWER_VALUE_SCHEMA)
class AnswerValueField(serializers.JSONField):
    """An answer's value: boolean, option value(s), number, scale score, text or
    document ids."""

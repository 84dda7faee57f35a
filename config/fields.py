"""A choice field documented as a named enum component (one type per vocabulary).

drf-spectacular names an enum after the property that uses it, so one choice
set used under two property names would become two enums (and a schema
warning). ``NamedChoiceField`` carries the component name, so every use of a
choice set points at the same component and a generated client gets exactly one
type per vocabulary.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
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

"""The ``external_ids`` field of providers and the ``external_id`` filter.

On the wire a provider's external ids are an object, system -> id
(``{"hubspot": "123"}``). Writes are merge patches: a system given gets that id,
``null`` removes it, systems left out keep theirs (see
``providers.services.external_ids``).
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from providers import rules
from providers.api.fields import ecma

HELP = (
    'The provider\'s id in each connected system, e.g. `{"hubspot": "123"}`: system '
    f"names are lowercase slugs (`{ecma(rules.EXTERNAL_SYSTEM_PATTERN)}`, at most "
    f"{rules.MAX_EXTERNAL_SYSTEM_LENGTH} characters), ids visible text of at most "
    f"{rules.MAX_EXTERNAL_ID_LENGTH}; at most {rules.MAX_EXTERNAL_IDS} systems. An id names "
    "one provider of the organization per system (409 otherwise, naming the holder)."
)
WRITE_HELP = HELP + " Merged into the stored ids: `null` removes a system's id."


class ExternalIdsField(serializers.Field):
    """system -> id. Reads the prefetched ``external_ids`` rows of a provider."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value) -> dict[str, str]:
        return {row.system: row.external_id for row in value.all()}

    def to_internal_value(self, data) -> dict[str, str | None]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                ErrorDetail('Expected an object such as {"hubspot": "123"}.', code="not_a_dict")
            )
        violations = rules.external_id_violations(data)
        if violations:
            errors: dict[str, list] = {}
            for v in violations:
                key = v.field.removeprefix("external_ids").removeprefix(".") or "non_field_errors"
                errors.setdefault(key, []).append(ErrorDetail(v.message, code=v.code))
            raise serializers.ValidationError(errors)
        return dict(data)


class ExternalIdsFieldExtension(OpenApiSerializerFieldExtension):
    """Typed in the schema: string values when read, nullable ones when written."""

    target_class = ExternalIdsField

    def map_serializer_field(self, auto_schema, direction):
        value = {"type": "string", "minLength": 1, "maxLength": rules.MAX_EXTERNAL_ID_LENGTH}
        if direction == "request":
            value["nullable"] = True
        return {
            "type": "object",
            "additionalProperties": value,
            "maxProperties": rules.MAX_EXTERNAL_IDS,
            "description": WRITE_HELP if direction == "request" else HELP,
        }


EXTERNAL_ID_FILTER_PATTERN = r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*:.+\Z"


@extend_schema_field(
    {
        "type": "string",
        "pattern": ecma(EXTERNAL_ID_FILTER_PATTERN),
        "maxLength": rules.MAX_EXTERNAL_SYSTEM_LENGTH + 1 + rules.MAX_EXTERNAL_ID_LENGTH,
    }
)
class ExternalIdFilter(django_filters.Filter):
    """``?external_id=<system>:<id>``: the provider with that id in that system (the
    id is everything after the first colon, so it may hold colons itself)."""

    field_class = forms.CharField

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "The provider with this id in a connected system, written `<system>:<id>` "
            "(e.g. `hubspot:123`).",
        )
        kwargs.setdefault(
            "validators",
            [RegexValidator(EXTERNAL_ID_FILTER_PATTERN, message="Write <system>:<id>.")],
        )
        kwargs.setdefault(
            "max_length", rules.MAX_EXTERNAL_SYSTEM_LENGTH + 1 + rules.MAX_EXTERNAL_ID_LENGTH
        )
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        system, external_id = value.split(":", 1)
        # One filter() call: both conditions on the same joined row.
        return qs.filter(external_ids__system=system, external_ids__external_id=external_id)

"""Strict JSON typing for every serializer of the API.

DRF coerces loosely (``0`` becomes ``"0"`` for a string field, ``"yes"`` a
boolean) and drops keys it does not know. Integrations deserve the types the
schema promises, so a value of the wrong JSON type is a 400 naming the field,
and so is a required text of invisible characters only (``config.text.is_blank``)
and a key the serializer does not have (a typo would otherwise be silently
lost). Read-only fields are known keys: a client that sends back what it read
gets them ignored, not refused. Every serializer in the project derives from
StrictSerializer or StrictModelSerializer (a test checks it).
"""

from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers

from config.text import is_blank

_NUMBER = (int, float)


def json_types_for(field) -> tuple[type, ...] | None:
    """The JSON types a field accepts, or None for anything (JSON blobs)."""
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.MultipleChoiceField):
        return (list,)
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(key) for key in field.choices}
        return tuple(kinds) if kinds else None
    if isinstance(
        field,
        serializers.CharField
        | serializers.UUIDField
        | serializers.DateTimeField
        | serializers.DateField
        | serializers.SlugRelatedField,
    ):
        return (str,)
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return (int,)
    if isinstance(field, serializers.FloatField):
        return _NUMBER
    if isinstance(field, serializers.DecimalField):
        return (*_NUMBER, str)
    if isinstance(
        field, serializers.ListField | serializers.ListSerializer | serializers.ManyRelatedField
    ):
        return (list,)
    if isinstance(field, serializers.DictField | serializers.Serializer):
        return (dict,)
    return None


_NAMES = {
    bool: "boolean",
    str: "string",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
}


def _type_error(value, expected) -> list | None:
    wrong_bool = isinstance(value, bool) and bool not in expected
    if wrong_bool or not isinstance(value, expected):
        names = " or ".join(sorted({_NAMES[kind] for kind in expected}))
        return [serializers.ErrorDetail(f"Expected a JSON {names}.", code="invalid_type")]
    return None


def _item_errors(field, items: list) -> dict:
    """Type errors of a list's items, keyed by index (``tags[0]`` in problems)."""
    if isinstance(field, serializers.ListField):
        child = field.child
    elif isinstance(field, serializers.ManyRelatedField):
        child = field.child_relation
    else:
        return {}
    expected = json_types_for(child)
    if expected is None:
        return {}
    errors = {}
    for index, item in enumerate(items):
        error = item is not None and _type_error(item, expected)
        if error:
            errors[index] = error
    return errors


def _blank_refused(field, value) -> bool:
    """A required text made of invisible characters only (``config.text.is_blank``:
    DRF's own check only trims what ``str.strip`` does, not U+200B or U+FEFF)."""
    return (
        isinstance(field, serializers.CharField)
        and not field.allow_blank
        and isinstance(value, str)
        and is_blank(value)
    )


def type_errors(fields, data) -> dict:
    errors = {}
    if not isinstance(data, Mapping):
        return errors
    for field in fields.values():
        if field.read_only or field.field_name not in data:
            continue
        value = data[field.field_name]
        expected = json_types_for(field)
        if value is None or expected is None:
            continue
        error = _type_error(value, expected)
        if error is None and isinstance(value, list):
            error = _item_errors(field, value) or None
        if error is None and _blank_refused(field, value):
            error = [serializers.ErrorDetail(field.error_messages["blank"], code="blank")]
        if error:
            errors[field.field_name] = error
    return errors


# Sent by Django's HTML forms (the browsable API's upload form), never a field.
FORM_ONLY_KEYS = frozenset({"csrfmiddlewaretoken"})


def printable_key(key) -> str:
    """A key as it can appear in an error path (lone surrogates escaped)."""
    return str(key).encode("utf-8", "backslashreplace").decode("utf-8")


def unknown_errors(known, data) -> dict:
    """``{key: [unknown_field]}`` for each key of ``data`` not in ``known``."""
    if not isinstance(data, Mapping):
        return {}
    return {
        printable_key(key): [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
        for key in data
        if key not in known and not (isinstance(data, QueryDict) and key in FORM_ONLY_KEYS)
    }


class StrictTypesMixin:
    def to_internal_value(self, data):
        errors = {**unknown_errors(self.fields, data), **type_errors(self.fields, data)}
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictTypesMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictTypesMixin, serializers.ModelSerializer):
    pass

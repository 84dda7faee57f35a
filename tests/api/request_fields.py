"""What the API's operations accept, as the OpenAPI schema documents it.

drf-spectacular walks the URL conf exactly as for ``/api/schema/``, so request
overrides (``extend_schema(request=...)``), list bodies, JSON-Schema documents
and multipart forms all count. For every POST, PUT and PATCH this yields the
fields that could name another object: every related field of the request
serializer (with its model), and every integer or free-form JSON leaf of the
documented body (an id may hide in either). For reading operations it yields
the query filters that look an id up in a model.
"""

from dataclasses import dataclass
from functools import cache

from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import get_override
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

WRITING_METHODS = ("POST", "PUT", "PATCH")
# A schema object with nothing but these keys accepts any JSON value. (Rule
# branches such as ``{"not": {...}}`` constrain a property typed elsewhere.)
ANNOTATIONS = frozenset({"description", "nullable", "title", "default", "example"})
# The component of JSON fields without a schema of their own (config.fields).
JSON_VALUE = "JsonValue"


@dataclass(frozen=True)
class RequestField:
    operation: str  # the operation id, e.g. "evaluations_create"
    method: str
    url: str  # e.g. "/api/v1/evaluations/{evaluation_pk}/answers/"
    path: str  # e.g. "questionnaire_version", "[].candidate", "profile.employee_count"
    model: type | None  # what a related field points to; None for integers and JSON

    @property
    def name(self) -> str:
        """The last key of the path, without its list (``[]``) or map (``{}``) mark."""
        return self.path.rsplit(".", 1)[-1].removesuffix("[]").removesuffix("{}")

    @property
    def error_field(self) -> str:
        """The problem-details path of this field in the first item of a list body."""
        return self.path.replace("[]", "[0]")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _related_fields(field, path: str):
    annotation = get_override(field, "field")
    if isinstance(annotation, serializers.BaseSerializer):
        field = annotation  # a field documented as a serializer is walked as one
    if isinstance(field, serializers.ListSerializer):
        yield from _related_fields(field.child, path + "[]")
    elif isinstance(field, serializers.Serializer):
        for name, child in field.fields.items():
            if not child.read_only:
                yield from _related_fields(child, _join(path, name))
    elif isinstance(field, serializers.ListField):
        yield from _related_fields(field.child, path + "[]")
    elif isinstance(field, serializers.ManyRelatedField):
        yield from _related_fields(field.child_relation, path + "[]")
    elif isinstance(field, serializers.RelatedField):
        yield path, field.queryset.model


def _request_serializers(requested):
    """The serializers of one operation's body (one per media type, or none)."""
    parts = requested.values() if isinstance(requested, dict) else [requested]
    for part in parts:
        if isinstance(part, type) and issubclass(part, serializers.BaseSerializer):
            yield part()
        elif isinstance(part, serializers.BaseSerializer):
            yield part


def _schema_leaves(node: dict, components: dict, path: str, seen=frozenset()):
    """Paths of the integer and free-form leaves of an OpenAPI schema object."""
    if node.get("readOnly"):  # sent back from a read, ignored: it names nothing
        return
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name == JSON_VALUE:  # any JSON value: an id may hide in it
            yield path
            return
        if name not in seen:
            yield from _schema_leaves(components[name], components, path, seen | {name})
        return
    for combined in ("allOf", "oneOf", "anyOf"):
        for part in node.get(combined, []):
            yield from _schema_leaves(part, components, path, seen)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, child in node.get("properties", {}).items():
            yield from _schema_leaves(child, components, _join(path, name), seen)
        if isinstance(node.get("additionalProperties"), dict):
            yield from _schema_leaves(node["additionalProperties"], components, path + "{}", seen)
    elif kind == "array":
        yield from _schema_leaves(node.get("items", {}), components, path + "[]", seen)
    elif kind == "integer" or (kind is None and set(node) <= ANNOTATIONS):
        yield path


@cache
def _generated() -> tuple[SchemaGenerator, dict]:
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


def _operations(methods):
    """(operation id, method, path, view) of every documented operation with one of
    ``methods``."""
    generator, schema = _generated()
    for path, _, method, callback in generator.endpoints:
        if method not in methods:
            continue
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:  # not part of the API (the schema and docs pages)
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        yield operation["operationId"], method, path, view


@cache
def request_fields() -> tuple[RequestField, ...]:
    """The body fields of writing operations that could name another object."""
    _, schema = _generated()
    components = schema["components"]["schemas"]
    found: dict[tuple[str, str], RequestField] = {}
    for operation, method, path, view in _operations(WRITING_METHODS):
        for serializer in _request_serializers(view.schema.get_request_serializer()):
            for field_path, model in _related_fields(serializer, ""):
                found[operation, field_path] = RequestField(
                    operation, method, path, field_path, model
                )
        body = schema["paths"][path][method.lower()].get("requestBody", {})
        for media in body.get("content", {}).values():
            for leaf in _schema_leaves(media["schema"], components, ""):
                found.setdefault(
                    (operation, leaf), RequestField(operation, method, path, leaf, None)
                )
    return tuple(found.values())


@cache
def model_filters() -> tuple[RequestField, ...]:
    """Query parameters of reading operations that look their value up in a model."""
    found = []
    for operation, method, path, view in _operations(("GET",)):
        declared = getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)
        for backend in getattr(view, "filter_backends", []):
            if not (declared and issubclass(backend, DjangoFilterBackend)):
                continue
            queryset = view.queryset if view.queryset is not None else view.get_queryset()
            filterset = backend().get_filterset_class(view, queryset)
            for name, query_filter in getattr(filterset, "base_filters", {}).items():
                if isinstance(query_filter, ModelChoiceFilter | ModelMultipleChoiceFilter):
                    model = query_filter.queryset.model
                    found.append(RequestField(operation, method, path, name, model))
    return tuple(found)

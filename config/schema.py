"""drf-spectacular customisation: explicit operation ids and documented errors.

Every operation gets an id built from the view's ``operation_id_prefix`` and the
action, and the problem-details responses it can produce, so generated clients
need no hand edits.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import (
    build_basic_type,
    build_parameter_type,
    force_instance,
    get_doc,
    get_view_model,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.fields import empty

# fields registers the JSON value extension every JSONField without a schema uses.
from config import fields, schema_summaries  # noqa: F401
from config.exceptions import PROBLEM_CONTENT_TYPE
from config.serializers import StrictSerializer


class ProblemErrorItemSerializer(StrictSerializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="Path of the offending input, "
        "e.g. `sections[2].questions[0].code`; null for the whole body.",
    )
    code = serializers.CharField(help_text="Machine-readable error code.")
    message = serializers.CharField()


class ProblemSerializer(StrictSerializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Machine-readable problem code.")
    instance = serializers.CharField(required=False)
    errors = ProblemErrorItemSerializer(many=True, required=False)

    class Meta:
        ref_name = "Problem"


_ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `errors` lists every problem with its path.",
    "401": "Missing or invalid credentials.",
    "403": "Authenticated but not allowed.",
    "404": "Not found (also for other organizations' objects).",
    "409": "Conflicts with the resource's current state.",
    "410": "Gone: it existed, and cannot be used any more.",
    "412": "The If-Match precondition failed.",
    "413": "Request body too large.",
    "415": "Unsupported media type.",
    "428": "This update requires an If-Match header.",
    "429": "Too many requests; retry after the Retry-After header.",
}


def _never_null_in_answers(serializer) -> list[str]:
    """Writable fields that accept null (as "unset" in requests) but read a model
    column that cannot be null, of a serializer that represents it as it is."""
    if not isinstance(serializer, serializers.ModelSerializer):
        return []
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        return []  # it may write null itself (hidden personal data)
    model = serializer.Meta.model
    names = []
    for name, field in serializer.fields.items():
        source = field.source or name
        if field.read_only or not getattr(field, "allow_null", False) or "." in source:
            continue
        try:
            column = model._meta.get_field(source)
        except FieldDoesNotExist:
            continue
        if not column.null:
            names.append(name)
    return names


class AutoSchema(SpectacularAutoSchema):
    def get_summary(self):
        explicit = super().get_summary()
        if explicit:
            return explicit
        action = getattr(self.view, "action", None)
        handler = getattr(self.view, action or self.method.lower(), None)
        return schema_summaries.summary(
            action, self.method, self._names(), self.view.get_view_name(), get_doc(handler)
        )

    def _names(self):
        model = get_view_model(self.view, emit_warnings=False)
        if model is None:
            return None
        parent = getattr(self.view, "parent_model", None)
        return schema_summaries.Names(
            singular=str(model._meta.verbose_name),
            plural=str(model._meta.verbose_name_plural),
            parent=str(parent._meta.verbose_name) if parent is not None else "",
        )

    def _map_basic_serializer(self, serializer, direction):
        """In responses, every property an answer always carries is ``required``.

        A serializer writes every field it has (null where there is no value),
        whether or not a request must send it, with one exception: a plain
        serializer's writable field that is not required and has no default is left
        out when the data it reads (a dict) lacks it. Those stay optional, unless the
        serializer's ``Meta.complete_answers`` says its answers always hold them all;
        model serializers read attributes, which are always there.
        """
        schema = super()._map_basic_serializer(serializer, direction)
        if direction != "response" or "properties" not in schema:
            return schema
        serializer = force_instance(serializer)
        complete = isinstance(serializer, serializers.ModelSerializer) or getattr(
            getattr(serializer, "Meta", None), "complete_answers", False
        )
        optional = {
            name
            for name, field in serializer.fields.items()
            if not complete
            and not field.read_only
            and not field.required
            and field.default is empty
        }
        required = [name for name in schema["properties"] if name not in optional]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        for name in _never_null_in_answers(serializer):
            schema["properties"].get(name, {}).pop("nullable", None)
        return schema

    def get_operation_id(self):
        prefix = getattr(self.view, "operation_id_prefix", None)
        action = getattr(self.view, "action", None)
        if prefix and action:
            return f"{prefix}_{action}"
        if prefix:
            return f"{prefix}_{self.method.lower()}"
        return super().get_operation_id()

    def _resolve_path_parameters(self, variables):
        # The parent id of a nested route (e.g. `evaluation_pk`) is its parent's
        # integer primary key; the child model may reach the parent only through
        # another relation, which drf-spectacular cannot follow on its own.
        parent_kwarg = getattr(self.view, "parent_kwarg", None)
        own = [v for v in variables if v != parent_kwarg]
        parameters = super()._resolve_path_parameters(own)
        if parent_kwarg in variables:
            parameters.insert(
                0,
                build_parameter_type(
                    name=parent_kwarg,
                    schema=build_basic_type(OpenApiTypes.INT),
                    location=OpenApiParameter.PATH,
                    description=f"Id of the parent {self.view.parent_model._meta.verbose_name}.",
                ),
            )
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "409", "413", "415"]
        elif self.method == "GET":
            codes.append("400")  # bad filters, page sizes
        if (
            "{" in self.path
            or self.method in ("PUT", "PATCH", "DELETE")
            or (
                self.method == "GET" and self._is_list_view()  # a page past the end
            )
        ):
            codes.append("404")
        codes += [str(c) for c in getattr(self.view, "extra_error_codes", ())]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.view and getattr(self.view, "schema_without_errors", False):
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            entry = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            entry["description"] = _ERROR_DESCRIPTIONS[code]
            responses[code] = entry
        if self.method == "GET" and self._is_list_view():
            # Refused by the HTTP server before the API sees it, in its own words:
            # 100 `id` values (the filter's limit) fit well within the line.
            responses["414"] = {
                "description": "URI Too Long: the request line is over the HTTP server's "
                "limit (8190 bytes).",
                "content": {"text/html": {"schema": {"type": "string"}}},
            }
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token: `Authorization: Bearer <token>`.",
        }

"""Conditional requests: ``ETag`` + ``If-None-Match`` on reads, ``If-Match`` on writes.

Add :class:`ConditionalMixin` to a viewset (before the DRF base classes):

- ``GET``/``HEAD`` of one object answers with a **strong** ``ETag``: a hash of
  its JSON representation (the same data gives the same tag, any change to the
  representation a new one). ``If-None-Match`` with a matching tag (weak
  comparison, ``*`` included) answers ``304 Not Modified`` without a body.
- ``PATCH`` (``if_match_required_actions``, default ``partial_update``) needs
  ``If-Match`` (``428 Precondition Required`` without it); ``DELETE`` honours it
  when sent. A tag that does not match the current representation is a
  ``412 Precondition Failed``. The check runs when the handler first calls
  ``get_object()`` (after the view's own 404 checks, before the body is
  validated); it and the write share one transaction with the row locked
  (``SELECT ... FOR UPDATE``), so of two writers sending the same tag exactly
  one wins and the other gets a 412. Successful ``PATCH`` responses carry the
  new ``ETag``.

The tag covers what ``GET`` returns (``etag_data``: the retrieve serializer),
so a view's ``PATCH`` response must be that same representation. The mixin
adds no routes; it documents the headers and the 304/412/428 responses of the
actions the viewset has.
"""

import hashlib
import json

from django.db import transaction
from django.utils.http import parse_etags
from drf_spectacular.drainage import isolate_view_method
from drf_spectacular.plumbing import get_class
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from config.exceptions import PROBLEM_CONTENT_TYPE
from config.schema import ProblemSerializer

WRITE_METHODS = ("PATCH", "DELETE")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The resource changed since you read it (If-Match does not match its ETag); "
        "read it again and reapply your change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag from your last read of this resource."
    default_code = "precondition_required"


def etag_for(data) -> str:
    """Strong entity tag of a representation: SHA-256 of its canonical JSON."""
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return f'"{hashlib.sha256(canonical.encode()).hexdigest()[:40]}"'


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def none_match(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    tags = parse_etags(header)
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def if_match(header: str, etag: str) -> bool:
    """If-Match uses the strong comparison: a weak tag never matches (RFC 9110 13.1.1)."""
    tags = parse_etags(header)
    return "*" in tags or etag in {tag for tag in tags if not tag.startswith("W/")}


# ------------------------------------------------------------------ schema


def document_action(cls, name: str, tag: str, *, parameters=(), problems=(), responses=None):
    """Document extra parameters and responses of one action of ``cls`` (once per tag).

    ``problems``: ``(code, description)`` answered with problem details;
    ``responses``: ``{code: response object}`` added verbatim. Stacks with
    ``extend_schema`` annotations applied before or after.
    """
    method = getattr(cls, name, None)
    if method is None or tag in getattr(method, "_documented_tags", ()):
        return
    func = isolate_view_method(cls, name)
    base = get_class(getattr(func, "kwargs", {}).get("schema") or api_settings.DEFAULT_SCHEMA_CLASS)
    extra_parameters = list(parameters)
    extra_problems = list(problems)
    extra_responses = dict(responses or {})

    class DocumentedSchema(base):
        def get_override_parameters(self):
            return [*super().get_override_parameters(), *extra_parameters]

        def _get_response_bodies(self, direction="response"):
            bodies = super()._get_response_bodies(direction)
            for code, description in extra_problems:
                if code not in bodies:
                    entry = self._get_response_for_code(
                        ProblemSerializer,
                        code,
                        media_types=[PROBLEM_CONTENT_TYPE],
                        direction=direction,
                    )
                    entry["description"] = description
                    bodies[code] = entry
            for code, entry in extra_responses.items():
                bodies.setdefault(code, dict(entry))
            return bodies

    DocumentedSchema.__name__ = f"{base.__name__}With{tag.title()}"
    if not hasattr(func, "kwargs"):
        func.kwargs = {}
    func.kwargs["schema"] = DocumentedSchema
    func._documented_tags = (*getattr(func, "_documented_tags", ()), tag)


ETAG_HEADER = {
    "schema": {"type": "string"},
    "description": "Strong entity tag of the representation; send it back in "
    "`If-None-Match` (reads) or `If-Match` (writes).",
}


def _if_match(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description="The `ETag` of your last read: the change applies only if the resource "
        "is unchanged since (else 412)." + (" Required (428 without it)." if required else ""),
    )


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETags you hold; a match answers 304 Not Modified without a body.",
)
ETAG_RESPONSE = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description=ETAG_HEADER["description"],
)


# ------------------------------------------------------------------ mixin


class ConditionalMixin:
    if_match_required_actions: tuple[str, ...] = ("partial_update",)
    conditional_write_actions: tuple[str, ...] = ("partial_update", "destroy")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        document_action(
            cls,
            "retrieve",
            "conditional",
            parameters=[IF_NONE_MATCH, ETAG_RESPONSE],
            responses={
                "304": {
                    "description": "Not modified: your `If-None-Match` matches the current ETag.",
                    "headers": {"ETag": ETAG_HEADER},
                }
            },
        )
        for name in cls.conditional_write_actions:
            required = name in cls.if_match_required_actions
            problems = [("412", "The If-Match precondition failed: the resource changed.")]
            if required:
                problems.append(("428", "This change requires an If-Match header."))
            parameters = [_if_match(required)]
            if name != "destroy":
                parameters.append(ETAG_RESPONSE)
            document_action(cls, name, "conditional", parameters=parameters, problems=problems)

    def etag_data(self, instance):
        """The representation the ETag covers: what ``GET`` of the object returns."""
        previous = self.action
        self.action = "retrieve"
        try:
            return self.get_serializer(instance).data
        finally:
            self.action = previous

    def _is_conditional_write(self, request) -> bool:
        return request.method in WRITE_METHODS and self.action in self.conditional_write_actions

    def dispatch(self, request, *args, **kwargs):
        if request.method not in WRITE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        # The precondition check and the write share one transaction (and row lock).
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        instance = super().get_object()
        if self._is_conditional_write(self.request) and not getattr(
            self, "_preconditions_checked", False
        ):
            # Checked when the handler first loads the object: after the view's
            # own checks (404 for other organizations' objects come first) and
            # before the request body is validated or anything is written. A body
            # that does not even parse is a 400 first, whatever If-Match says: the
            # request is malformed, not stale.
            self.request.data  # noqa: B018 -- parses the body (ParseError: 400)
            self._preconditions_checked = True
            instance = self.check_preconditions(instance)
        return instance

    def check_preconditions(self, instance):
        """428/412 unless If-Match matches; returns the object, locked and current."""
        header = (self.request.headers.get("If-Match") or "").strip()
        if not header:  # an empty If-Match names no tag: the same as none
            if self.action in self.if_match_required_actions:
                raise PreconditionRequired()
            return instance
        model = type(instance)
        # Wait for concurrent writers, then compare against what they committed.
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
        current = self.get_object()
        if not if_match(header, etag_for(self.etag_data(current))):
            raise PreconditionFailed()
        return current

    def finalize_response(self, request, response, *args, **kwargs):
        response = self._conditional_response(request, response)
        return super().finalize_response(request, response, *args, **kwargs)

    def _conditional_response(self, request, response):
        if request.method in WRITE_METHODS and response.status_code >= 400:
            # Nothing of a refused write may stay (the view's transaction is ours).
            transaction.set_rollback(True)
            return response
        if not isinstance(response, Response) or not isinstance(response.data, dict):
            return response
        if not 200 <= response.status_code < 300:
            return response
        if self.action == "retrieve" and request.method in ("GET", "HEAD"):
            etag = etag_for(response.data)
            header = request.headers.get("If-None-Match")
            if header is not None and none_match(header, etag):
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
            response["ETag"] = etag
        elif self.action in self.conditional_write_actions and request.method == "PATCH":
            response["ETag"] = etag_for(response.data)
        return response

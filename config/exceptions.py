"""RFC 9457 problem details for every error the API returns.

DRF exceptions keep their status; validation errors are flattened into a list
of ``{field, code, message}`` with paths like ``sections[2].questions[0].code``;
anything unexpected is logged and answered with a generic 500 that leaks
nothing about the internals.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpResponseForbidden, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this endpoint accepts."
    default_code = "request_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This existed, and cannot be used any more."
    default_code = "gone"


class ConcurrentChange(Conflict):
    default_detail = (
        "Another request changed the same data at the same moment. Read it again and retry."
    )
    default_code = "concurrent_change"


# PostgreSQL's unique_violation; SQLite says so in the message only.
UNIQUE_VIOLATION_SQLSTATE = "23505"


def is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION_SQLSTATE:
        return True
    return "UNIQUE constraint failed" in str(exc)


def problem(status_code: int, code: str, detail: str, errors=None, instance: str = "") -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def flatten_errors(detail, path: str = "") -> list[dict]:
    """Turn DRF's nested error structure into a flat list with readable paths."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                child = path
            elif isinstance(key, int):  # list items (ListField errors are keyed by index)
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            items.extend(flatten_errors(value, child))
        return items
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [_error_item(item, path) for item in detail]
        items = []
        for index, value in enumerate(detail):
            if value:  # DRF leaves {} for list items that were fine
                items.extend(flatten_errors(value, f"{path}[{index}]"))
        return items
    return [_error_item(detail, path)]


def _error_item(error, path: str) -> dict:
    return {
        "field": path or None,
        "code": getattr(error, "code", None) or "invalid",
        "message": str(error),
    }


def problem_details_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, IntegrityError) and is_unique_violation(exc):
        # Checks before a write cannot see a concurrent transaction's insert; the
        # database's unique constraint is the last word, and it means "retry",
        # not "server error". Logged, so a missing check still shows.
        logger.warning("Unique constraint raced in %s: %s", context.get("request"), exc)
        exc = ConcurrentChange()

    response = exception_handler(exc, context)
    request = context.get("request")
    instance = request.path if request is not None else ""
    if response is None:
        logger.exception("Unhandled error in %s", instance, exc_info=exc)
        return Response(
            problem(
                500, "server_error", "The server could not complete the request.", None, instance
            ),
            status=500,
            content_type=PROBLEM_CONTENT_TYPE,
        )

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = problem(
            response.status_code,
            "validation_error",
            "The request contains invalid data.",
            errors,
            instance,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = "error"
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else exc.default_code
        errors = None
        if isinstance(detail, dict | list):
            errors = flatten_errors(detail)
            detail = errors[0]["message"] if errors else HTTPStatus(response.status_code).phrase
        body = problem(response.status_code, code, str(detail), errors, instance)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def json_problem_response(status_code: int, code: str, detail: str, path: str = ""):
    """A problem response for code paths outside DRF (middleware, URL resolver)."""
    return JsonResponse(
        problem(status_code, code, detail, None, path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def handler404(request, exception=None):
    return json_problem_response(
        404, "not_found", "No resource lives at this address.", request.path
    )


def handler500(request):
    return json_problem_response(
        500, "server_error", "The server could not complete the request.", request.path
    )


def handler400(request, exception=None):
    return json_problem_response(
        400, "bad_request", "The request could not be understood.", request.path
    )


def handler403(request, exception=None):
    return json_problem_response(403, "permission_denied", "You may not do this.", request.path)


CSRF_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Form expired</title>'
    "</head><body><main><h1>This form expired</h1><p>Go back, reload the page and send the "
    "form again.</p></main></body></html>"
)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a session-authenticated write without a valid CSRF token.

    The API answers a problem; the server-rendered pages (sign-in, invitations)
    a page a person can act on."""
    if not request.path.startswith("/api/"):
        return HttpResponseForbidden(CSRF_PAGE)
    return json_problem_response(403, "csrf_failed", "CSRF verification failed.", request.path)

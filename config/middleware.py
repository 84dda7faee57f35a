"""Request handling before any view runs: body limits and the API's trailing slashes."""

from django.conf import settings
from django.urls import Resolver404, resolve

from config.exceptions import json_problem_response


class RequestBodyLimitMiddleware:
    """Refuse bodies over the configured size with 413, using the declared length.

    Multipart uploads get the (larger) upload limit; everything else the JSON
    body limit. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only applies when
    ``request.body`` is read, which DRF's stream parsing does not always do.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_problem_response(
                400, "bad_request", "Invalid Content-Length header.", request.path
            )
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/form-data"):
            limit = settings.MAX_UPLOAD_BYTES + 64 * 1024  # room for the multipart framing
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return json_problem_response(
                413, "request_too_large", f"The request body exceeds {limit} bytes.", request.path
            )
        return self.get_response(request)


# URL name of the catch-all that answers unknown API addresses (config/urls.py).
API_NOT_FOUND = "api-not-found"


def _is_route(path: str, urlconf) -> bool:
    try:
        return resolve(path, urlconf).url_name != API_NOT_FOUND
    except Resolver404:
        return False


class ApiTrailingSlashMiddleware:
    """Every API address answers with and without its trailing slash, for every method.

    The schema documents each route in one form (with the slash); the other form is
    served by the same view rather than redirected: a redirect of a POST, PATCH or
    DELETE makes most clients drop the body or change the method, and generic tools
    build addresses both ways. Only addresses that do not resolve are retried, so no
    route ever answers for another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/api/") and len(path) > len("/api/"):
            urlconf = getattr(request, "urlconf", None)
            if not _is_route(path, urlconf):
                other = path[:-1] if path.endswith("/") else f"{path}/"
                if _is_route(other, urlconf):
                    script_name = request.path[: len(request.path) - len(path)]
                    request.path_info = other
                    request.path = script_name + other
        return self.get_response(request)

"""Request limits applied before any view reads the body."""

from django.conf import settings

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

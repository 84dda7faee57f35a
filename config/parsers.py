"""The request parsers every endpoint uses: DRF's, made safe against hostile input.

Each refuses, before any serializer or service sees the data, what no field
may hold (``config.text``): NUL and lone surrogates in any string, keys and
nested JSON blobs included, and numbers out of range. The refusal is a 400
naming every offending path; the offending text is never echoed back (a lone
surrogate cannot even be written into the response).
"""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError

from config.text import UNSTORABLE_MESSAGE, InputProblem, has_unstorable, input_problems


def problem_path(parts) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def refuse(problems: list[InputProblem]) -> None:
    """Raise a 400 naming every problem's path, if there are any."""
    if not problems:
        return
    detail: dict[str, list] = {}
    for found in problems:
        key = problem_path(found.path) or "non_field_errors"
        detail.setdefault(key, []).append(ErrorDetail(found.message, code=found.code))
    raise ValidationError(detail)


def check_input(data):
    """``data`` when every string and number in it is acceptable; else a 400."""
    refuse(input_problems(data))
    return data


def check_text(text: str) -> str:
    """Text bodies (CSV) the same way: no NUL or lone surrogate anywhere."""
    if has_unstorable(text):
        raise ParseError(UNSTORABLE_MESSAGE, code="invalid_character")
    return text


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded in size before parsing and in depth while parsing
    (a body nested deeper than Python's recursion limit is a 400, not a 500), with
    every value checked by ``check_input``."""

    def parse(self, stream, media_type=None, parser_context=None):
        # The middleware refuses a declared Content-Length past the limit; this
        # bounds what is read whatever the headers say.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestDataTooBig(f"The request body exceeds {limit} bytes.")  # a 413
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        return check_input(data)


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; form fields are checked like JSON strings (file
    names are sanitised where files are stored)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_input(dict(parsed.data.lists()))
        return parsed

"""Parsers, renderers and content negotiation for questionnaire documents.

Import reads JSON or YAML through ``load_document`` (bounded size and depth, no
duplicate keys, YAML's safe loader without aliases); export writes
``dump_document`` text as JSON or YAML, chosen by ``?format=`` or ``Accept``.
"""

from __future__ import annotations

import json

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from config.exceptions import RequestTooLarge
from config.parsers import check_input
from questionnaires.document import MAX_BYTES, DocumentError, load_document

YAML_MEDIA_TYPES = ("application/yaml", "text/yaml")


class DocumentJSONParser(BaseParser):
    """JSON, read like a document file: a mapping, no duplicate keys, bounded size,
    and checked like every request body (``config.parsers.check_input``)."""

    media_type = "application/json"
    document_format = "json"

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise RequestTooLarge(f"A questionnaire document may have at most {MAX_BYTES} bytes.")
        try:
            document = load_document(body, self.document_format)
        except DocumentError as exc:
            if exc.code == "too_large":
                raise RequestTooLarge(str(exc)) from None
            raise ParseError(str(exc), code=exc.code) from None
        return check_input(document)


class DocumentYAMLParser(DocumentJSONParser):
    media_type = "application/yaml"
    document_format = "yaml"


class DocumentTextYAMLParser(DocumentYAMLParser):
    media_type = "text/yaml"


DOCUMENT_PARSERS = [DocumentJSONParser, DocumentYAMLParser, DocumentTextYAMLParser]


class DocumentJSONRenderer(BaseRenderer):
    """Passes document text through; renders anything else (problems) as JSON."""

    media_type = "application/json"
    format = "json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, str):
            return data.encode("utf-8")
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class DocumentYAMLRenderer(DocumentJSONRenderer):
    media_type = "application/yaml"
    format = "yaml"


class ExportNegotiation(DefaultContentNegotiation):
    """``?format=json|yaml`` decides (and must be one of those); without it, ``Accept``."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if requested is None:
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == requested:
                return renderer, renderer.media_type
        names = ", ".join(r.format for r in renderers)
        raise ValidationError({"format": [f"Must be one of: {names}."]})

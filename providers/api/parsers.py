"""Request parsers the provider endpoints add to the default JSON one."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from config.parsers import check_text


class CsvTextParser(BaseParser):
    """``text/csv`` bodies, handed to the view as text (UTF-8, no NUL or lone surrogate)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ParseError("The CSV must be UTF-8 encoded.") from None
        return check_text(text)

"""The CSV form of a provider import, turned into the same rows as the JSON form. Pure.

One header row naming columns from :data:`COLUMNS` (any order, any subset that
includes ``name`` or ``slug``); list columns hold ``;``-separated values;
``external_ids`` holds ``;``-separated ``system:id`` pairs (``hubspot:123;sf:9``,
merged like the JSON object: an empty cell changes nothing); an
empty cell of a nullable choice column means null (not stated); a missing
trailing cell counts as empty. Blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from config.text import BLANK_CLASS

LIST_SEPARATOR = ";"
COLUMNS = (
    "name",
    "slug",
    "website",
    "headquarters",
    "employee_band",
    "service_models",
    "soc_model",
    "third_party_soc_name",
    "delivery",
    "industries",
    "frameworks",
    "certifications",
    "tags",
    "notes",
    "external_ids",
)
LIST_COLUMNS = frozenset({"service_models", "industries", "frameworks", "certifications", "tags"})
NULLABLE_COLUMNS = frozenset({"employee_band", "soc_model", "delivery"})


# The simplest CSV body, as the OpenAPI schema describes it: a `name` column and
# 1-100 rows of names without commas or quotes. Every CSV of this shape imports
# cleanly; the full format (other columns, quoting, up to 1000 rows) is in
# docs/providers.md. (Longer repetitions make the pattern unusable for
# property-based testing tools.)
_NAME_CELL = rf'[^,"\r\n\x00]{{0,99}}[^,"\x00{BLANK_CLASS}][^,"\r\n\x00]{{0,99}}'
SIMPLE_CSV_PATTERN = rf"^name\r?\n(?:{_NAME_CELL}\r?\n){{0,99}}{_NAME_CELL}(?:\r?\n)?$"


class CsvFormatError(ValueError):
    """The CSV as a whole is unusable (encoding, header)."""


@dataclass
class ImportRow:
    """One row to import: the data as the JSON form would carry it, and problems
    found before validation (e.g. too many cells)."""

    data: Any
    errors: list[dict] = field(default_factory=list)


def _external_ids(text: str) -> dict[str, str]:
    """``system:id`` pairs; the id is everything after the first colon."""
    pairs = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    if not all(":" in pair for pair in pairs):
        raise ValueError("Write external ids as system:id pairs separated by ';'.")
    return {system.strip(): value.strip() for system, value in (p.split(":", 1) for p in pairs)}


def _cell(column: str, raw: str | None):
    text = (raw or "").strip()
    if column == "external_ids":
        return _external_ids(text)
    if column in LIST_COLUMNS:
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    if column in NULLABLE_COLUMNS:
        return text or None
    return text


def parse_csv(content: bytes | str) -> list[ImportRow]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CsvFormatError("The CSV must be UTF-8 encoded.") from None
    content = content.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise CsvFormatError("The CSV is empty: it needs a header row.")
        columns = [name.strip().lower() for name in header]
        unknown = [name for name in columns if name not in COLUMNS]
        if unknown:
            raise CsvFormatError(
                f"Unknown columns: {', '.join(repr(n) for n in unknown)}. "
                f"Allowed: {', '.join(COLUMNS)}."
            )
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        if repeated:
            raise CsvFormatError(f"Columns given twice: {', '.join(repeated)}.")
        if "name" not in columns and "slug" not in columns:
            raise CsvFormatError("The CSV needs a 'name' or a 'slug' column.")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row = ImportRow({})
            if len(cells) > len(columns):
                row.errors.append(
                    {
                        "field": None,
                        "code": "too_many_cells",
                        "message": f"This row has {len(cells)} cells; the header names "
                        f"{len(columns)} columns.",
                    }
                )
            for index, column in enumerate(columns):
                try:
                    row.data[column] = _cell(column, cells[index] if index < len(cells) else None)
                except ValueError as exc:
                    row.errors.append({"field": column, "code": "invalid", "message": str(exc)})
            rows.append(row)
    except csv.Error as exc:
        raise CsvFormatError(f"The CSV is malformed at line {reader.line_num}: {exc}") from None
    return rows

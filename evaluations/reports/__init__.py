"""Exporters of comparison reports, one module per format.

Every exporter reads the report's stored snapshot only (never live data), so a
report downloads the same content for as long as it exists:

- ``json``: the API representation of the report (``GET /reports/{id}``);
- ``csv``: the side-by-side matrix, one row per candidate and item (overall,
  section, question) -- see ``csv_export``;
- ``xlsx``: one worksheet per view (openpyxl);
- ``html``: a printable page with server-rendered SVG charts (matplotlib).
"""

from dataclasses import dataclass

from django.utils.text import slugify


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    extension: str


FORMATS = {
    "json": ExportFormat("json", "application/json", "json"),
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv"),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "html": ExportFormat("html", "text/html; charset=utf-8", "html"),
}


def filename(report, export_format: ExportFormat) -> str:
    """``report-<id>-<evaluation-slug>.<ext>``: ASCII only, safe in a header."""
    name = report.snapshot.get("evaluation", {}).get("name", "")
    slug = slugify(name)[:60].strip("-") or "evaluation"
    return f"report-{report.pk}-{slug}.{export_format.extension}"


def views(snapshot: dict) -> list[tuple[str, dict]]:
    """``(lot code, view)`` pairs, each view holding ``sections``, ``candidates``,
    ``questions`` and ``sensitivity``: the report itself as lot ``all`` without
    lots, else each lot of ``snapshot["lots"]``."""
    lots = snapshot.get("lots") or []
    return [(lot["code"], lot) for lot in lots] if lots else [("all", snapshot)]


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

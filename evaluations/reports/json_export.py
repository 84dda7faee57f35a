"""JSON export: the report's API representation (what ``GET /reports/{id}`` returns)."""

from rest_framework.renderers import JSONRenderer


def render_json(representation: dict) -> bytes:
    """``representation`` is ``ReportDetailSerializer(report).data``."""
    return JSONRenderer().render(representation)

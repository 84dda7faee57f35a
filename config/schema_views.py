"""The schema endpoint as OpenAPI tools ask for it (docs/integrating.md).

Tools send many ``Accept`` headers for the same document: ``application/json``,
``application/vnd.oai.openapi+json``, YAML types, ``*/*``, or lists with q-values
led by a type no API serves (``application/ld+json``). The schema is answered for
all of them, in the format the header prefers (q-values and specificity count,
which DRF's own negotiation ignores), and in JSON when it names none we have:
an OpenAPI document is better than a 406 (RFC 9110 12.5.1 lets a server ignore
``Accept``). ``?format=json`` and ``?format=yaml`` choose, whatever ``Accept`` says.
"""

from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from config.schema_admin import PROFILE


def _renderer(base, media_type: str):
    return type(
        f"{base.__name__}For{media_type.title().replace('/', '')}",
        (base,),
        {"media_type": media_type},
    )


# JSON first: the format of ``*/*`` and of headers naming nothing we serve.
JSON_TYPES = ("application/json", "application/vnd.oai.openapi+json", "application/openapi+json")
YAML_TYPES = (
    "application/yaml",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+yaml",
    "application/openapi+yaml",
    "application/x-yaml",
    "text/yaml",
)
SCHEMA_RENDERERS = [
    *(_renderer(OpenApiJsonRenderer, media_type) for media_type in JSON_TYPES),
    *(_renderer(OpenApiYamlRenderer, media_type) for media_type in YAML_TYPES),
]


class SchemaNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        chosen = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if chosen:
            # An explicit format wins over Accept (an unknown one is DRF's 404).
            matching = [renderer for renderer in renderers if renderer.format == chosen]
            if not matching:
                return super().select_renderer(request, renderers, format_suffix)
            return matching[0], matching[0].media_type
        by_type = {renderer.media_type: renderer for renderer in renderers}
        preferred = request._request.get_preferred_type(list(by_type))
        if preferred is None:
            json = next(r for r in renderers if isinstance(r, JSONRenderer))
            return json, json.media_type
        return by_type[preferred], preferred


class SchemaView(SpectacularAPIView):
    renderer_classes = SCHEMA_RENDERERS
    content_negotiation_class = SchemaNegotiation


class AdminSchemaView(SchemaView):
    """The schema as API Platform Admin reads it (config/schema_admin.py)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        request.schema_profile = PROFILE

"""Settings for the API's public face (docs/integrating.md): its OpenAPI schema, the
docs pages that render it, and which other sites' pages may call it (CORS).

Read from the environment like the rest of the settings; ``base`` imports them.
"""

import environ
from corsheaders.defaults import default_headers

env = environ.Env()

SPECTACULAR_SETTINGS = {
    "TITLE": "Provider Scorecards API",
    "DESCRIPTION": (
        "Record MSP, MSSP, vCISO and vCIO providers, vet them with a versioned "
        "questionnaire and get weighted, explainable scorecards computed in the "
        "background. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise send the schema to an online validator for its badge.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    # The system's fonts: the page loads none (config/templates/drf_spectacular/redoc.html).
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NotificationKindEnum": "notifications.models.Kind",
        "NotificationStatusEnum": "notifications.models.NotificationStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # After the enum hook, which creates the components it points at.
        "config.schema_hooks.visible_enums",
        "config.schema_hooks.servers",
        # Last: rewrites what the others made, for /api/schema/admin/ only.
        "config.schema_admin.for_api_platform_admin",
    ],
}

# Cross-origin requests (an admin UI or a client served from another origin).
# Off unless origins are listed: `https://admin.example.com,http://localhost:5173`.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# The API and its schema only: the sign-in pages and the Django admin stay same-origin.
CORS_URLS_REGEX = r"^/api/"
# Tokens travel in the Authorization header; cookies (the session) are never sent
# cross-origin, so another site cannot act with a signed-in member's session.
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (*default_headers, "if-match", "if-none-match", "idempotency-key")
# Response headers scripts on the allowed origins may read (optimistic concurrency,
# rate limits, created objects, report downloads).
CORS_EXPOSE_HEADERS = ["ETag", "Location", "Retry-After", "Content-Disposition"]

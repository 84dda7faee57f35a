from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from config import exceptions, health
from config.middleware import API_NOT_FOUND
from config.root import api_root
from config.schema_views import AdminSchemaView, SchemaView

urlpatterns = [
    path("", api_root, name="root"),
    path("api/v1/", api_root, name="api-root"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("responses.urls")),
    path("", include("contracts.urls")),
    path("", include("console.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/schema/admin/", AdminSchemaView.as_view(), name="schema-admin"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
    # Unknown API addresses answer like every other API error, in debug mode too
    # (Django's debug 404 page is HTML).
    re_path(r"^api/", csrf_exempt(exceptions.handler404), name=API_NOT_FOUND),
]

handler400 = "config.exceptions.handler400"
handler403 = "config.exceptions.handler403"
handler404 = "config.exceptions.handler404"
handler500 = "config.exceptions.handler500"

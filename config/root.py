"""The API root (`/` and `/api/v1/`): where a newcomer or a generic client starts.

Links the documentation, the schema, the admin and the console, and lists every top-level
collection of the API. The collections are read from the URL configuration, so
a resource added later appears here without anyone remembering to list it.
"""

from functools import cache

from django.conf import settings
from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.decorators.http import require_safe

API_PREFIX = "api/v1/"


def walk_url_patterns(patterns, prefix=""):
    """Every URL pattern below ``patterns`` with the route leading to it."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk_url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@cache
def collection_names() -> tuple[str, ...]:
    """URL names of the API's collections that need no path parameter."""
    names = []
    for route, entry in walk_url_patterns(get_resolver().url_patterns):
        if (
            route.startswith(API_PREFIX)
            and entry.name
            and entry.name.endswith("-list")
            and not entry.pattern.regex.groupindex
        ):
            names.append(entry.name)
    return tuple(sorted(set(names)))


@require_safe
def api_root(request):
    absolute = request.build_absolute_uri
    return JsonResponse(
        {
            "title": settings.SPECTACULAR_SETTINGS["TITLE"],
            "version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "authentication": "Authorization: Bearer <token> (see the docs)",
            "links": {
                "docs": absolute(reverse("swagger-ui")),
                "redoc": absolute(reverse("redoc")),
                "schema": absolute(reverse("schema")),
                "admin": absolute(reverse("admin:index")),
                "console": absolute(reverse("console")),
                "health": absolute(reverse("healthz")),
            },
            "collections": {
                reverse(name).removeprefix(f"/{API_PREFIX}").strip("/"): absolute(reverse(name))
                for name in collection_names()
            },
        }
    )

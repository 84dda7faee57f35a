"""Walk the URL conf for the API's viewset routes."""

from dataclasses import dataclass

from django.urls import get_resolver

from config.root import walk_url_patterns

API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    basename: str
    kwargs: tuple[str, ...]
    methods: tuple[str, ...]  # HTTP methods mapped to actions

    @property
    def is_list(self) -> bool:
        return self.name == f"{self.basename}-list"

    @property
    def is_object_route(self) -> bool:
        return "pk" in self.kwargs


def api_routes() -> list[Route]:
    routes = []
    for pattern, entry in walk_url_patterns(get_resolver().url_patterns):
        if not pattern.startswith(API_PREFIX) or not entry.name:
            continue
        actions = getattr(entry.callback, "actions", None)
        basename = getattr(entry.callback, "initkwargs", {}).get("basename")
        if not actions or not basename or "format" in entry.pattern.regex.groupindex:
            continue
        routes.append(
            Route(
                name=entry.name,
                pattern=pattern,
                basename=basename,
                kwargs=tuple(entry.pattern.regex.groupindex),
                # DRF adds "head" to a viewset's shared actions map on its first
                # request; left in, the inventory would depend on test order.
                methods=tuple(sorted(m.upper() for m in actions if m != "head")),
            )
        )
    return routes

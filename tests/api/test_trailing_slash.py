"""Every API address answers the same with and without its trailing slash, for every
method (config.middleware.ApiTrailingSlashMiddleware, docs/integrating.md).

The walk covers every named URL pattern under /api/, so a route added later is
checked too; ids that exist nowhere make object routes answer their own 404,
which must then be the view's ("not found"), never the router's ("no resource
lives at this address").
"""

import pytest
from django.urls import get_resolver, reverse

from config.middleware import API_NOT_FOUND
from config.root import walk_url_patterns

MISSING_ID = 2**31 - 1
METHODS = ("get", "post", "patch", "delete")


def _api_urls(context) -> list[str]:
    urls = set()
    for route, entry in walk_url_patterns(get_resolver().url_patterns):
        groups = entry.pattern.regex.groupindex
        if not route.startswith("api/") or entry.name in (None, API_NOT_FOUND):
            continue
        if "format" in groups:  # DRF's format suffixes: `.json` is not a slash form
            continue
        kwargs = {name: context.get(name, MISSING_ID if name == "pk" else "x") for name in groups}
        urls.add(reverse(entry.name, kwargs=kwargs))
    return sorted(urls)


def _is_routing_404(response) -> bool:
    return response.status_code == 404 and "No resource lives" in response.json()["detail"]


def _other_form(url: str) -> str:
    return url[:-1] if url.endswith("/") else f"{url}/"


@pytest.mark.django_db
def test_every_api_route_answers_both_forms_for_every_method(seeded):
    client, context = seeded
    urls = _api_urls(context)
    assert {"/api/v1/organization/", "/api/v1/jobs/", "/api/schema/"} <= set(urls)
    for url in urls:
        for method in METHODS:
            send = getattr(client, method)
            canonical = send(url, {}, format="json") if method != "get" else send(url)
            other = (
                send(_other_form(url), {}, format="json")
                if method != "get"
                else send(_other_form(url))
            )
            assert not _is_routing_404(canonical), (method, url)
            assert other.status_code == canonical.status_code, (method, url, other.content[:200])
            assert other.status_code not in (301, 302, 307, 308), (method, url)


@pytest.mark.django_db
def test_the_body_of_a_write_without_the_slash_reaches_the_view(admin_client):
    response = admin_client.patch("/api/v1/organization", {"name": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    assert admin_client.get("/api/v1/organization/").json()["name"] == "Renamed"
    created = admin_client.post("/api/v1/providers", {"name": "No Slash"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "No Slash"


@pytest.mark.django_db
def test_unknown_addresses_stay_404_in_both_forms(admin_client):
    for url in ("/api/v1/nothing-here/", "/api/v1/nothing-here", "/api/v1/providers/x/y/z"):
        assert _is_routing_404(admin_client.get(url)), url


@pytest.mark.django_db
def test_links_in_answers_use_the_documented_form(admin_client):
    """Pagination links are built from the rewritten path: always the canonical form."""
    admin_client.post("/api/v1/providers/", {"name": "One"}, format="json")
    admin_client.post("/api/v1/providers/", {"name": "Two"}, format="json")
    body = admin_client.get("/api/v1/providers", {"page_size": 1}).json()
    assert body["next"].startswith("http://testserver/api/v1/providers/?")

"""Organization B never sees, changes or deletes organization A's objects: always a 404.

Walks every viewset route under /api/v1/, so endpoints added later are covered
without writing a test for them (their seeder in tests/seeding.py is required).
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.api.routes import api_routes
from tests.seeding import seed_organization

ROUTES = api_routes()


def _items(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


@pytest.fixture
def tenants(make_client):
    client_a = make_client(Role.ADMIN)
    client_b = make_client(Role.ADMIN)
    context = seed_organization(client_a.organization, client_a.membership)
    seed_organization(client_b.organization, client_b.membership)
    return client_a, client_b, context


def _parent_kwargs(route, context):
    return {name: context[name] for name in route.kwargs if name != "pk"}


def _first_id(client, route_list, context):
    response = client.get(reverse(route_list.name, kwargs=_parent_kwargs(route_list, context)))
    assert response.status_code == 200, (route_list.name, response.content[:300])
    items = _items(response)
    assert items, f"{route_list.name}: the seeders created nothing to test isolation with"
    return [item["id"] for item in items]


def test_routes_were_discovered():
    names = {route.name for route in ROUTES}
    assert {"job-list", "job-detail", "member-list", "api-token-detail"} <= names


@pytest.mark.parametrize("route", [r for r in ROUTES if r.is_list], ids=lambda r: r.name)
def test_lists_never_show_other_organizations_objects(tenants, route):
    client_a, client_b, context = tenants
    ids_a = set(_first_id(client_a, route, context))
    url = reverse(route.name, kwargs=_parent_kwargs(route, context))
    response = client_b.get(url)
    if _parent_kwargs(route, context):
        assert response.status_code == 404, (route.name, response.status_code)
        return
    assert response.status_code == 200
    assert ids_a.isdisjoint(item["id"] for item in _items(response))


@pytest.mark.parametrize("route", [r for r in ROUTES if r.is_object_route], ids=lambda r: r.name)
def test_objects_of_other_organizations_are_not_found(tenants, route):
    client_a, client_b, context = tenants
    list_route = next(r for r in ROUTES if r.is_list and r.basename == route.basename)
    object_id = _first_id(client_a, list_route, context)[0]
    url = reverse(route.name, kwargs={**_parent_kwargs(route, context), "pk": object_id})
    for method in route.methods:
        response = getattr(client_b, method.lower())(url, data={}, format="json")
        assert response.status_code in (404, 405), (method, route.name, response.status_code)
        if response.status_code == 404:
            assert response["Content-Type"].startswith("application/problem+json")
    detail = next((r for r in ROUTES if r.name == f"{route.basename}-detail"), None)
    if detail is not None:
        still_there = client_a.get(
            reverse(detail.name, kwargs={**_parent_kwargs(detail, context), "pk": object_id})
        )
        assert still_there.status_code == 200, "organization B changed A's object"


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if not r.is_list and not r.is_object_route and len(r.kwargs)],
    ids=lambda r: r.name,
)
def test_nested_actions_under_other_organizations_parents_are_not_found(tenants, route):
    _, client_b, context = tenants
    url = reverse(route.name, kwargs=_parent_kwargs(route, context))
    for method in route.methods:
        response = getattr(client_b, method.lower())(url, data={}, format="json")
        assert response.status_code in (404, 405), (method, route.name, response.status_code)


def test_current_organization_is_the_callers(tenants):
    client_a, client_b, _ = tenants
    assert client_a.get("/api/v1/organization").json()["id"] == client_a.organization.id
    assert client_b.get("/api/v1/organization").json()["id"] == client_b.organization.id

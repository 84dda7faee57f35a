"""List and detail representations run a constant number of queries."""

import pytest

from accounts.models import Role
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    capability,
    make_document,
)

pytestmark = pytest.mark.django_db

CODES = ["msp.help_desk", "mssp.edr", "vciso.risk_assessment"]


@pytest.fixture
def full_catalog(organization):
    providers = ProviderFactory.create_batch(25, organization=organization)
    for provider in providers:
        for code in CODES:
            OfferingFactory(provider=provider, capability=capability(code))
        ReferenceFactory.create_batch(2, provider=provider)
        SlaTermFactory.create_batch(2, provider=provider)
    for provider in providers[:3]:
        make_document(provider)
    return providers


def measure(client, count_queries, url):
    client.get(url)  # warm up: the token's first use writes last_used_at
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_list_queries_do_not_grow_with_page_size(
    make_client, organization, full_catalog, count_queries, role
):
    client = make_client(role, organization)
    _, small = measure(client, count_queries, "/api/v1/providers/?page_size=1")
    response, large = measure(client, count_queries, "/api/v1/providers/?page_size=25")
    assert len(response.json()["results"]) == 25
    assert small == large
    assert large <= 4  # token, count, page, the page's external ids


def test_detail_queries_do_not_grow_with_children(
    admin_client, organization, full_catalog, count_queries
):
    bare = ProviderFactory(organization=organization)
    _, empty = measure(admin_client, count_queries, f"/api/v1/providers/{bare.pk}/")
    response, full = measure(
        admin_client, count_queries, f"/api/v1/providers/{full_catalog[0].pk}/"
    )
    body = response.json()
    assert len(body["capabilities"]) == 3 and len(body["references"]) == 2
    assert len(body["documents"]) == 1
    assert empty == full
    assert full <= 7  # token, provider, 5 prefetches


@pytest.mark.parametrize("resource", ["capabilities", "references", "slas", "documents"])
def test_nested_lists_are_constant(admin_client, organization, count_queries, resource):
    provider = ProviderFactory(organization=organization)
    for code in CODES:
        OfferingFactory(provider=provider, capability=capability(code))
        ReferenceFactory(provider=provider)
        SlaTermFactory(provider=provider)
        make_document(provider)
    url = f"/api/v1/providers/{provider.pk}/{resource}/"
    _, small = measure(admin_client, count_queries, url + "?page_size=1")
    _, large = measure(admin_client, count_queries, url + "?page_size=3")
    assert small == large


def test_capability_catalog_is_constant(viewer_client, count_queries):
    _, small = measure(viewer_client, count_queries, "/api/v1/capabilities/?page_size=1")
    _, large = measure(viewer_client, count_queries, "/api/v1/capabilities/?page_size=26")
    assert small == large

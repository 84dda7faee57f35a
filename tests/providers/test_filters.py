"""Filters, search and ordering of the provider list (SQLite and PostgreSQL alike)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.models import Provider
from tests.providers.factories import OfferingFactory, ProviderFactory, capability

pytestmark = pytest.mark.django_db

URL = "/api/v1/providers/"


@pytest.fixture
def catalog(organization):
    """Providers whose list values are near-misses of each other."""
    make = ProviderFactory
    return {
        "msp": make(
            organization=organization,
            name="Alpha IT",
            service_models=["msp"],
            industries=["manufacturing"],
            frameworks=["nist_csf"],
            delivery="fully_managed",
            tags=["shortlist-2"],
        ),
        "mssp": make(
            organization=organization,
            name="Bravo Security",
            service_models=["mssp", "vciso"],
            soc_model="own",
            industries=["healthcare", "legal"],
            frameworks=["hipaa", "soc2"],
            delivery="co_managed",
            tags=["shortlist"],
        ),
        "vcio": make(
            organization=organization,
            name="Charlie Advisory",
            service_models=["vcio"],
            industries=["financial_services"],
            frameworks=["nist_800_171"],
            tags=[],
        ),
        # Another organization's provider matches every filter but never shows.
        "foreign": make(
            service_models=["msp", "mssp", "vciso", "vcio"],
            soc_model="own",
            industries=["healthcare"],
            frameworks=["hipaa"],
            tags=["shortlist"],
        ),
    }


def names(client, query=""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # "msp" must not match "mssp" inside the JSON text, nor "vcio" match "vciso".
        ("service_model=msp", ["Alpha IT"]),
        ("service_model=mssp", ["Bravo Security"]),
        ("service_model=vcio", ["Charlie Advisory"]),
        ("service_model=vciso", ["Bravo Security"]),
        ("industry=legal", ["Bravo Security"]),
        ("industry=financial_services", ["Charlie Advisory"]),
        ("industry=defense", []),
        ("framework=hipaa", ["Bravo Security"]),
        ("framework=nist_800_171", ["Charlie Advisory"]),
        ("soc_model=own", ["Bravo Security"]),
        ("delivery=co_managed", ["Bravo Security"]),
        ("tag=shortlist", ["Bravo Security"]),
        ("tag=shortlist-2", ["Alpha IT"]),
        ("service_model=mssp&industry=manufacturing", []),
        ("", ["Alpha IT", "Bravo Security", "Charlie Advisory"]),
    ],
)
def test_filters(admin_client, catalog, query, expected):
    assert names(admin_client, query) == expected


def test_capability_filter_matches_self_and_partner_delivery(admin_client, catalog):
    OfferingFactory(provider=catalog["mssp"], capability=capability("mssp.edr"))
    OfferingFactory(
        provider=catalog["msp"],
        capability=capability("mssp.edr"),
        delivered_by="partner",
        partner_name="EndpointCo",
    )
    OfferingFactory(provider=catalog["msp"], capability=capability("msp.help_desk"))
    OfferingFactory(provider=catalog["foreign"], capability=capability("mssp.edr"))
    assert names(admin_client, "capability=mssp.edr") == ["Alpha IT", "Bravo Security"]
    assert names(admin_client, "capability=msp.help_desk") == ["Alpha IT"]
    assert names(admin_client, "capability=vcio.it_budget") == []


def test_updated_since(admin_client, catalog):
    past = timezone.now() - timedelta(days=3)
    Provider.objects.filter(pk=catalog["vcio"].pk).update(updated_at=past)
    since = (past + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert names(admin_client, f"updated_since={since}") == ["Alpha IT", "Bravo Security"]


@pytest.mark.parametrize(
    "since",
    ["0001-01-01T00:00:00+20:46", "9999-12-31T23:59:59-20:00", "2000-01-01T00:00:00+23:59"],
)
def test_updated_since_accepts_any_iso_offset(admin_client, catalog, since):
    # PostgreSQL refuses offsets beyond +-15:59; the filter works in UTC.
    response = admin_client.get(f"{URL}?updated_since={since.replace('+', '%2B')}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "service_model=cloud",
        "industry=",
        "capability=mssp.nope",
        "tag=Not%20A%20Slug",
        "tag=",
        "updated_since=yesterday",
        "soc_model=outsourced",
    ],
)
def test_bad_filter_values_are_400(admin_client, catalog, query):
    assert admin_client.get(f"{URL}?{query}").status_code == 400


def test_search_by_name(admin_client, catalog):
    assert names(admin_client, "search=security") == ["Bravo Security"]
    assert names(admin_client, "search=ALPHA") == ["Alpha IT"]
    assert names(admin_client, "search=%00") == ["Alpha IT", "Bravo Security", "Charlie Advisory"]


def test_ordering(admin_client, catalog):
    now = timezone.now()
    for offset, key in enumerate(["vcio", "msp", "mssp"]):
        Provider.objects.filter(pk=catalog[key].pk).update(
            updated_at=now + timedelta(minutes=offset)
        )
    assert names(admin_client, "ordering=-name") == [
        "Charlie Advisory",
        "Bravo Security",
        "Alpha IT",
    ]
    assert names(admin_client, "ordering=updated_at") == [
        "Charlie Advisory",
        "Alpha IT",
        "Bravo Security",
    ]
    assert names(admin_client, "ordering=-created_at")[0] == "Charlie Advisory"


def test_equal_sort_keys_are_broken_by_id(admin_client, organization):
    moment = timezone.now()
    providers = [ProviderFactory(organization=organization) for _ in range(5)]
    Provider.objects.filter(pk__in=[p.pk for p in providers]).update(updated_at=moment)
    ids = [item["id"] for item in admin_client.get(f"{URL}?ordering=updated_at").json()["results"]]
    assert ids == sorted(p.pk for p in providers)


class TestCapabilityCatalogApi:
    def test_everyone_in_any_organization_reads_the_same_catalog(self, viewer_client, make_client):
        mine = viewer_client.get("/api/v1/capabilities/?page_size=100").json()
        theirs = make_client("viewer").get("/api/v1/capabilities/?page_size=100").json()
        assert mine == theirs
        assert mine["count"] == 26
        assert mine["results"][0]["code"] == "msp.help_desk"

    def test_filter_and_search(self, viewer_client):
        body = viewer_client.get("/api/v1/capabilities/?service_model=vciso").json()
        assert body["count"] == 8
        assert {item["service_model"] for item in body["results"]} == {"vciso"}
        body = viewer_client.get("/api/v1/capabilities/?search=EDR").json()
        assert [item["code"] for item in body["results"]] == ["mssp.edr"]

    def test_retrieve_by_code_and_read_only(self, admin_client):
        body = admin_client.get("/api/v1/capabilities/vcio.it_budget/").json()
        assert body["service_model"] == "vcio"
        assert admin_client.get("/api/v1/capabilities/vcio.nope/").status_code == 404
        assert admin_client.post("/api/v1/capabilities/", {}, format="json").status_code == 405

    def test_needs_authentication(self, client):
        assert client.get("/api/v1/capabilities/").status_code == 401

"""Hostile input gets a 4xx problem, never a 5xx, and changes nothing."""

import json

import pytest

from evaluations.models import Answer
from providers.models import Provider
from tests.seeding import seed_organization


@pytest.fixture
def seeded(admin_client):
    context = seed_organization(admin_client.organization, admin_client.membership)
    return admin_client, context


def assert_4xx(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.django_db
class TestLimits:
    def test_ten_megabyte_body_is_413(self, seeded):
        client, _ = seeded
        body = json.dumps({"name": "x" * (10 * 1024 * 1024)})
        response = client.post("/api/v1/providers/", data=body, content_type="application/json")
        assert response.status_code == 413
        assert not Provider.objects.filter(name__startswith="xxxx").exists()

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/providers/%00/",
            "/api/v1/providers/1%00/",
            "/api/v1/evaluations/%00/score/",
        ],
    )
    def test_nul_in_path(self, seeded, path):
        client, _ = seeded
        assert_4xx(client.get(path))
        assert_4xx(client.post(path, {}, format="json"))

    @pytest.mark.parametrize(
        "query",
        [
            "search=%00",
            "ordering=%00",
            "page=%00",
            "page_size=%00",
            "status=%00",
            "updated_since=%00",
            "evaluation=%00",
        ],
    )
    @pytest.mark.parametrize("resource", ["providers", "evaluations", "scorecards", "jobs"])
    def test_nul_in_query(self, seeded, resource, query):
        client, _ = seeded
        response = client.get(f"/api/v1/{resource}/?{query}")
        assert response.status_code < 500, (resource, query, response.status_code)

    def test_nul_in_body(self, seeded):
        client, _ = seeded
        response = client.post("/api/v1/providers/", {"name": "Evil\x00Corp"}, format="json")
        assert_4xx(response)
        assert not Provider.objects.filter(name__contains="Evil").exists()

    @pytest.mark.parametrize(
        "route",
        [
            "/api/v1/evaluations/{evaluation_pk}/answers/",
            "/api/v1/providers/",
            "/api/v1/providers/import/",
            "/api/v1/questionnaires/import/",
        ],
    )
    def test_deeply_nested_json(self, seeded, route):
        client, context = seeded
        nested = "[" * 100_000 + "]" * 100_000
        response = client.post(
            route.format(**context), data=nested, content_type="application/json"
        )
        assert_4xx(response)

    def test_oversized_bulk_list_changes_nothing(self, seeded):
        client, context = seeded
        before = Answer.objects.count()
        items = [{"candidate": 1, "question": "SOC-01", "value": "own"}] * 1001
        response = client.post(
            f"/api/v1/evaluations/{context['evaluation_pk']}/answers/", items, format="json"
        )
        assert_4xx(response)
        assert Answer.objects.count() == before

    @pytest.mark.parametrize("route", ["/api/v1/deleted/", "/api/v1/providers/sync/"])
    @pytest.mark.parametrize("size", ["%C2%B3", "0", "101", "x"])
    def test_bad_sync_page_sizes(self, seeded, route, size):
        client, _ = seeded
        assert client.get(f"{route}?page_size={size}").status_code == 400

    def test_unknown_api_address_with_a_session_cookie_is_a_json_404(self, seeded):
        client, _ = seeded
        client.cookies["sessionid"] = "not-a-session"
        client.cookies["csrftoken"] = "x" * 32
        response = client.delete("/api/v1/evaluations/0/candidates/0.5/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    @pytest.mark.parametrize(
        "query",
        [
            "page_size=1000000",
            "page=99999999999999999999",
            "page=999999",
            "page_size=-1",
        ],
    )
    def test_huge_pages(self, seeded, query):
        client, _ = seeded
        assert_4xx(client.get(f"/api/v1/providers/?{query}"))

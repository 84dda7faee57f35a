import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from config.exceptions import flatten_errors
from jobs.api.views import JobViewSet

PROBLEM = "application/problem+json"


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["type"] == "about:blank"
    return body


@pytest.mark.django_db
class TestProblemDetails:
    def test_unknown_route_is_a_problem(self, admin_client):
        assert_problem(admin_client.get("/api/v1/no-such-thing/"), 404, "not_found")

    def test_unknown_object_is_a_problem(self, admin_client):
        body = assert_problem(
            admin_client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/"),
            404,
            "not_found",
        )
        assert body["instance"] == "/api/v1/jobs/00000000-0000-0000-0000-000000000000/"

    def test_validation_errors_list_every_field(self, admin_client):
        response = admin_client.post("/api/v1/members/", {"role": "boss"}, format="json")
        body = assert_problem(response, 400, "validation_error")
        fields = {(e["field"], e["code"]) for e in body["errors"]}
        assert fields == {("username", "required"), ("role", "invalid_choice")}

    def test_malformed_json_is_a_400_problem(self, admin_client):
        response = admin_client.post(
            "/api/v1/members/", data="{nope", content_type="application/json"
        )
        assert_problem(response, 400, "parse_error")

    def test_wrong_media_type_is_415(self, admin_client):
        response = admin_client.post(
            "/api/v1/members/", data="username=x", content_type="application/x-www-form-urlencoded"
        )
        assert_problem(response, 415, "unsupported_media_type")

    def test_oversized_body_is_413_before_parsing(self, admin_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = admin_client.post("/api/v1/members/", {"username": "x" * 2000}, format="json")
        assert_problem(response, 413, "request_too_large")

    def test_unhandled_error_is_a_generic_500_without_internals(self, admin_client, monkeypatch):
        def explode(self, request, *args, **kwargs):
            raise RuntimeError("secret connection string postgres://user:pw@db")

        monkeypatch.setattr(JobViewSet, "list", explode)
        admin_client.raise_request_exception = False
        body = assert_problem(admin_client.get("/api/v1/jobs/"), 500, "server_error")
        assert "secret" not in str(body) and "RuntimeError" not in str(body)

    def test_throttling_is_429_with_retry_after(self, admin_client, monkeypatch):
        cache.clear()
        monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
        statuses = [admin_client.get("/api/v1/jobs/").status_code for _ in range(2)]
        response = admin_client.get("/api/v1/jobs/")
        cache.clear()
        assert statuses == [200, 200]
        assert_problem(response, 429, "throttled")
        assert int(response["Retry-After"]) > 0

    def test_unauthenticated_is_401(self):
        assert_problem(APIClient().get("/api/v1/jobs/"), 401, "not_authenticated")


def test_nested_errors_get_readable_paths():
    detail = {
        "sections": [{}, {"questions": [{}, {"code": ["Duplicate code."]}]}],
        "non_field_errors": ["Broken."],
    }
    assert flatten_errors(detail) == [
        {"field": "sections[1].questions[1].code", "code": "invalid", "message": "Duplicate code."},
        {"field": None, "code": "invalid", "message": "Broken."},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        # A concurrent insert beat this request to a unique row: retry, not a crash.
        ("UNIQUE constraint failed: evaluations_candidate.provider_id", 409, "concurrent_change"),
        # Any other integrity failure is a bug and stays a (logged) 500.
        ("NOT NULL constraint failed: evaluations_candidate.provider_id", 500, "server_error"),
    ],
)
def test_integrity_errors(admin_client, monkeypatch, failure, status, code):
    from django.db import IntegrityError

    def race(*args, **kwargs):
        raise IntegrityError(failure)

    monkeypatch.setattr(JobViewSet, "list", race)
    assert_problem(admin_client.get("/api/v1/jobs/"), status, code)

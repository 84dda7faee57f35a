"""Cross-origin access (django-cors-headers): off by default, on for the origins in
CORS_ALLOWED_ORIGINS, with the headers an external admin needs (docs/integrating.md)."""

import pytest

from tests.test_settings import run_python

ADMIN_ORIGIN = "https://admin.example.com"
REQUESTED_HEADERS = "authorization, content-type, if-match, idempotency-key"


def _preflight(client, url, origin=ADMIN_ORIGIN, method="PATCH"):
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=REQUESTED_HEADERS,
    )


def test_origins_come_from_the_environment_comma_separated():
    show = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.base');"
        "django.setup(); from django.conf import settings as s; print(s.CORS_ALLOWED_ORIGINS)"
    )
    assert run_python(show).stdout.strip() == "[]"
    chosen = run_python(show, CORS_ALLOWED_ORIGINS=f"{ADMIN_ORIGIN},http://localhost:5173")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.strip() == f"['{ADMIN_ORIGIN}', 'http://localhost:5173']"


@pytest.mark.django_db
def test_off_by_default(admin_client):
    response = admin_client.get("/api/v1/providers/", HTTP_ORIGIN=ADMIN_ORIGIN)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in _preflight(admin_client, "/api/v1/providers/")


@pytest.mark.django_db
class TestAllowedOrigin:
    @pytest.fixture(autouse=True)
    def _allowed(self, settings):
        settings.CORS_ALLOWED_ORIGINS = [ADMIN_ORIGIN]

    def test_preflight_allows_the_conditional_and_idempotent_headers(self, client):
        response = _preflight(client, "/api/v1/providers/1/")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ADMIN_ORIGIN
        allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
        assert {"authorization", "content-type", "if-match", "idempotency-key"} <= allowed
        assert "PATCH" in response["Access-Control-Allow-Methods"]
        # Token in a header, never the session cookie, across origins.
        assert "Access-Control-Allow-Credentials" not in response

    def test_answers_expose_the_etag(self, admin_client):
        created = admin_client.post("/api/v1/providers/", {"name": "Acme"}, format="json")
        url = f"/api/v1/providers/{created.json()['id']}/"
        response = admin_client.get(url, HTTP_ORIGIN=ADMIN_ORIGIN)
        assert response.has_header("ETag")
        assert response["Access-Control-Allow-Origin"] == ADMIN_ORIGIN
        exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
        assert {"ETag", "Location", "Retry-After"} <= exposed

    def test_the_schema_is_readable_cross_origin(self, client):
        response = client.get("/api/schema/", HTTP_ORIGIN=ADMIN_ORIGIN)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == ADMIN_ORIGIN

    def test_errors_carry_the_headers_too(self, client):
        response = client.get("/api/v1/providers/", HTTP_ORIGIN=ADMIN_ORIGIN)
        assert response.status_code == 401
        assert response["Access-Control-Allow-Origin"] == ADMIN_ORIGIN

    def test_other_origins_and_pages_outside_the_api_get_nothing(self, client):
        other = client.get("/api/schema/", HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in other
        page = client.get("/admin/login/", HTTP_ORIGIN=ADMIN_ORIGIN)
        assert "Access-Control-Allow-Origin" not in page

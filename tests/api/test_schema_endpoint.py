"""The schema as OpenAPI tools fetch it, and the docs pages that render it offline."""

import json

import pytest
import yaml
from rest_framework.test import APIClient

JSON = ("application/json", "application/vnd.oai.openapi+json")
YAML = ("application/yaml", "application/vnd.oai.openapi")


def _parsed(response):
    kind = response["Content-Type"].split(";")[0]
    text = response.content.decode()
    if kind in JSON:
        return kind, json.loads(text)
    assert kind in YAML, kind
    return kind, yaml.safe_load(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", "application/json"),
        ("application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json"),
        ("application/yaml", "application/yaml"),
        ("application/vnd.oai.openapi", "application/vnd.oai.openapi"),
        ("*/*", "application/json"),
        ("", "application/json"),
        # API Platform Admin: JSON-LD first, which no OpenAPI document is.
        ("application/ld+json, application/json;q=0.9, */*;q=0.8", "application/json"),
        # q-values decide, not the order of our renderers.
        ("application/json;q=0.5, application/yaml", "application/yaml"),
        ("application/yaml;q=0.2, application/vnd.oai.openapi+json;q=0.9", JSON[1]),
        ("application/vnd.oai.openapi;q=0.8, text/html;q=0.9", "application/vnd.oai.openapi"),
        # Nothing we serve: the document anyway, in JSON, rather than a 406.
        ("text/html", "application/json"),
        ("application/ld+json", "application/json"),
    ],
)
@pytest.mark.parametrize("url", ["/api/schema/", "/api/schema"])
def test_the_schema_answers_every_accept_header_of_openapi_tools(url, accept, expected):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = APIClient().get(url, **headers)
    assert response.status_code == 200, response.content[:200]
    kind, schema = _parsed(response)
    assert kind == expected
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/providers/" in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("format_", "accept", "expected"),
    [("json", "application/yaml", JSON[0]), ("yaml", "application/json", YAML[0])],
)
def test_the_format_parameter_wins_over_accept(format_, accept, expected):
    response = APIClient().get(f"/api/schema/?format={format_}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert _parsed(response)[0] == expected


@pytest.mark.django_db
def test_servers_name_the_origin_the_schema_was_fetched_from(settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    response = APIClient().get("/api/schema/", HTTP_HOST="api.example.com")
    assert response.json()["servers"] == [
        {"url": "http://api.example.com", "description": "This service"}
    ]


@pytest.mark.django_db
def test_servers_follow_a_tls_proxy(settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = APIClient().get(
        "/api/schema/", HTTP_HOST="api.example.com", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.json()["servers"][0]["url"] == "https://api.example.com"


def test_a_written_schema_names_the_site_url(settings):
    from drf_spectacular.generators import SchemaGenerator

    settings.SITE_URL = "https://scorecards.example.org"
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["servers"] == [
        {"url": "https://scorecards.example.org", "description": "This service"}
    ]


@pytest.mark.django_db
def test_swagger_ui_sends_the_schema_to_no_validator():
    html = APIClient().get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html

"""Unknown body fields are a 400 naming them; read-only fields sent back are ignored.

Both tests walk every writing operation of the OpenAPI schema, so an endpoint
added later is covered without a test of its own. The organization is seeded
with one of everything (tests/seeding.py); an object route is tried on the
first object its list shows.
"""

import pytest

from tests.api.request_fields import _generated
from tests.api.seeded import caller, if_match, url_for

UNKNOWN = "integrattion"  # a typo of a real field name elsewhere in the API
WRITING = ("post", "put", "patch")


def _operations():
    _, schema = _generated()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in WRITING:
                yield path, method, operation


def _body_shape(operation) -> tuple[str | None, bool]:
    """The request's media type (None without a body) and whether it is a list."""
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return None, False
    media = "multipart/form-data" if "multipart/form-data" in content else "application/json"
    schema = content.get(media, {}).get("schema", {})
    return media, schema.get("type") == "array"


WRITES = list(_operations())


@pytest.mark.parametrize(
    ("path", "method", "operation"), WRITES, ids=[op["operationId"] for _, _, op in WRITES]
)
def test_an_unknown_field_is_a_400_naming_it(seeded, path, method, operation):
    client, context = seeded
    url = url_for(client, context, path, operation["operationId"])
    client = caller(client, context, operation)
    media, is_list = _body_shape(operation)
    body = {UNKNOWN: True}
    headers = if_match(client, url) if method != "post" else {}
    if media == "multipart/form-data":
        response = getattr(client, method)(url, body, format="multipart")
    else:
        body = [body] if is_list else body
        response = getattr(client, method)(url, body, format="json", **headers)
    assert response.status_code == 400, (operation["operationId"], response.content[:500])
    field = f"[0].{UNKNOWN}" if is_list else UNKNOWN
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert (field, "unknown_field") in errors, (operation["operationId"], errors)


def _request_properties(operation) -> set[str]:
    _, schema = _generated()
    content = operation["requestBody"]["content"]
    node = next(iter(content.values()))["schema"]
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    properties = node.get("properties", {})
    return {name for name, prop in properties.items() if not prop.get("readOnly")}


def _tampered(value):
    """A different value of the same JSON type: applied, it would show."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1000
    if isinstance(value, str):
        return value + "-changed"
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return "changed"


# Values that a successful write itself moves.
MOVED_BY_A_WRITE = {"updated_at"}

UPDATES = [(p, m, op) for p, m, op in WRITES if m in ("put", "patch")]


@pytest.mark.parametrize(
    ("path", "method", "operation"), UPDATES, ids=[op["operationId"] for _, _, op in UPDATES]
)
def test_a_read_sent_back_whole_is_accepted_and_its_read_only_fields_ignored(
    seeded, path, method, operation
):
    """A generic admin's read-modify-write: GET, change nothing writable, send it all back
    (read-only fields tampered with, to show they are ignored, never applied)."""
    client, context = seeded
    url = url_for(client, context, path, operation["operationId"])
    client = caller(client, context, operation)
    read = client.get(url)
    assert read.status_code == 200, read.content[:300]
    before = read.json()
    writable = _request_properties(operation)
    body = {key: value if key in writable else _tampered(value) for key, value in before.items()}
    headers = {"HTTP_IF_MATCH": read["ETag"]} if read.has_header("ETag") else {}
    response = getattr(client, method)(url, body, format="json", **headers)
    assert response.status_code == 200, (operation["operationId"], response.content[:500])
    after = client.get(url).json()
    for key in set(before) - MOVED_BY_A_WRITE:
        assert after[key] == before[key], (operation["operationId"], key)


@pytest.mark.django_db
class TestUnknownFields:
    def test_nested_unknown_fields_are_named_by_path(self, admin_client):
        response = admin_client.post(
            "/api/v1/needs-assessments/",
            {"profile": {"industry": "healthcare", "employe_count": 40}},
            format="json",
        )
        assert response.status_code == 400
        errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
        assert errors == {("profile.employe_count", "unknown_field")}

    def test_an_unprintable_key_is_named_storably(self, admin_client):
        """A lone surrogate cannot be written into the response: the key is named
        with U+FFFD in its place, and refused for its character before its name."""
        body = b'{"name": "Acme", "\\ud800x": 1}'
        response = admin_client.generic(
            "POST", "/api/v1/providers/", body, content_type="application/json"
        )
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert (error["field"], error["code"]) == ("\ufffdx", "invalid_character")

    def test_a_typo_creates_no_token(self, admin_client):
        response = admin_client.post(
            "/api/v1/api-tokens/",
            {"name": "crm", "scope": "read", "integrattion": True},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "integrattion"
        assert not admin_client.membership.organization.api_tokens.filter(name="crm").exists()

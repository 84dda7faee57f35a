"""Text the database cannot store, absurd numbers and invisible "blank" text are a
4xx on every write operation, and change nothing (``config.text``).

The operations come from the OpenAPI schema (tests/api/request_fields.py), so a
new endpoint is covered without a sample: its documented body is filled with
the poison in every string (keys of free-form objects too) or every number.
"""

import json
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.request_fields import WRITING_METHODS, _generated, _operations
from tests.providers.factories import PDF_BYTES
from tests.seeding import seed_organization

PROJECT_APPS = ("accounts", "providers", "questionnaires", "evaluations", "integrations", "jobs")
PROJECT_APPS += ("contracts",)


@dataclass(frozen=True)
class Poison:
    name: str
    text: str
    number: int


POISONS = [
    Poison("lone_surrogate", "Acme \ud800", 1),
    Poison("nul", "Acme\x00", 1),
    Poison("zero_width_blank", "\u200b\ufeff\u200b", 1),
    Poison("huge_number", "Acme", 10**4000),
]
OPERATIONS = sorted(
    (operation, method, path)
    for operation, method, path, _ in _operations(WRITING_METHODS)
    if _generated()[1]["paths"][path][method.lower()].get("requestBody")
)


def poisoned(node: dict, poison: Poison, depth: int = 0):
    """An instance of the schema ``node`` with every leaf poisoned."""
    components = _generated()[1]["components"]["schemas"]
    if "$ref" in node:
        return poisoned(components[node["$ref"].rsplit("/", 1)[-1]], poison, depth)
    for combined in ("allOf", "oneOf", "anyOf"):
        if node.get(combined):
            return poisoned(node[combined][0], poison, depth)
    kind = node.get("type")
    if depth > 8:
        return poison.text
    if kind == "object" or "properties" in node:
        properties = {
            name: child
            for name, child in node.get("properties", {}).items()
            if not child.get("readOnly")
        }
        if not properties:
            return {poison.text: poison.text}
        return {name: poisoned(child, poison, depth + 1) for name, child in properties.items()}
    if kind == "array":
        return [poisoned(node.get("items", {}), poison, depth + 1)]
    if kind in ("integer", "number"):
        return poison.number
    if kind == "boolean":
        return True
    return poison.text


def snapshot() -> dict:
    """Every row of the project's tables (but when the caller's token was last used)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            columns = [f.attname for f in model._meta.concrete_fields if f.name != "last_used_at"]
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*columns))
    return rows


def carries(value, poison) -> bool:
    if isinstance(value, dict):
        return any(carries(key, poison) or carries(item, poison) for key, item in value.items())
    if isinstance(value, list):
        return any(carries(item, poison) for item in value)
    if isinstance(value, bool):
        return False
    return value == (poison.number if poison.name == "huge_number" else poison.text)


@pytest.fixture
def seeded(admin_client):
    return admin_client, seed_organization(admin_client.organization, admin_client.membership)


def resolve(client, context, path: str) -> str:
    """The path with parents from the seeded context and ``{id}`` the first listed."""
    url = path
    for name in ("evaluation_pk", "provider_pk", "questionnaire_pk", "webhook_pk", "contract_pk"):
        url = url.replace(f"{{{name}}}", str(context[name]))
    if "{id}" in url:
        listing = client.get(url[: url.index("{id}")])
        assert listing.status_code == 200, (url, listing.content[:300])
        body = listing.json()
        items = body["results"] if isinstance(body, dict) else body
        assert items, f"{url}: the seeders created nothing to write to"
        url = url.replace("{id}", str(items[0]["id"]))
    return url


def send(client, operation: tuple, url: str, poison: Poison):
    _, method, path = operation
    content = _generated()[1]["paths"][path][method.lower()]["requestBody"]["content"]
    media_type = next(iter(content))
    body = poisoned(content[media_type]["schema"], poison)
    if not carries(body, poison):
        pytest.skip(f"the body has no field for {poison.name}")
    call = getattr(client, method.lower())
    if media_type == "multipart/form-data":
        if poison.name == "lone_surrogate":
            pytest.skip("form fields are decoded with U+FFFD for invalid UTF-8")
        body["file"] = SimpleUploadedFile("report.pdf", PDF_BYTES)
        return call(url, body, format="multipart")
    return call(url, data=json.dumps(body), content_type=media_type)


@pytest.mark.django_db
@pytest.mark.parametrize("poison", POISONS, ids=lambda poison: poison.name)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation[0])
def test_every_write_refuses_poison_and_changes_nothing(seeded, operation, poison):
    client, context = seeded
    url = resolve(client, context, operation[2])
    before = snapshot()
    response = send(client, operation, url, poison)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/problem+json")
    after = snapshot()
    assert [label for label in before if before[label] != after[label]] == []


def test_every_write_operation_with_a_body_is_walked():
    names = {operation for operation, _, _ in OPERATIONS}
    assert {"providers_create", "evaluation_answers_create", "questionnaires_import_document"} <= (
        names
    )

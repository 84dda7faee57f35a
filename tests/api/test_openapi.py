import importlib
import inspect
import pkgutil
import re
from collections import Counter

import pytest
import yaml
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from config.serializers import StrictTypesMixin

EXTERNAL = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", re.IGNORECASE)
PROJECT_APPS = [
    "accounts",
    "jobs",
    "providers",
    "questionnaires",
    "evaluations",
    "integrations",
    "config",
    "contracts",
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning (unresolvable field,
    # duplicate component, ...) into a failure: the schema must be exact.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_has_a_unique_explicit_id(schema):
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert ids and not [i for i, n in Counter(ids).items() if n > 1]


def test_bearer_auth_is_declared(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token: `Authorization: Bearer <token>`.",
    }


def test_errors_are_documented_as_problem_details(schema):
    for path, method, operation in operations(schema):
        for code in ("401", "403"):
            content = operation["responses"][code]["content"]
            assert "application/problem+json" in content, (path, method, code)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_offline_from_the_sidecar(url):
    response = APIClient().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    # No address with a host (`https://x`, protocol-relative `//x`): no CDN, no web
    # fonts, nothing else fetched from the internet.
    assert EXTERNAL.findall(html) == []


def _project_serializers():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or "management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, serializers.BaseSerializer) and obj.__module__ == info.name:
                    yield obj


def test_every_serializer_is_strictly_typed():
    found = list(_project_serializers())
    assert found
    loose = [
        cls.__qualname__
        for cls in found
        if issubclass(cls, serializers.Serializer) and not issubclass(cls, StrictTypesMixin)
    ]
    assert loose == []


def test_no_serializer_exposes_all_fields():
    for cls in _project_serializers():
        meta = getattr(cls, "Meta", None)
        assert getattr(meta, "fields", None) != "__all__", cls

"""List filters, on SQLite and PostgreSQL (the suite runs on both; JSON-list filters
must not rely on JSONField containment, which SQLite lacks)."""

import pytest
from django.db import connection

from providers.vocabulary import Industry, RedFlagTag, ServiceModel
from questionnaires import services
from questionnaires.builtin import read_builtin_documents
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import LIST, errors_of
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(admin_client, builtins):
    """Built-ins plus two of the organization's own: one published, one whose latest
    version (a draft) dropped the tags, applies_to and industries of version 1."""
    organization = admin_client.organization
    services.publish_version(services.import_document(organization, make_document()))
    first = services.publish_version(
        services.import_document(organization, make_document(code="zz-changing", name="Zed"))
    )
    bare = make_document(code="zz-changing")
    for section in bare["sections"]:
        for question in section["questions"]:
            question.update(tags=[], applies_to=[], industries=[])
    draft = services.new_version(first)
    services.update_draft(draft, {"sections": bare["sections"]})
    documents = {d["code"]: d for d in read_builtin_documents()}
    documents["acme-vetting"] = make_document()
    documents["zz-changing"] = bare
    return documents


def codes(client, **params):
    response = client.get(LIST, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def having(documents, field, value):
    return {
        code
        for code, document in documents.items()
        for section in document["sections"]
        for question in section["questions"]
        if value in question.get(field, [])
    }


def check_json_list_filters(client, documents):
    tags = {t for d in documents.values() for s in d["sections"] for q in s["questions"]
            for t in q.get("tags", [])}  # fmt: skip
    assert {t.value for t in RedFlagTag} <= tags
    for tag in sorted(tags):
        assert codes(client, tag=tag) == having(documents, "tags", tag), tag
    for model in ServiceModel:
        assert codes(client, service_model=model.value) == having(
            documents, "applies_to", model.value
        ), model
    for industry in Industry:
        assert codes(client, industry=industry.value) == having(
            documents, "industries", industry.value
        ), industry


def test_json_list_filters_match_the_documents(admin_client, catalog):
    assert codes(admin_client, tag="soc_ownership") >= {"provider-vetting", "acme-vetting"}
    assert codes(admin_client, industry="healthcare") >= {"pack-healthcare", "acme-vetting"}
    assert "pack-vcio" in codes(admin_client, service_model="vcio")
    check_json_list_filters(admin_client, catalog)


def test_json_list_filters_match_whole_elements_only(admin_client, catalog):
    assert codes(admin_client, tag="soc") == set()
    assert codes(admin_client, tag="ownership") == set()
    assert codes(admin_client, tag='soc_ownership", "x') == set()
    assert codes(admin_client, tag="%") == set()
    assert codes(admin_client, tag="_") == set()


def test_filters_run_on_postgresql(admin_client, catalog):
    require_postgres()
    assert connection.vendor == "postgresql"
    check_json_list_filters(admin_client, catalog)


def test_builtin_code_status_and_search(admin_client, catalog):
    builtin = {c for c in catalog if c not in ("acme-vetting", "zz-changing")}
    assert codes(admin_client, builtin="true") == builtin
    assert codes(admin_client, builtin="false") == {"acme-vetting", "zz-changing"}
    assert codes(admin_client, code="pack-legal") == {"pack-legal"}
    assert codes(admin_client, status="draft") == {"zz-changing"}
    assert codes(admin_client, status="published") == set(catalog) - {"zz-changing"}
    assert codes(admin_client, status="retired") == set()
    assert codes(admin_client, search="Zed") == {"zz-changing"}
    assert codes(admin_client, search="pack-") == {c for c in builtin if c.startswith("pack-")}
    assert codes(admin_client, builtin="false", tag="soc_ownership") == {"acme-vetting"}


def test_ordering(admin_client, catalog):
    rows = admin_client.get(LIST, {"ordering": "-code", "page_size": 3}).json()["results"]
    assert [r["code"] for r in rows] == sorted(catalog, reverse=True)[:3]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"builtin": "yes"}, "builtin"),
        ({"builtin": ""}, "builtin"),
        ({"service_model": "isp"}, "service_model"),
        ({"industry": "mining"}, "industry"),
        ({"status": "gone"}, "status"),
    ],
)
def test_invalid_filter_values_are_400(admin_client, params, field):
    assert field in {f for f, _ in errors_of(admin_client.get(LIST, params))}

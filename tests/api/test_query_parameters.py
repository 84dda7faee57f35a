"""Every documented list parameter filters; an undocumented one is a 400 naming it.

The generic tests walk every list operation of the OpenAPI schema (an operation
whose answer is a page of items), so a list added later is covered too.
"""

import pytest
from rest_framework.filters import OrderingFilter, SearchFilter

from config.filters import IdListFilter
from evaluations.models import AuditEvent, Candidate
from providers.models import Provider
from tests.api.request_fields import _generated, _operations
from tests.api.seeded import caller, url_for
from tests.providers.factories import ProviderFactory, ReferenceFactory


def _is_list(operation, components) -> bool:
    schema = operation["responses"].get("200", {}).get("content", {})
    schema = next(iter(schema.values()), {}).get("schema", {})
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    properties = schema.get("properties", {})
    return schema.get("type") == "array" or {"results", "next"} <= set(properties)


def _lists():
    _, schema = _generated()
    components = schema["components"]["schemas"]
    for operation_id, _, path, view in _operations(("GET",)):
        operation = schema["paths"][path]["get"]
        if _is_list(operation, components):
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            yield operation_id, path, view, names


LISTS = list(_lists())


def test_lists_were_found():
    found = {operation_id for operation_id, *_ in LISTS}
    assert {"providers_list", "provider_references_list", "evaluations_audit"} <= found


def _declared_filters(view) -> set[str]:
    """The filters of the view's FilterSet (declared, or made from ``filterset_fields``)."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        return set(filterset_class.base_filters)
    return set(getattr(view, "filterset_fields", None) or ())


@pytest.mark.parametrize(
    ("operation_id", "path", "view", "names"), LISTS, ids=[entry[0] for entry in LISTS]
)
def test_every_documented_parameter_is_wired(operation_id, path, view, names):
    backends = getattr(view, "filter_backends", [])
    paginator = view.paginator
    for name in names:
        wired = (
            name in _declared_filters(view)
            or (
                name == SearchFilter.search_param
                and any(issubclass(b, SearchFilter) for b in backends)
                and bool(getattr(view, "search_fields", None))
            )
            or (name == IdListFilter.param and any(issubclass(b, IdListFilter) for b in backends))
            or (
                name == OrderingFilter.ordering_param
                and any(issubclass(b, OrderingFilter) for b in backends)
            )
            or name
            in {
                getattr(paginator, attribute, None)
                for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param")
            }
        )
        assert wired, f"{operation_id} documents `{name}`, which nothing reads"


@pytest.mark.parametrize(
    ("operation_id", "path", "view", "names"), LISTS, ids=[entry[0] for entry in LISTS]
)
def test_an_unknown_parameter_is_a_400_naming_it(seeded, operation_id, path, view, names):
    client, context = seeded
    url = url_for(client, context, path, operation_id)
    _, schema = _generated()
    client = caller(client, context, schema["paths"][path]["get"])
    known = {"page_size": 5} if "page_size" in names else {}  # not flagged with it
    response = client.get(url, {"frameworks": "hipaa", **known})
    assert response.status_code == 400, (operation_id, response.content[:300])
    errors = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [("frameworks", "unknown_parameter")], operation_id


@pytest.mark.django_db
class TestParameters:
    def test_search_is_refused_where_nothing_is_searched(self, admin_client):
        provider = ProviderFactory(organization=admin_client.organization)
        response = admin_client.get(f"/api/v1/providers/{provider.pk}/slas/?search=x")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "search"

    def test_format_is_accepted(self, admin_client):
        assert admin_client.get("/api/v1/providers/?format=json").status_code == 200

    def test_actions_with_parameters_of_their_own_refuse_others(self, seeded):
        client, context = seeded
        url = f"/api/v1/evaluations/{context['evaluation_pk']}/coverage/combinations/"
        assert client.get(url, {"max_size": 2}).status_code == 200
        response = client.get(url, {"max_sise": 2})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "max_sise"

    def test_object_routes_keep_their_own_parameters(self, admin_client):
        provider = ProviderFactory(organization=admin_client.organization)
        response = admin_client.get(f"/api/v1/providers/{provider.pk}/?format=json")
        assert response.status_code == 200


@pytest.mark.django_db
def test_references_filter_by_framework(admin_client):
    provider = ProviderFactory(organization=admin_client.organization)
    hipaa = ReferenceFactory(provider=provider, frameworks=["hipaa", "soc2"])
    ReferenceFactory(provider=provider, frameworks=["pci_dss"])
    ReferenceFactory(provider=provider, frameworks=[])
    url = f"/api/v1/providers/{provider.pk}/references/"
    response = admin_client.get(url, {"framework": "hipaa"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [hipaa.pk]
    assert admin_client.get(url, {"framework": "hippa"}).status_code == 400


@pytest.mark.django_db
def test_audit_filters(seeded):
    client, context = seeded
    evaluation_pk = context["evaluation_pk"]
    candidate = Candidate.objects.get(evaluation_id=evaluation_pk)
    other = Candidate.objects.create(
        evaluation_id=evaluation_pk,
        provider=Provider.objects.create(
            organization=context["organization"], name="Other", slug="other"
        ),
    )
    for code, about in (("SOC-01", candidate), ("SOC-02", candidate), ("SOC-01", other)):
        AuditEvent.objects.create(
            evaluation_id=evaluation_pk, action="answer.set", candidate=about, question_code=code
        )
    AuditEvent.objects.create(evaluation_id=evaluation_pk, action="status.change")
    url = f"/api/v1/evaluations/{evaluation_pk}/audit/"

    def found(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return [
            (e["action"], e["candidate"], e["question_code"]) for e in response.json()["results"]
        ]

    assert sorted(found(question_code="SOC-01")) == sorted(
        [("answer.set", candidate.pk, "SOC-01"), ("answer.set", other.pk, "SOC-01")]
    )
    assert found(question_code="SOC-01", candidate=other.pk) == [("answer.set", other.pk, "SOC-01")]
    assert found(action="status.change") == [("status.change", None, "")]
    assert client.get(url, {"candidate": "x"}).status_code == 400


def test_the_new_filters_are_documented():
    documented = {operation_id: set(names) for operation_id, _, _, names in LISTS}
    assert "framework" in documented["provider_references_list"]
    assert {"action", "candidate", "question_code"} <= documented["evaluations_audit"]
    assert "search" not in documented["provider_slas_list"]

"""The OpenAPI request schemas state the same cross-field rules the server applies.

For each payload, the verdict of the published schema (validated with
jsonschema) must match the server's: schema-valid bodies are accepted (or, for
a PATCH that clashes with stored values, a 409), schema-invalid ones are a 400.
"""

import copy

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.providers.factories import ProviderFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def components():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]


def to_json_schema(node, components):
    """OpenAPI 3.0 -> JSON Schema: inline $refs, turn `nullable` into a null branch."""
    if isinstance(node, list):
        return [to_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return to_json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    result = {
        key: to_json_schema(value, components)
        for key, value in node.items()
        if key not in ("nullable", "readOnly", "writeOnly", "example", "x-spec-enum-id")
    }
    if node.get("nullable"):
        return {"anyOf": [result, {"type": "null"}]}
    return result


def schema_accepts(components, name, payload) -> bool:
    schema = to_json_schema(copy.deepcopy(components[name]), components)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return validator.is_valid(payload)


PROVIDER_PAYLOADS = [
    {"name": "A"},
    {"name": "A", "service_models": ["mssp"]},
    {"name": "A", "service_models": ["mssp"], "soc_model": None},
    {"name": "A", "service_models": ["mssp", "msp"], "soc_model": "none"},
    {"name": "A", "soc_model": "third_party"},
    {"name": "A", "soc_model": "third_party", "third_party_soc_name": " "},
    {"name": "A", "soc_model": "hybrid", "third_party_soc_name": "Blue"},
    {"name": "A", "soc_model": "own", "third_party_soc_name": "Blue"},
    {"name": "A", "soc_model": "own", "third_party_soc_name": "\u3000"},
    {"name": "A", "soc_model": None, "third_party_soc_name": "Blue"},
    {"name": "A", "third_party_soc_name": "Blue"},
    {"name": "A", "third_party_soc_name": ""},
]

PATCH_PAYLOADS = [
    {},
    {"service_models": ["mssp"]},
    {"service_models": ["mssp"], "soc_model": None},
    {"soc_model": None},
    {"soc_model": "third_party"},
    {"soc_model": "third_party", "third_party_soc_name": ""},
    {"soc_model": "own"},
    {"soc_model": "own", "third_party_soc_name": "Blue"},
    {"third_party_soc_name": "Blue"},
    {"third_party_soc_name": ""},
]


@pytest.mark.parametrize("payload", PROVIDER_PAYLOADS)
def test_provider_create(admin_client, components, payload):
    status = admin_client.post("/api/v1/providers/", payload, format="json").status_code
    assert schema_accepts(components, "ProviderRequest", payload) == (status == 201), status


@pytest.mark.parametrize("payload", PATCH_PAYLOADS)
@pytest.mark.parametrize(
    "stored",
    [
        {"service_models": ["mssp"], "soc_model": "third_party", "third_party_soc_name": "Blue"},
        {"service_models": ["msp"], "soc_model": None},
        {"service_models": [], "soc_model": "own"},
    ],
)
def test_provider_patch(admin_client, organization, components, stored, payload):
    provider = ProviderFactory(organization=organization, **stored)
    response = admin_client.patch(f"/api/v1/providers/{provider.pk}/", payload, format="json")
    if schema_accepts(components, "PatchedProviderRequest", payload):
        assert response.status_code in (200, 409), response.content
    else:
        assert response.status_code == 400


CHILD_CASES = [
    ("capabilities", "OfferingRequest", {"capability": "mssp.edr"}),
    ("capabilities", "OfferingRequest", {"capability": "mssp.edr", "partner_name": "P"}),
    ("capabilities", "OfferingRequest", {"capability": "mssp.edr", "delivered_by": "partner"}),
    (
        "capabilities",
        "OfferingRequest",
        {"capability": "mssp.edr", "delivered_by": "partner", "partner_name": "P"},
    ),
    ("slas", "SlaTermRequest", {"metric": "uptime", "target_value": 99.9, "unit": "percent"}),
    ("slas", "SlaTermRequest", {"metric": "uptime", "target_value": 4, "unit": "hours"}),
    ("slas", "SlaTermRequest", {"metric": "patch_window", "target_value": 4, "unit": "percent"}),
    ("slas", "SlaTermRequest", {"metric": "other", "target_value": 100.5, "unit": "percent"}),
    ("slas", "SlaTermRequest", {"metric": "other", "target_value": 100.5, "unit": "days"}),
    (
        "slas",
        "SlaTermRequest",
        {"metric": "other", "target_value": 1, "unit": "days", "remedy_type": "escalation"},
    ),
    (
        "slas",
        "SlaTermRequest",
        {
            "metric": "other",
            "target_value": 1,
            "unit": "days",
            "remedy_type": "escalation",
            "remedy_details": "Call the director",
        },
    ),
    ("references", "ReferenceRequest", {"client_industry": "legal"}),
    ("references", "ReferenceRequest", {"client_industry": "legal", "verified_at": "2026-01-01"}),
    (
        "references",
        "ReferenceRequest",
        {"client_industry": "legal", "verified": True, "verified_at": "2026-01-01"},
    ),
    ("references", "ReferenceRequest", {"client_industry": "legal", "contactable": True}),
    (
        "references",
        "ReferenceRequest",
        {"client_industry": "legal", "contactable": True, "contact_phone": "  "},
    ),
    (
        "references",
        "ReferenceRequest",
        {"client_industry": "legal", "contactable": True, "contact_email": "a@b.example"},
    ),
]


@pytest.mark.parametrize(("resource", "component", "payload"), CHILD_CASES)
def test_children_create(admin_client, organization, components, resource, component, payload):
    provider = ProviderFactory(organization=organization)
    url = f"/api/v1/providers/{provider.pk}/{resource}/"
    status = admin_client.post(url, payload, format="json").status_code
    assert schema_accepts(components, component, payload) == (status == 201), status


@pytest.mark.parametrize(
    "payload",
    [{"verified_at": "2026-02-02"}, {"verified": False}, {"contact_email": ""}, {}],
)
def test_reference_patch(admin_client, organization, components, payload):
    reference = ReferenceFactory(provider=ProviderFactory(organization=organization))
    url = f"/api/v1/providers/{reference.provider_id}/references/{reference.pk}/"
    response = admin_client.patch(url, payload, format="json")
    assert schema_accepts(components, "PatchedReferenceRequest", payload)
    assert response.status_code in (200, 409)


def test_request_components_carry_the_rules(components):
    for name in ("ProviderRequest", "PatchedProviderRequest", "OfferingRequest"):
        assert components[name]["allOf"], name
    assert "allOf" not in components["ProviderDetail"]  # responses carry no rules

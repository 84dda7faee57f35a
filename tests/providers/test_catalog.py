"""The built-in capability catalog and its loader (pure, no database)."""

import dataclasses
import json

import pytest
import yaml

from providers.catalog import (
    CATALOG_PATH,
    Capability,
    CatalogError,
    capabilities_by_model,
    load_capability_catalog,
    parse_capability_catalog,
)
from providers.vocabulary import ServiceModel

EXPECTED_CODES = {
    ServiceModel.MSP: {
        "msp.help_desk",
        "msp.network_management",
        "msp.patch_management",
        "msp.device_management",
        "msp.cloud_administration",
        "msp.backup_continuity",
    },
    ServiceModel.MSSP: {
        "mssp.monitoring_detection",
        "mssp.edr",
        "mssp.firewall_ids",
        "mssp.vulnerability_management",
        "mssp.threat_intelligence",
        "mssp.incident_response",
        "mssp.compliance_reporting",
    },
    ServiceModel.VCISO: {
        "vciso.security_strategy",
        "vciso.risk_assessment",
        "vciso.grc_program",
        "vciso.policies_procedures",
        "vciso.executive_reporting",
        "vciso.vendor_risk",
        "vciso.framework_alignment",
        "vciso.insurance_audit_readiness",
    },
    ServiceModel.VCIO: {
        "vcio.it_roadmap",
        "vcio.it_budget",
        "vcio.vendor_management",
        "vcio.business_alignment",
        "vcio.it_governance",
    },
}


def entry(**overrides):
    base = {
        "code": "msp.help_desk",
        "service_model": "msp",
        "name": "Help desk",
        "description": "Answers user requests.",
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def doc(*entries, version=1):
    return {"version": version, "capabilities": list(entries)}


# --- the shipped catalog ---


def test_builtin_catalog_has_the_functions_of_every_service_model():
    grouped = capabilities_by_model(load_capability_catalog())
    assert {model: {c.code for c in caps} for model, caps in grouped.items()} == EXPECTED_CODES


def test_builtin_catalog_entries_are_complete_and_consistent():
    catalog = load_capability_catalog()
    assert len({c.code for c in catalog}) == len(catalog)
    for capability in catalog:
        assert isinstance(capability, Capability)
        assert isinstance(capability.service_model, ServiceModel)
        assert capability.code.startswith(f"{capability.service_model.value}.")
        assert capability.name.strip() == capability.name
        assert len(capability.description) > 40
        assert "\n" not in capability.description


def test_builtin_catalog_is_grouped_by_model_in_vocabulary_order():
    models = [c.service_model for c in load_capability_catalog()]
    order = list(ServiceModel)
    assert models == sorted(models, key=order.index)


def test_default_catalog_is_cached_and_immutable():
    first = load_capability_catalog()
    assert load_capability_catalog() is first
    assert isinstance(first, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first[0].name = "changed"


def test_explicit_path_matches_default():
    assert load_capability_catalog(CATALOG_PATH) == load_capability_catalog()


def test_to_dict_is_json_serialisable():
    data = [c.to_dict() for c in load_capability_catalog()]
    assert json.loads(json.dumps(data)) == data
    assert data[0]["service_model"] == "msp"


# --- validation ---


def test_parse_folds_whitespace():
    (cap,) = parse_capability_catalog(doc(entry(description="  two\n lines  ")))
    assert cap == Capability("msp.help_desk", "Help desk", "two lines", ServiceModel.MSP)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "mapping"),
        ({"capabilities": [entry()]}, "version"),
        (doc(entry(), version=2), "version"),
        (doc(entry(), version=True), "version"),
        ({"version": 1, "capabilities": [entry()], "extra": 1}, "unknown top-level"),
        ({"version": 1, "capabilities": []}, "non-empty list"),
        ({"version": 1, "capabilities": "msp.help_desk"}, "non-empty list"),
        (doc("msp.help_desk"), "mapping"),
        (doc(entry(code=None)), "'code'"),
        (doc(entry(name="   ")), "'name'"),
        (doc(entry(description=3)), "'description'"),
        (doc(entry(owner="x")), "unknown fields"),
        (doc(entry(service_model="soc")), "service_model must be one of"),
        (doc(entry(code="help_desk")), "code must look like"),
        (doc(entry(code="msp.Help-Desk")), "code must look like"),
        (doc(entry(code="mssp.help_desk")), "prefix"),
        (doc(entry(name="n" * 121)), "name is longer"),
        (doc(entry(description="d" * 1001)), "description is longer"),
        (doc(entry(), entry(name="Again")), "duplicate code 'msp.help_desk'"),
    ],
)
def test_invalid_catalogs_are_rejected(data, message):
    with pytest.raises(CatalogError, match=message):
        parse_capability_catalog(data)


def test_catalog_error_is_a_value_error():
    assert issubclass(CatalogError, ValueError)


def test_load_from_file(tmp_path):
    path = tmp_path / "caps.yaml"
    path.write_text(
        yaml.safe_dump(doc(entry(), entry(code="vcio.it_budget", service_model="vcio")))
    )
    catalog = load_capability_catalog(path)
    assert [c.code for c in catalog] == ["msp.help_desk", "vcio.it_budget"]
    assert catalog[1].service_model is ServiceModel.VCIO


def test_load_reports_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        load_capability_catalog(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("capabilities: [unclosed\n")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_capability_catalog(bad)


def test_capabilities_by_model_lists_every_model_even_when_empty():
    grouped = capabilities_by_model(parse_capability_catalog(doc(entry())))
    assert list(grouped) == list(ServiceModel)
    assert [c.code for c in grouped[ServiceModel.MSP]] == ["msp.help_desk"]
    assert grouped[ServiceModel.VCIO] == ()

"""Needs assessment: every rule and warning, packs, delivery, determinism."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needs import rules as needs_rules
from needs.assessment import (
    PACKS,
    RULES,
    WARNINGS,
    BuyerProfile,
    Priority,
    ProfileError,
    Signal,
    Verdict,
    assess_needs,
)
from providers.vocabulary import Delivery, Framework, Industry, ServiceModel

DOCS = Path(__file__).resolve().parents[2] / "docs" / "needs-assessment.md"
MSP, MSSP, VCISO, VCIO = ServiceModel.MSP, ServiceModel.MSSP, ServiceModel.VCISO, ServiceModel.VCIO


def profile(**overrides) -> BuyerProfile:
    data = {"industry": "other", "employee_count": 500}
    data.update(overrides)
    return BuyerProfile(**data)


def assess(**overrides):
    return assess_needs(profile(**overrides))


def fired(result) -> set[str]:
    ids = {r.rule_id for m in result.models for r in m.reasons}
    return ids | {r.rule_id for r in result.delivery.reasons}


def warning_ids(result) -> set[str]:
    return {w.warning_id for w in result.warnings}


# rule id -> (profile that triggers it, profile that does not)
RULE_CASES = {
    "it_operations_without_internal_it": (
        {"priorities": ["it_operations"]},
        {"priorities": ["it_operations"], "internal_it_staff": True},
    ),
    "no_internal_it_staff": ({}, {"internal_it_staff": True}),
    "it_operations_with_internal_it": (
        {"priorities": ["it_operations"], "internal_it_staff": True},
        {"internal_it_staff": True},
    ),
    "regulated_data_needs_security_ops": ({"regulated_data": True}, {}),
    "compliance_frameworks_need_program": ({"frameworks": ["soc2"]}, {}),
    "insurance_controls_need_security_ops": ({"cyber_insurance_controls": True}, {}),
    "healthcare_hipaa_obligations": ({"industry": "healthcare"}, {"industry": "retail"}),
    "financial_sec_finra_obligations": ({"industry": "financial_services"}, {}),
    "defense_cmmc_obligations": ({"industry": "defense"}, {"frameworks": ["iso_27001"]}),
    "manufacturing_ot_exposure": ({"industry": "manufacturing"}, {"industry": "technology"}),
    "legal_client_data_duty": ({"industry": "legal"}, {"industry": "professional_services"}),
    "protection_priority": ({"priorities": ["protection"]}, {"priorities": ["compliance"]}),
    "compliance_priority": ({"priorities": ["compliance"]}, {"priorities": ["protection"]}),
    "technology_strategy_priority": ({"priorities": ["technology_strategy"]}, {}),
    "board_visible_security_risk": ({"signals": ["board_visible_security_risk"]}, {}),
    "incident_exposed_gaps": ({"signals": ["incident_exposed_gaps"]}, {}),
    "security_team_without_leadership": (
        {"internal_security_team": True},
        {"internal_security_team": True, "security_leadership": True},
    ),
    "no_technology_strategy": ({"signals": ["no_technology_strategy"]}, {}),
    "reactive_it_spending": ({"signals": ["reactive_it_spending"]}, {}),
    "msp_needs_strategic_oversight": (
        {"engaged_service_models": ["msp"]},
        {"engaged_service_models": ["msp"], "it_strategy_owner": True},
    ),
    "major_technology_initiative": ({"signals": ["major_initiative"]}, {}),
    "multiple_frameworks": ({"signals": ["multiple_frameworks"]}, {"frameworks": ["soc2"]}),
    "rapid_growth_toward_executive_roles": ({"signals": ["rapid_growth"]}, {}),
    "regulated_governance_with_it_planning": (
        {"regulated_data": True, "signals": ["reactive_it_spending"]},
        {"signals": ["reactive_it_spending"]},
    ),
    "no_security_staff": ({}, {"internal_security_team": True}),
    "no_security_leadership": ({}, {"security_leadership": True}),
    "no_it_strategy_owner": ({}, {"it_strategy_owner": True}),
    "small_org_fractional_security": (
        {"employee_count": 40, "priorities": ["protection"]},
        {"employee_count": 40},
    ),
    "midsize_it_and_security_needs": (
        {"employee_count": 300, "regulated_data": True},
        {"employee_count": 300, "regulated_data": True, "it_strategy_owner": True},
    ),
    "in_house_security_team": ({"internal_security_team": True}, {}),
    "in_house_security_leadership": ({"security_leadership": True}, {}),
    "in_house_it_strategy_owner": ({"it_strategy_owner": True}, {}),
    "already_engaged": ({"engaged_service_models": ["mssp"]}, {}),
    "delivery_internal_it_staff": ({"internal_it_staff": True}, {}),
    "delivery_internal_security_team": ({"internal_security_team": True}, {}),
    "delivery_no_internal_staff": ({}, {"internal_it_staff": True}),
}


def test_every_rule_has_a_case_and_every_case_is_a_rule():
    assert set(RULE_CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_only_when_its_condition_holds(rule_id):
    triggering, quiet = RULE_CASES[rule_id]
    assert rule_id in fired(assess(**triggering))
    assert rule_id not in fired(assess(**quiet))


@pytest.mark.parametrize("rule", needs_rules.VERDICT_RULES, ids=lambda r: r.rule_id)
def test_floor_rule_raises_its_models_and_explains_them(rule):
    result = assess(**RULE_CASES[rule.rule_id][0])
    for model, level in rule.effects:
        assessment = result.model(model)
        assert assessment.verdict.rank >= level.rank
        assert rule.rule_id in [r.rule_id for r in assessment.reasons]


@pytest.mark.parametrize("rule", needs_rules.CAP_RULES, ids=lambda r: r.rule_id)
def test_cap_rule_lowers_an_obligation(rule):
    # Regulated data pushes MSSP and vCISO to required; vCIO is pushed by a signal.
    result = assess(
        regulated_data=True,
        signals=["no_technology_strategy", "rapid_growth"],
        **RULE_CASES[rule.rule_id][0],
    )
    for model, ceiling in rule.effects:
        assert result.verdict(model) == ceiling
        assert result.model(model).reasons[-1].rule_id == rule.rule_id


@pytest.mark.parametrize(
    ("framework", "rule_id"),
    [
        ("hipaa", "healthcare_hipaa_obligations"),
        ("sec_reg_sp", "financial_sec_finra_obligations"),
        ("finra", "financial_sec_finra_obligations"),
        ("cmmc", "defense_cmmc_obligations"),
        ("nist_800_171", "defense_cmmc_obligations"),
        ("aba_model_rules", "legal_client_data_duty"),
    ],
)
def test_industry_rules_also_fire_on_their_frameworks(framework, rule_id):
    assert rule_id in fired(assess(industry="retail", frameworks=[framework]))


def test_manufacturing_needs_mssp_but_not_by_itself_a_vciso():
    result = assess(industry="manufacturing")
    assert result.verdict(MSSP) == Verdict.REQUIRED
    assert result.verdict(VCISO) == Verdict.OPTIONAL


def test_multiple_frameworks_fires_on_two_listed_frameworks():
    assert "multiple_frameworks" in fired(assess(frameworks=["soc2", "iso_27001"]))


@pytest.mark.parametrize(("count", "fires"), [(1, True), (199, True), (200, False), (5000, False)])
def test_small_org_threshold(count, fires):
    result = assess(employee_count=count, priorities=["protection"])
    assert ("small_org_fractional_security" in fired(result)) is fires
    assert result.verdict(VCISO) == (Verdict.RECOMMENDED if fires else Verdict.OPTIONAL)


@pytest.mark.parametrize(("count", "fires"), [(99, False), (100, True), (999, True), (1000, False)])
def test_midsize_range(count, fires):
    result = assess(employee_count=count, regulated_data=True)
    assert ("midsize_it_and_security_needs" in fired(result)) is fires
    assert result.verdict(VCIO) == (Verdict.RECOMMENDED if fires else Verdict.OPTIONAL)


def test_midsize_rule_needs_no_security_leadership():
    result = assess(employee_count=300, regulated_data=True, security_leadership=True)
    assert "midsize_it_and_security_needs" not in fired(result)


def test_regulated_governance_rule_needs_a_planning_signal():
    assert "regulated_governance_with_it_planning" not in fired(assess(regulated_data=True))
    assert "regulated_governance_with_it_planning" in fired(
        assess(frameworks=["pci_dss"], signals=["major_initiative"])
    )


# --- verdicts in whole scenarios ---


def test_small_healthcare_practice_with_an_msp():
    result = assess(industry="healthcare", employee_count=40, engaged_service_models=["msp"])
    verdicts = {m.service_model: m.verdict for m in result.models}
    assert verdicts == {
        MSP: Verdict.RECOMMENDED,
        MSSP: Verdict.REQUIRED,
        VCISO: Verdict.REQUIRED,
        VCIO: Verdict.RECOMMENDED,
    }
    assert result.model(MSP).already_engaged
    assert result.model(MSP).reasons[-1].rule_id == "already_engaged"
    assert result.required_models == (MSSP, VCISO)
    assert result.needed_models == (MSP, MSSP, VCISO, VCIO)
    assert warning_ids(result) == set(WARNINGS)
    assert result.delivery.mode == Delivery.FULLY_MANAGED


def test_fully_staffed_buyer_needs_nothing():
    result = assess(
        internal_it_staff=True,
        internal_security_team=True,
        security_leadership=True,
        it_strategy_owner=True,
    )
    assert all(m.verdict == Verdict.NOT_NEEDED for m in result.models)
    assert result.model(MSP).reasons == ()
    assert result.warnings == ()
    assert result.delivery.mode == Delivery.CO_MANAGED
    assert [r.rule_id for r in result.delivery.reasons] == [
        "delivery_internal_it_staff",
        "delivery_internal_security_team",
    ]


def test_engaged_model_keeps_its_verdict():
    before = assess(regulated_data=True)
    after = assess(regulated_data=True, engaged_service_models=["mssp", "vciso"])
    assert after.verdict(MSSP) == before.verdict(MSSP) == Verdict.REQUIRED
    assert after.model(VCISO).already_engaged and not before.model(VCISO).already_engaged
    not_needed = assess(
        internal_it_staff=True, it_strategy_owner=True, engaged_service_models=["vcio"]
    )
    assert not_needed.verdict(VCIO) == Verdict.NOT_NEEDED
    assert [r.rule_id for r in not_needed.model(VCIO).reasons] == [
        "in_house_it_strategy_owner",
        "already_engaged",
    ]


def test_reasons_list_the_strongest_first():
    result = assess(regulated_data=True, priorities=["protection"], employee_count=50)
    assert [r.rule_id for r in result.model(MSSP).reasons] == [
        "regulated_data_needs_security_ops",
        "protection_priority",
        "small_org_fractional_security",
        "no_security_staff",
    ]


def test_internal_it_staff_means_co_managed():
    result = assess(internal_it_staff=True, regulated_data=True)
    assert result.delivery.mode == Delivery.CO_MANAGED
    assert result.delivery.reasons[0].explanation == RULES["delivery_internal_it_staff"]


# --- warnings ---

WARNING_CASES = {
    "msp_relied_on_for_security": [
        (
            {"regulated_data": True, "engaged_service_models": ["msp"], "internal_it_staff": True},
            True,
        ),
        ({"regulated_data": True}, True),  # no IT staff: an MSP is needed, no MSSP engaged
        ({"regulated_data": True, "engaged_service_models": ["msp", "mssp"]}, False),
        ({"regulated_data": True, "internal_security_team": True}, False),
        ({"regulated_data": True, "internal_it_staff": True}, False),  # nobody leans on an MSP
        ({"engaged_service_models": ["msp"]}, False),  # security not needed
    ],
    "vciso_without_security_operations": [
        ({"signals": ["board_visible_security_risk"]}, True),
        ({"security_leadership": True, "engaged_service_models": ["vciso"]}, True),
        ({"signals": ["board_visible_security_risk"], "engaged_service_models": ["mssp"]}, False),
        ({"signals": ["board_visible_security_risk"], "internal_security_team": True}, False),
        ({}, False),  # vCISO only optional and not engaged
    ],
    "one_provider_for_everything": [
        ({"regulated_data": True, "internal_it_staff": True}, True),
        ({}, False),  # only the MSP is needed
        ({"internal_it_staff": True}, False),
    ],
}


def test_every_warning_has_cases():
    assert set(WARNING_CASES) == set(WARNINGS)


@pytest.mark.parametrize(
    ("warning_id", "overrides", "expected"),
    [(wid, o, e) for wid, cases in WARNING_CASES.items() for o, e in cases],
)
def test_warning(warning_id, overrides, expected):
    result = assess(**overrides)
    assert (warning_id in warning_ids(result)) is expected
    for warning in result.warnings:
        assert warning.explanation == WARNINGS[warning.warning_id]


def test_one_provider_warning_names_the_needed_models():
    result = assess(regulated_data=True, internal_it_staff=True, employee_count=1500)
    (warning,) = [w for w in result.warnings if w.warning_id == "one_provider_for_everything"]
    assert warning.service_models == (MSSP, VCISO)


# --- packs ---


@pytest.mark.parametrize(
    ("overrides", "packs"),
    [
        ({}, ["provider-vetting"]),
        ({"industry": "retail", "frameworks": ["pci_dss"]}, ["provider-vetting"]),
        # two frameworks call for a vCIO as well (multiple_frameworks)
        ({"frameworks": ["soc2", "gdpr"]}, ["provider-vetting", "pack-vcio"]),
        ({"industry": "healthcare"}, ["provider-vetting", "pack-healthcare"]),
        ({"industry": "financial_services"}, ["provider-vetting", "pack-financial"]),
        ({"industry": "defense"}, ["provider-vetting", "pack-defense"]),
        ({"industry": "manufacturing"}, ["provider-vetting", "pack-manufacturing"]),
        ({"industry": "legal"}, ["provider-vetting", "pack-legal"]),
        ({"frameworks": ["hipaa"]}, ["provider-vetting", "pack-healthcare"]),
        ({"frameworks": ["cmmc"]}, ["provider-vetting", "pack-defense"]),
        ({"frameworks": ["nist_800_171"]}, ["provider-vetting", "pack-defense"]),
        ({"frameworks": ["sec_reg_sp"]}, ["provider-vetting", "pack-financial"]),
        ({"frameworks": ["finra"]}, ["provider-vetting", "pack-financial"]),
        ({"frameworks": ["aba_model_rules"]}, ["provider-vetting", "pack-legal"]),
        ({"signals": ["major_initiative"]}, ["provider-vetting", "pack-vcio"]),
        ({"priorities": ["technology_strategy"], "it_strategy_owner": True}, ["provider-vetting"]),
        (
            {"industry": "legal", "frameworks": ["hipaa", "cmmc"], "signals": ["rapid_growth"]},
            [
                "provider-vetting",
                "pack-healthcare",
                "pack-defense",
                "pack-legal",
                "pack-vcio",
            ],
        ),
    ],
)
def test_pack_selection(overrides, packs):
    result = assess(**({"employee_count": 2000} | overrides))
    assert list(result.pack_codes) == packs
    assert set(packs) <= set(PACKS)


def test_pack_triggers_are_merged():
    result = assess(industry="healthcare", frameworks=["hipaa"], signals=["reactive_it_spending"])
    triggers = {p.code: p.triggers for p in result.packs}
    assert triggers == {
        "provider-vetting": ("always",),
        "pack-healthcare": ("industry:healthcare", "framework:hipaa"),
        "pack-vcio": ("verdict:vcio",),
    }


# --- profile validation ---


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"industry": "mining"}, "industry"),
        ({"employee_count": 0}, "employee_count"),
        ({"employee_count": True}, "employee_count"),
        ({"employee_count": "12"}, "employee_count"),
        ({"employee_count": 10_000_001}, "employee_count"),
        ({"regulated_data": "yes"}, "regulated_data"),
        ({"security_leadership": 1}, "security_leadership"),
        ({"frameworks": "hipaa"}, "frameworks"),
        ({"frameworks": ["hipaa", "sox"]}, "frameworks"),
        ({"priorities": ["speed"]}, "priorities"),
        ({"signals": 3}, "signals"),
        ({"engaged_service_models": ["noc"]}, "engaged_service_models"),
    ],
)
def test_invalid_profiles_are_rejected(overrides, field):
    with pytest.raises(ProfileError) as info:
        profile(**overrides)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


def test_profile_lists_are_normalised():
    p = profile(frameworks=["soc2", "hipaa", "soc2"], signals={"rapid_growth"})
    assert p.frameworks == (Framework.HIPAA, Framework.SOC2)
    assert p.signals == (Signal.RAPID_GROWTH,)
    assert p.industry is Industry.OTHER


def test_profile_from_dict_and_to_dict_round_trip():
    data = {
        "industry": "legal",
        "employee_count": 80,
        "regulated_data": True,
        "frameworks": ["aba_model_rules"],
        "priorities": ["protection", "compliance"],
        "engaged_service_models": ["msp"],
    }
    p = BuyerProfile.from_dict(data)
    assert p.priorities == (Priority.PROTECTION, Priority.COMPLIANCE)
    assert BuyerProfile.from_dict(p.to_dict()) == p
    assert json.loads(json.dumps(p.to_dict()))["industry"] == "legal"
    with pytest.raises(ProfileError, match="unknown field") as info:
        BuyerProfile.from_dict({**data, "budget": 1})
    assert info.value.field == "budget"
    with pytest.raises(ProfileError) as info:
        BuyerProfile.from_dict({"industry": "legal"})
    assert info.value.field == "employee_count"


# --- registry, docs, determinism ---


def test_registries_are_read_only_and_ids_unique():
    ids = [r.rule_id for r in (*needs_rules.VERDICT_RULES, *needs_rules.CAP_RULES)]
    assert len(ids) == len(set(ids))
    assert all(text and "  " not in text for text in (*RULES.values(), *WARNINGS.values()))
    with pytest.raises(TypeError):
        RULES["new"] = "x"
    with pytest.raises(TypeError):
        WARNINGS["new"] = "x"


def test_docs_mention_every_rule_and_warning():
    text = DOCS.read_text(encoding="utf-8")
    for identifier in (*RULES, *WARNINGS, *PACKS):
        assert f"`{identifier}`" in text, identifier


def test_same_profile_gives_same_json_whatever_the_input_order():
    lists = {
        "frameworks": ["hipaa", "soc2", "pci_dss"],
        "priorities": ["protection", "compliance", "it_operations"],
        "signals": ["rapid_growth", "major_initiative", "incident_exposed_gaps"],
        "engaged_service_models": ["msp", "vcio"],
    }
    expected = json.dumps(assess(industry="healthcare", **lists).to_dict())
    for shift in range(1, 4):
        shuffled = {key: values[shift:] + values[:shift] for key, values in lists.items()}
        shuffled["frameworks"].reverse()
        assert json.dumps(assess(industry="healthcare", **shuffled).to_dict()) == expected


profiles = st.builds(
    BuyerProfile,
    industry=st.sampled_from(list(Industry)),
    employee_count=st.integers(min_value=1, max_value=5000),
    regulated_data=st.booleans(),
    frameworks=st.lists(st.sampled_from(list(Framework))),
    cyber_insurance_controls=st.booleans(),
    internal_it_staff=st.booleans(),
    internal_security_team=st.booleans(),
    security_leadership=st.booleans(),
    it_strategy_owner=st.booleans(),
    priorities=st.lists(st.sampled_from(list(Priority))),
    signals=st.lists(st.sampled_from(list(Signal))),
    engaged_service_models=st.lists(st.sampled_from(list(ServiceModel))),
)


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_assessment_invariants(p):
    result = assess_needs(p)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert assess_needs(p).to_dict() == data
    assert [m.service_model for m in result.models] == list(ServiceModel)
    for m in result.models:
        assert all(r.rule_id in RULES and r.explanation == RULES[r.rule_id] for r in m.reasons)
        if m.verdict != Verdict.NOT_NEEDED:
            assert m.reasons, m
        assert m.already_engaged == (m.service_model in p.engaged_service_models)
    assert result.pack_codes[0] == "provider-vetting"
    assert result.delivery.mode == (
        Delivery.CO_MANAGED
        if p.internal_it_staff or p.internal_security_team
        else Delivery.FULLY_MANAGED
    )


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_obligations_never_lower_a_verdict(p):
    base = assess_needs(p)
    data = p.to_dict() | {"regulated_data": True, "cyber_insurance_controls": True}
    stricter = assess_needs(BuyerProfile.from_dict(data))
    for before, after in zip(base.models, stricter.models, strict=True):
        assert after.verdict.rank >= before.verdict.rank

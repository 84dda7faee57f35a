"""Coverage-gap analysis of candidate mixes and the combination search."""

import json
from dataclasses import dataclass
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.coverage import (
    FINDINGS,
    HANDOFF_RISK,
    HANDOFF_SPLIT_DEFINED,
    MAX_COMBINATION_SIZE,
    MAX_COMBINATIONS_LIMIT,
    Candidate,
    CoverageStatus,
    DeliveredBy,
    Offering,
    analyze_coverage,
    find_complete_combinations,
)
from providers.catalog import load_capability_catalog
from providers.vocabulary import ServiceModel


@dataclass(frozen=True)
class Cap:
    code: str
    name: str
    service_model: str


CATALOG = (
    Cap("msp.help_desk", "Help desk", "msp"),
    Cap("mssp.monitoring", "Monitoring", "mssp"),
    Cap("mssp.response", "Incident response", "mssp"),
    Cap("vciso.policies", "Policies", "vciso"),
    Cap("vciso.risk", "Risk assessment", "vciso"),
)
SECURITY = ("mssp", "vciso")


def cand(cid, *offers, models=()):
    """Offers are codes (delivered by the candidate itself) or (code, partner_name)."""
    offerings = [
        Offering(o) if isinstance(o, str) else Offering(o[0], DeliveredBy.PARTNER, o[1])
        for o in offers
    ]
    return Candidate(id=cid, name=f"Firm {cid}", service_models=models, offerings=offerings)


SOC = cand("soc", "mssp.monitoring", "mssp.response")
ADVISOR = cand("adv", "vciso.policies", ("vciso.risk", "RiskCo"))
BOTH = cand("both", "mssp.monitoring", "mssp.response", "vciso.policies", "vciso.risk")


def statuses(result):
    return {c.code: c.status for c in result.capabilities}


# --- one combination ---


def test_statuses_for_a_two_firm_mix():
    result = analyze_coverage(SECURITY, CATALOG, [SOC, ADVISOR])
    assert statuses(result) == {
        "mssp.monitoring": CoverageStatus.IN_HOUSE,
        "mssp.response": CoverageStatus.IN_HOUSE,
        "vciso.policies": CoverageStatus.IN_HOUSE,
        "vciso.risk": CoverageStatus.PARTNER_ONLY,
    }
    assert result.complete
    assert result.partner_only == ("vciso.risk",)
    (risk,) = [c for c in result.capabilities if c.code == "vciso.risk"]
    assert risk.providers[0].partner_name == "RiskCo"
    assert risk.providers[0].delivered_by is DeliveredBy.PARTNER


def test_only_required_models_are_analysed_in_model_order():
    result = analyze_coverage(["vciso", "msp"], CATALOG, [BOTH])
    assert [c.code for c in result.capabilities] == [
        "msp.help_desk",
        "vciso.policies",
        "vciso.risk",
    ]
    assert result.required_models == (ServiceModel.MSP, ServiceModel.VCISO)


def test_gaps_are_reported():
    result = analyze_coverage(SECURITY, CATALOG, [SOC])
    assert result.gaps == ("vciso.policies", "vciso.risk")
    assert not result.complete
    empty = analyze_coverage(SECURITY, CATALOG, [])
    assert len(empty.gaps) == 4 and empty.candidate_ids == ()


def test_overlap_needs_two_firms_and_at_least_one_delivering_itself():
    partner_soc = cand("p", ("mssp.monitoring", "SOC-as-a-service"))
    other_partner = cand("q", ("mssp.monitoring", "Another SOC"))
    assert statuses(analyze_coverage(["mssp"], CATALOG, [SOC, BOTH]))["mssp.monitoring"] == (
        CoverageStatus.OVERLAP
    )
    mixed = analyze_coverage(["mssp"], CATALOG, [SOC, partner_soc])
    assert mixed.overlaps == ("mssp.monitoring",)
    assert [p.candidate_id for p in mixed.capabilities[0].providers] == ["soc", "p"]
    both_partners = analyze_coverage(["mssp"], CATALOG, [partner_soc, other_partner])
    assert statuses(both_partners)["mssp.monitoring"] == CoverageStatus.PARTNER_ONLY
    assert both_partners.in_house == ()


def test_a_firm_listing_a_capability_twice_counts_once_and_self_wins():
    firm = cand("f", ("mssp.monitoring", "X"), "mssp.monitoring", "mssp.response")
    result = analyze_coverage(["mssp"], CATALOG, [firm])
    assert result.in_house == ("mssp.monitoring", "mssp.response")
    assert result.capabilities[0].providers[0].partner_name is None


def test_unknown_capability_codes_are_listed_and_ignored():
    firm = cand("f", "mssp.monitoring", "mssp.quantum", "aaa.zzz")
    result = analyze_coverage(["mssp"], CATALOG, [firm])
    assert result.unknown_capability_codes == ("aaa.zzz", "mssp.quantum")
    assert result.gaps == ("mssp.response",)


# --- hand-off between vCISO and MSSP ---


def test_handoff_risk_when_vciso_and_mssp_come_from_different_firms():
    result = analyze_coverage(SECURITY, CATALOG, [SOC, ADVISOR])
    assert result.handoff_risk
    (finding,) = result.findings
    assert finding.finding_id == HANDOFF_RISK
    assert finding.candidate_ids == ("soc", "adv")
    assert finding.explanation == FINDINGS[HANDOFF_RISK]


def test_no_handoff_risk_when_one_firm_covers_both():
    assert analyze_coverage(SECURITY, CATALOG, [BOTH]).findings == ()
    # An extra MSSP next to a firm doing both still leaves one accountable firm.
    assert not analyze_coverage(SECURITY, CATALOG, [BOTH, SOC]).handoff_risk
    # Declared service models count even without itemised offerings.
    declared = cand("d", "vciso.policies", models=["vciso", "mssp"])
    assert not analyze_coverage(SECURITY, CATALOG, [declared, SOC]).handoff_risk


def test_no_handoff_risk_when_one_side_is_missing():
    assert not analyze_coverage(SECURITY, CATALOG, [SOC]).handoff_risk
    assert not analyze_coverage(SECURITY, CATALOG, [ADVISOR]).handoff_risk


def test_defined_handoff_turns_the_risk_into_a_note():
    result = analyze_coverage(SECURITY, CATALOG, [SOC, ADVISOR], handoff_defined=True)
    assert not result.handoff_risk
    assert [f.finding_id for f in result.findings] == [HANDOFF_SPLIT_DEFINED]


def test_handoff_risk_counts_declared_models():
    msp_with_soc = cand("m", "msp.help_desk", models=["msp", "mssp"])
    assert analyze_coverage(["msp"], CATALOG, [msp_with_soc, ADVISOR]).handoff_risk


# --- inputs and output ---


def test_offerings_accept_tuples_and_mappings():
    firm = Candidate(
        id=7,
        name="Seven",
        service_models=["vciso", "mssp", "mssp"],
        offerings=[
            ("mssp.monitoring", "partner", "SOC Inc"),
            {"capability_code": "vciso.risk", "delivered_by": "self", "partner_name": "ignored"},
        ],
    )
    assert firm.service_models == (ServiceModel.MSSP, ServiceModel.VCISO)
    assert firm.offerings[0] == Offering("mssp.monitoring", DeliveredBy.PARTNER, "SOC Inc")
    assert firm.offerings[1].partner_name is None
    assert Offering("mssp.monitoring", "partner", "").partner_name is None


@pytest.mark.parametrize(
    "build",
    [
        lambda: Offering("mssp.monitoring", "reseller"),
        lambda: Candidate(id=1, name="x", service_models=["soc"]),
        lambda: analyze_coverage(SECURITY, CATALOG, [SOC, SOC]),
        lambda: analyze_coverage(["noc"], CATALOG, [SOC]),
    ],
)
def test_bad_input_raises_value_error(build):
    with pytest.raises(ValueError):
        build()


def test_to_dict_is_json_and_summarises():
    data = analyze_coverage(SECURITY, CATALOG, [SOC, ADVISOR]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["summary"] == {
        "gap": [],
        "partner_only": ["vciso.risk"],
        "overlap": [],
        "in_house": ["mssp.monitoring", "mssp.response", "vciso.policies"],
    }
    assert data["handoff_risk"] is True
    assert data["capabilities"][3]["providers"][0] == {
        "candidate_id": "adv",
        "candidate_name": "Firm adv",
        "delivered_by": "partner",
        "partner_name": "RiskCo",
    }


def test_works_with_the_builtin_catalog():
    catalog = load_capability_catalog()
    everything = Candidate(
        id="all", name="All-in-one", offerings=[Offering(c.code) for c in catalog]
    )
    result = analyze_coverage(list(ServiceModel), catalog, [everything])
    assert result.complete and len(result.in_house) == len(catalog)
    assert not result.handoff_risk


# --- combination search ---


def ids(search):
    return [r.candidate_ids for r in search.results]


def test_search_orders_by_size_then_partner_only():
    search = find_complete_combinations(SECURITY, CATALOG, [SOC, ADVISOR, BOTH])
    assert ids(search) == [
        ("both",),
        ("soc", "both"),
        ("adv", "both"),
        ("soc", "adv"),
        ("soc", "adv", "both"),
    ]
    assert [len(r.partner_only) for r in search.results] == [0, 0, 0, 1, 0]
    assert all(r.complete for r in search.results)
    assert search.results[3].handoff_risk
    assert not search.truncated and search.examined == search.total_combinations == 7


def test_search_prefers_no_handoff_risk_then_fewer_overlaps():
    advisor_in_house = cand("adv2", "vciso.policies", "vciso.risk")
    soc_plus = cand("soc2", "mssp.monitoring", "mssp.response", "vciso.policies", "vciso.risk")
    search = find_complete_combinations(SECURITY, CATALOG, [SOC, advisor_in_house, soc_plus])
    assert ids(search)[:2] == [("soc2",), ("soc", "soc2")]
    pairs = [r for r in search.results if len(r.candidate_ids) == 2]
    assert [r.handoff_risk for r in pairs] == [False, False, True]


def test_search_skips_candidates_that_cover_nothing_required():
    helpdesk = cand("hd", "msp.help_desk")
    search = find_complete_combinations(SECURITY, CATALOG, [helpdesk, SOC, ADVISOR])
    assert ids(search) == [("soc", "adv")]
    assert search.total_combinations == 3


def test_search_finds_nothing_when_a_capability_is_never_offered():
    search = find_complete_combinations(SECURITY, CATALOG, [SOC, cand("a", "vciso.risk")])
    assert search.results == ()
    assert find_complete_combinations([], CATALOG, [SOC]).results == ()


def test_search_respects_max_size():
    singles = [cand(f"c{i}", code) for i, code in enumerate(c.code for c in CATALOG[1:])]
    assert find_complete_combinations(SECURITY, CATALOG, singles, max_size=3).results == ()
    search = find_complete_combinations(SECURITY, CATALOG, singles, max_size=4)
    assert ids(search) == [("c0", "c1", "c2", "c3")]


def test_search_truncates_at_max_combinations_smallest_first():
    many = [cand(f"s{i}", "mssp.monitoring", "mssp.response") for i in range(30)]
    search = find_complete_combinations(["mssp"], CATALOG, many, max_combinations=40)
    assert search.truncated and search.examined == 40
    assert search.total_combinations == 30 + 435 + 4060
    assert len(search.results) == 20  # default max_results
    assert all(len(r.candidate_ids) == 1 for r in search.results)
    small = find_complete_combinations(["mssp"], CATALOG, many, max_results=3)
    assert ids(small) == [("s0",), ("s1",), ("s2",)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_size": 0},
        {"max_size": MAX_COMBINATION_SIZE + 1},
        {"max_size": True},
        {"max_combinations": 0},
        {"max_combinations": MAX_COMBINATIONS_LIMIT + 1},
        {"max_results": 0},
        {"max_results": 101},
    ],
)
def test_search_bounds_are_enforced(kwargs):
    with pytest.raises(ValueError):
        find_complete_combinations(SECURITY, CATALOG, [SOC], **kwargs)


def test_search_result_to_dict():
    data = find_complete_combinations(SECURITY, CATALOG, [SOC, ADVISOR]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["results"][0]["candidate_ids"] == ["soc", "adv"]
    assert {"max_size", "total_combinations", "examined", "truncated"} <= set(data)


offer = st.tuples(
    st.sampled_from([c.code for c in CATALOG] + ["zzz.unknown"]),
    st.sampled_from(["self", "partner"]),
    st.sampled_from([None, "P1", "P2"]),
)
pools = st.lists(st.lists(offer, max_size=5), min_size=0, max_size=6)


@settings(max_examples=150, deadline=None)
@given(pools, st.sets(st.sampled_from(list(ServiceModel))), st.integers(1, 3))
def test_search_matches_brute_force(pool, models, max_size):
    candidates = [Candidate(id=i, name=f"c{i}", offerings=o) for i, o in enumerate(pool)]
    search = find_complete_combinations(
        models, CATALOG, candidates, max_size=max_size, max_results=100
    )
    required = {c.code for c in CATALOG if c.service_model in models}
    expected = set()
    for k in range(1, max_size + 1):
        for combo in combinations(candidates, k):
            result = analyze_coverage(models, CATALOG, list(combo))
            useful = all({o.capability_code for o in c.offerings} & required for c in combo)
            if result.complete and useful and required:
                expected.add(result.candidate_ids)
    assert set(ids(search)) == expected
    keys = [(len(r.candidate_ids), len(r.partner_only)) for r in search.results]
    assert keys == sorted(keys)
    assert (
        find_complete_combinations(models, CATALOG, candidates, max_size=max_size, max_results=100)
        == search
    )

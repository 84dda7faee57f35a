"""The pure prefill module: each source's value and note, mappings, and record conflicts."""

from dataclasses import replace

import pytest

from questionnaires.prefill import (
    DocumentRow,
    OfferingRow,
    ProviderRecord,
    ReferenceRow,
    SlaRow,
    conflict_for,
    for_buyer,
    prefill_for,
    record_code_for,
    record_value,
)
from questionnaires.prefill_sources import SOURCES

EMPTY = for_buyer(
    ProviderRecord(
        soc_model=None, frameworks=(), references=(), slas=(), sample_reports=(), offerings=()
    ),
    "healthcare",
    ["hipaa"],
)
SOC = {"source": "provider.soc_model", "values": {"own": "own", "third_party": "resold"}}
SOC_OPTIONS = ["own", "resold", "declined"]
REFS = {
    "source": "references.buyer_industry",
    "values": {"same_regime": "yes_regime", "same_industry": "yes", "not_contactable": "no_ref"},
}


def record(**fields) -> ProviderRecord:
    return replace(EMPTY, **fields)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_an_empty_record_prefills_nothing(source):
    assert record_value(source, EMPTY) is None


def test_soc_model_maps_to_the_option():
    found = prefill_for(SOC, "single_choice", SOC_OPTIONS, record(soc_model="third_party"))
    assert (found.value, found.note) == ("resold", "SOC model third_party")


def test_a_code_mapped_to_no_option_prefills_nothing():
    assert prefill_for(SOC, "single_choice", SOC_OPTIONS, record(soc_model="hybrid")) is None


def test_a_mapping_that_does_not_fit_the_kind_prefills_nothing():
    assert prefill_for(SOC, "multi_choice", SOC_OPTIONS, record(soc_model="own")) is None
    assert prefill_for(None, "single_choice", SOC_OPTIONS, record(soc_model="own")) is None


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        ((ReferenceRow("healthcare", ("hipaa", "soc2"), True),), "yes_regime"),
        ((ReferenceRow("healthcare", ("soc2",), True),), "yes"),
        ((ReferenceRow("healthcare", ("hipaa",), False),), "no_ref"),
        ((ReferenceRow("legal", ("hipaa",), True),), None),
    ],
)
def test_references_in_the_buyers_industry_and_regime(references, expected):
    found = prefill_for(
        REFS, "single_choice", ["yes_regime", "yes", "no_ref"], record(references=references)
    )
    assert (found.value if found else None) == expected


def test_reference_note_counts_what_it_saw():
    refs = (
        ReferenceRow("healthcare", ("hipaa",), True),
        ReferenceRow("healthcare", (), False),
        ReferenceRow("retail", ("hipaa",), True),
    )
    assert record_value("references.buyer_industry", record(references=refs)).note == (
        "2 reference(s) in healthcare, 1 contactable, 1 under the evaluation's frameworks"
    )


def test_frameworks_of_the_provider_and_its_references_in_question_order():
    mapping = {"source": "provider.frameworks", "values": {"hipaa": "h", "soc2": "s", "gdpr": "g"}}
    rec = record(
        frameworks=("soc2",), references=(ReferenceRow("retail", ("hipaa", "pci_dss"), False),)
    )
    found = prefill_for(mapping, "multi_choice", ["g", "h", "s"], rec)
    assert found.value == ["h", "s"]
    assert found.note == "frameworks hipaa, pci_dss, soc2"


def test_sla_remedy_only_when_the_terms_agree():
    mapping = {"source": "slas.remedy", "values": {"service_credit": "credits", "none": "nothing"}}
    agree = (
        SlaRow("uptime", 99.9, "percent", "service_credit"),
        SlaRow("time_to_resolve", 4, "hours", "service_credit"),
    )
    assert (
        prefill_for(mapping, "single_choice", ["credits", "nothing"], record(slas=agree)).value
        == "credits"
    )
    differ = (*agree, SlaRow("patch_window", 14, "days", "none"))
    assert (
        prefill_for(mapping, "single_choice", ["credits", "nothing"], record(slas=differ)) is None
    )


def test_sla_time_targets_in_minutes():
    mapping = {"source": "slas.incident_response_time"}
    hours = record(slas=(SlaRow("incident_response_time", 0.25, "hours", "none"),))
    found = prefill_for(mapping, "number", [], hours)
    assert (found.value, found.note) == (15, "incident response time 15 minutes")
    percent = record(slas=(SlaRow("incident_response_time", 99, "percent", "none"),))
    assert prefill_for(mapping, "number", [], percent) is None
    two = record(
        slas=(
            SlaRow("incident_response_time", 15, "minutes", "none"),
            SlaRow("incident_response_time", 1, "hours", "none"),
        )
    )
    assert prefill_for(mapping, "number", [], two) is None


def test_sample_reports_are_cited_newest_first_as_given():
    rec = record(sample_reports=(DocumentRow(9, "May report"), DocumentRow(4, "April report")))
    found = prefill_for({"source": "documents.sample_report"}, "evidence", [], rec)
    assert found.value == [9, 4]
    assert found.note == "sample report 'May report' (document 9); 'April report' (document 4)"


def test_capabilities_offered_map_to_options():
    mapping = {
        "source": "capabilities.offered",
        "values": {"mssp.edr": "edr", "mssp.firewall_ids": "fw"},
    }
    rec = record(
        offerings=(
            OfferingRow("mssp.firewall_ids", ""),
            OfferingRow("mssp.edr", "Acme"),
            OfferingRow("msp.help_desk", ""),
        )
    )
    assert prefill_for(mapping, "multi_choice", ["edr", "fw"], rec).value == ["edr", "fw"]
    only_unmapped = record(offerings=(OfferingRow("msp.help_desk", ""),))
    assert prefill_for(mapping, "multi_choice", ["edr", "fw"], only_unmapped) is None


def test_partner_delivery_as_a_choice_and_as_a_boolean():
    mapping = {
        "source": "capabilities.partner_delivered",
        "values": {"self_only": "own", "partner": "named"},
    }
    partner = record(offerings=(OfferingRow("mssp.edr", "Acme"), OfferingRow("msp.help_desk", "")))
    alone = record(offerings=(OfferingRow("msp.help_desk", ""),))
    found = prefill_for(mapping, "single_choice", ["own", "named"], partner)
    assert (found.value, found.note) == ("named", "some capabilities delivered by partners: Acme")
    assert prefill_for(mapping, "single_choice", ["own", "named"], alone).value == "own"
    boolean = {"source": "capabilities.partner_delivered"}
    assert prefill_for(boolean, "boolean", [], partner).value is True
    assert prefill_for(boolean, "boolean", [], alone).value is False


# --- conflicts ---------------------------------------------------------------


def test_an_answer_contradicting_the_soc_model_is_a_conflict():
    found = conflict_for(SOC, "single_choice", SOC_OPTIONS, "own", record(soc_model="third_party"))
    assert (found.answer, found.record_value, found.expected) == ("own", "third_party", "resold")
    assert found.note == "SOC model third_party"


@pytest.mark.parametrize(
    ("answer", "soc_model"),
    [
        ("resold", "third_party"),  # agrees
        ("declined", "third_party"),  # an option no code maps to says nothing the record can
        ("own", None),  # the record holds nothing
        ("own", "hybrid"),  # the record's code maps to no option
        (None, "third_party"),  # unanswered
    ],
)
def test_no_conflict(answer, soc_model):
    assert (
        conflict_for(SOC, "single_choice", SOC_OPTIONS, answer, record(soc_model=soc_model)) is None
    )


def test_number_and_boolean_conflicts():
    rec = record(
        slas=(SlaRow("incident_response_time", 1, "hours", "none"),),
        offerings=(OfferingRow("mssp.edr", "Acme"),),
    )
    mapping = {"source": "slas.incident_response_time"}
    assert conflict_for(mapping, "number", [], 15, rec).expected == 60
    assert conflict_for(mapping, "number", [], 60.0, rec) is None
    boolean = {"source": "capabilities.partner_delivered"}
    assert conflict_for(boolean, "boolean", [], False, rec).expected is True
    assert conflict_for(boolean, "boolean", [], True, rec) is None


def test_lists_and_evidence_are_never_compared():
    rec = record(offerings=(OfferingRow("mssp.edr", ""),), sample_reports=(DocumentRow(1, "r"),))
    offered = {
        "source": "capabilities.offered",
        "values": {"mssp.edr": "edr", "mssp.firewall_ids": "fw"},
    }
    assert conflict_for(offered, "multi_choice", ["edr", "fw"], ["fw"], rec) is None
    assert conflict_for({"source": "documents.sample_report"}, "evidence", [], [7], rec) is None


def test_the_record_code_an_answer_stands_for():
    assert record_code_for(SOC, "resold") == "third_party"
    assert record_code_for(SOC, "declined") is None
    two = {"source": "slas.remedy", "values": {"service_credit": "c", "fee_reduction": "c"}}
    assert record_code_for(two, "c") is None

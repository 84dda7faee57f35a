"""The `prefill` field of a question: validation, normal form, round trips, storage."""

import hashlib
import json

import pytest

from questionnaires.conversion import content_hash, version_document
from questionnaires.document import (
    dump_document,
    load_document,
    normalise_document,
    validate_document,
)
from questionnaires.models import Question
from questionnaires.selectors import version_with_structure
from questionnaires.services import import_document, new_version, publish_version
from tests.questionnaires.test_document import codes, make_doc

SOC = {"source": "provider.soc_model", "values": {"own": "own", "third_party": "resold"}}


def soc_question(**extra):
    return {
        "code": "SOC-01",
        "text": "Who runs the SOC?",
        "kind": "single_choice",
        "options": [
            {"value": "own", "label": "Our own", "score": 1},
            {"value": "resold", "label": "A partner's", "score": 0.2},
            {"value": "declined", "label": "Declined", "score": 0},
        ],
        **extra,
    }


def test_a_valid_mapping_passes_and_normalises_after_industries():
    doc = make_doc(soc_question(prefill=SOC))
    assert validate_document(doc, for_publish=True) == []
    question = normalise_document(doc)["sections"][0]["questions"][0]
    assert list(question)[-2:] == ["industries", "prefill"]
    assert question["prefill"] == SOC


def test_values_default_to_empty_and_no_prefill_is_null():
    doc = make_doc(
        {
            "code": "SLA-03",
            "text": "Minutes?",
            "kind": "number",
            "bands": [{"max": None, "score": 1}],
            "prefill": {"source": "slas.incident_response_time"},
        },
        {"code": "Q-02", "text": "Q?", "kind": "boolean"},
    )
    assert validate_document(doc) == []
    first, second = normalise_document(doc)["sections"][0]["questions"]
    assert first["prefill"] == {"source": "slas.incident_response_time", "values": {}}
    assert second["prefill"] is None


@pytest.mark.parametrize(
    ("prefill", "expected"),
    [
        (
            {"source": "provider.colour"},
            ("sections[0].questions[0].prefill.source", "invalid_value"),
        ),
        ({"values": {}}, ("sections[0].questions[0].prefill.source", "missing")),
        (
            {"source": "provider.soc_model", "values": {"own": "own"}, "extra": 1},
            ("sections[0].questions[0].prefill.extra", "unknown_field"),
        ),
        ("provider.soc_model", ("sections[0].questions[0].prefill", "wrong_type")),
        (
            {"source": "provider.soc_model", "values": {"own": 1}},
            ("sections[0].questions[0].prefill.values.own", "wrong_type"),
        ),
    ],
)
def test_schema_problems(prefill, expected):
    assert expected in codes(validate_document(make_doc(soc_question(prefill=prefill))))


def test_a_source_that_does_not_fit_the_kind():
    doc = make_doc(soc_question(prefill={"source": "documents.sample_report"}))
    assert codes(validate_document(doc)) == [
        ("sections[0].questions[0].prefill.source", "prefill_kind")
    ]


def test_a_choice_question_needs_values():
    doc = make_doc(soc_question(prefill={"source": "provider.soc_model"}))
    assert codes(validate_document(doc)) == [
        ("sections[0].questions[0].prefill.values", "prefill_values_required")
    ]


def test_other_kinds_take_no_values():
    doc = make_doc(
        {
            "code": "REP-02",
            "text": "Attach it.",
            "kind": "evidence",
            "prefill": {"source": "documents.sample_report", "values": {"a": "b"}},
        }
    )
    assert codes(validate_document(doc)) == [
        ("sections[0].questions[0].prefill.values", "prefill_values_not_allowed")
    ]


def test_values_name_codes_of_the_source_and_options_of_the_question():
    prefill = {"source": "provider.soc_model", "values": {"owned": "own", "hybrid": "mixed"}}
    assert codes(validate_document(make_doc(soc_question(prefill=prefill)))) == [
        ("sections[0].questions[0].prefill.values.owned", "prefill_unknown_value"),
        ("sections[0].questions[0].prefill.values.hybrid", "prefill_unknown_option"),
    ]


def test_capability_codes_come_from_the_catalog():
    question = {
        "code": "CAP-01",
        "text": "Which?",
        "kind": "multi_choice",
        "options": [{"value": "help_desk", "label": "Help desk", "score": 1}],
        "prefill": {
            "source": "capabilities.offered",
            "values": {"msp.help_desk": "help_desk", "msp.espresso": "help_desk"},
        },
    }
    assert codes(validate_document(make_doc(question))) == [
        ("sections[0].questions[0].prefill.values.msp.espresso", "prefill_unknown_value")
    ]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_keeps_the_mapping(fmt):
    normal = normalise_document(make_doc(soc_question(prefill=SOC)))
    text = dump_document(normal, fmt)
    assert load_document(text, fmt) == normal
    assert dump_document(load_document(text, fmt), fmt) == text


def test_a_null_prefill_leaves_the_content_hash_as_before_the_field():
    normal = normalise_document(make_doc())
    before = {
        **normal,
        "sections": [
            {
                **s,
                "questions": [
                    {k: v for k, v in q.items() if k != "prefill"} for q in s["questions"]
                ],
            }
            for s in normal["sections"]
        ],
    }
    expected = hashlib.sha256(
        json.dumps(before, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert content_hash(normal) == expected
    mapped = normalise_document(make_doc(soc_question(prefill=SOC)))
    unmapped = normalise_document(make_doc(soc_question()))
    assert content_hash(mapped) != content_hash(unmapped)


@pytest.mark.django_db
def test_stored_with_the_version_and_copied_to_a_new_one(organization):
    doc = make_doc(soc_question(prefill=SOC))
    version = import_document(organization, doc)
    assert Question.objects.get(version=version).prefill == SOC
    assert version_document(version_with_structure(version.pk)) == normalise_document(doc)
    publish_version(version)
    clone = new_version(version)
    copied = Question.objects.get(version=clone)
    assert copied.prefill == SOC
    copied.prefill["values"]["own"] = "resold"
    copied.save()
    assert Question.objects.get(version=version).prefill == SOC


def test_values_are_sorted_in_the_normal_form():
    prefill = {"source": "provider.soc_model", "values": {"third_party": "resold", "own": "own"}}
    question = normalise_document(make_doc(soc_question(prefill=prefill)))["sections"][0][
        "questions"
    ][0]
    assert list(question["prefill"]["values"]) == ["own", "third_party"]

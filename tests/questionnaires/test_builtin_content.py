"""The built-in questionnaires shipped in questionnaires/content/."""

import re
from collections import Counter
from pathlib import Path

import pytest

from evaluations.engine.composition import Part, Source, clashes
from providers.vocabulary import RedFlagTag, ServiceModel
from questionnaires.document import (
    dump_document,
    load_document,
    normalise_document,
    validate_document,
)

CONTENT = Path(__file__).resolve().parents[2] / "questionnaires" / "content"
FILES = sorted(CONTENT.glob("*.yaml"))

PACK_INDUSTRIES = {
    "pack-healthcare": ["healthcare"],
    "pack-financial": ["financial_services"],
    "pack-defense": ["defense"],
    "pack-manufacturing": ["manufacturing"],
    "pack-legal": ["legal"],
}
PACK_PREFIXES = {
    "pack-healthcare": "HC",
    "pack-financial": "FIN",
    "pack-defense": "DEF",
    "pack-manufacturing": "MFG",
    "pack-legal": "LEG",
    "pack-vcio": "VCIO",
}
EXPECTED_CODES = {"provider-vetting", *PACK_PREFIXES}


def load(path):
    return load_document(path.read_text(encoding="utf-8"), "yaml")


def questions(doc):
    return [q for s in doc["sections"] for q in s["questions"]]


@pytest.fixture(scope="module")
def docs():
    return {path.stem: normalise_document(load(path)) for path in FILES}


@pytest.fixture(scope="module")
def vetting(docs):
    return docs["provider-vetting"]


def test_the_expected_files_are_shipped():
    assert {path.stem for path in FILES} == EXPECTED_CODES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_is_valid_for_publish(path):
    assert [str(p) for p in validate_document(load(path), for_publish=True)] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip(path, fmt):
    normal = normalise_document(load(path))
    text = dump_document(normal, fmt)
    assert load_document(text, fmt) == normal
    assert dump_document(load_document(text, fmt), fmt) == text
    assert normalise_document(normal) == normal


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_codes_follow_conventions(path):
    doc = normalise_document(load(path))
    assert doc["code"] == path.stem
    for section in doc["sections"]:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", section["code"]), section["code"]
        numbers = []
        for question in section["questions"]:
            match = re.fullmatch(r"([A-Z]+)-(\d{2})", question["code"])
            assert match, question["code"]
            numbers.append(int(match[2]))
        prefixes = {q["code"].split("-")[0] for q in section["questions"]}
        if doc["code"] in PACK_PREFIXES:
            assert prefixes == {PACK_PREFIXES[doc["code"]]}
        else:
            assert len(prefixes) == 1, section["code"]  # one prefix per section
        assert numbers == sorted(numbers)
    # packs number their questions 01, 02, ... across sections
    if doc["code"] in PACK_PREFIXES:
        numbers = [int(q["code"].split("-")[1]) for q in questions(doc)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_question_codes_are_unique_across_all_builtins(docs):
    counts = Counter(q["code"] for doc in docs.values() for q in questions(doc))
    assert [code for code, n in counts.items() if n > 1] == []


def test_every_pack_composes_with_the_vetting_questionnaire_and_the_others(docs):
    """An evaluation refuses a section or question code twice in its question set, so
    the vetting base and every pack, all together, share none."""
    order = ["provider-vetting", *PACK_PREFIXES]
    parts = [
        Part(
            Source(code, 1),
            tuple(s["code"] for s in docs[code]["sections"]),
            tuple(q["code"] for q in questions(docs[code])),
        )
        for code in order
    ]
    assert clashes(parts) == []


def test_every_builtin_explains_itself(docs):
    for doc in docs.values():
        assert "weight" in doc["description"].lower(), doc["code"]
        for section in doc["sections"]:
            assert section["description"], (doc["code"], section["code"])
            for question in section["questions"]:
                assert question["guidance"], question["code"]


def test_each_red_flag_tag_is_on_exactly_one_vetting_question(vetting):
    tagged = Counter(t for q in questions(vetting) for t in q["tags"])
    assert {tag: tagged[tag] for tag in RedFlagTag} == {tag: 1 for tag in RedFlagTag}
    for question in questions(vetting):
        if set(question["tags"]) & set(RedFlagTag):
            # red flags are raised on x < 0.5, so the question must be able to score below it
            assert question["weight"] > 0
            assert question["kind"] == "single_choice"
            assert any(o["score"] < 0.5 for o in question["options"])
            assert any(o["score"] == 1 for o in question["options"])


def test_vetting_sections(vetting):
    assert [s["code"] for s in vetting["sections"]] == [
        "soc",
        "reporting",
        "roles",
        "industry",
        "sla",
        "coverage",
    ]


def test_vetting_uses_every_kind_and_a_few_knockouts(vetting):
    kinds = {q["kind"] for q in questions(vetting)}
    assert kinds == {
        "boolean",
        "single_choice",
        "multi_choice",
        "number",
        "scale",
        "text",
        "evidence",
    }
    knockouts = [q["code"] for q in questions(vetting) if q["knockout"]]
    assert 1 <= len(knockouts) <= 3


def test_vetting_covers_each_service_model_alone(vetting):
    coverage = next(s for s in vetting["sections"] if s["code"] == "coverage")
    models = Counter(tuple(q["applies_to"]) for q in coverage["questions"])
    for model in ServiceModel:
        assert models[(model.value,)] >= 2, model
    assert all(q["industries"] == [] for q in questions(vetting))


def test_vetting_soc_questions_concern_managed_security(vetting):
    soc = next(s for s in vetting["sections"] if s["code"] == "soc")
    assert all(q["applies_to"] == ["mssp"] for q in soc["questions"])


@pytest.mark.parametrize(("code", "industries"), PACK_INDUSTRIES.items())
def test_industry_pack_questions_carry_their_industry(docs, code, industries):
    assert all(q["industries"] == industries for q in questions(docs[code]))


def test_vcio_pack_applies_to_vcio_in_every_industry(docs):
    for question in questions(docs["pack-vcio"]):
        assert question["applies_to"] == ["vcio"]
        assert question["industries"] == []


def test_red_flag_tags_stay_in_the_vetting_questionnaire(docs):
    for code, doc in docs.items():
        if code != "provider-vetting":
            assert all(not (set(q["tags"]) & set(RedFlagTag)) for q in questions(doc)), code


def test_multi_choice_options_can_reach_a_full_score(docs):
    for doc in docs.values():
        for question in questions(doc):
            if question["kind"] == "multi_choice" and question["weight"] > 0:
                total = sum(o["score"] for o in question["options"])
                assert total == pytest.approx(1), question["code"]

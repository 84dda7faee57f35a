"""The questionnaire document format: loading, validation, normalisation, dumping."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from providers.vocabulary import Industry, ServiceModel
from questionnaires.document import (
    FORMAT,
    DocumentError,
    Problem,
    document_schema,
    dump_document,
    load_document,
    normalise_document,
    validate_document,
)
from questionnaires.document_rules import (
    DOCUMENT_DEFAULTS,
    KINDS,
    QUESTION_DEFAULTS,
    SECTION_DEFAULTS,
)
from questionnaires.document_warnings import document_warnings

QUESTION_KEYS = [
    "code",
    "text",
    "help_text",
    "guidance",
    "kind",
    "weight",
    "scoring",
    "options",
    "true_score",
    "false_score",
    "bands",
    "scale_max",
    "knockout",
    "pass_threshold",
    "tags",
    "applies_to",
    "industries",
    "prefill",
]


def make_doc(*questions, **top):
    """A valid document with one section holding ``questions`` (a boolean by default)."""
    doc = {
        "format": FORMAT,
        "format_version": 1,
        "code": "sample",
        "name": "Sample",
        "sections": [
            {
                "code": "main",
                "title": "Main",
                "questions": list(questions) or [{"code": "Q-01", "text": "Q?", "kind": "boolean"}],
            }
        ],
    }
    doc.update(top)
    return doc


def choice(code="Q-01", kind="single_choice", scores=(1, 0), **extra):
    options = [{"value": f"v{i}", "label": f"Option {i}", "score": s} for i, s in enumerate(scores)]
    return {"code": code, "text": "Pick", "kind": kind, "options": options, **extra}


def number(code="Q-01", bands=((10, 1), (None, 0)), **extra):
    return {
        "code": code,
        "text": "How many?",
        "kind": "number",
        "bands": [{"max": m, "score": s} for m, s in bands],
        **extra,
    }


def codes(problems):
    return [(p.path, p.code) for p in problems]


# --- loading -----------------------------------------------------------------

YAML_DOC = """
format: provider-scorecards/questionnaire
format_version: 1
code: sample
name: Sample
sections:
  - code: main
    title: Main
    questions:
      - code: Q-01
        text: Q?
        kind: single_choice
        options:
          - {value: yes, label: Yes, score: 1}
          - {value: no, label: No, score: 0}
          - {value: "on", label: 2026-01-31, score: 0}
"""


def test_yaml_and_json_load_to_the_same_dict():
    from_yaml = load_document(YAML_DOC, "yaml")
    assert load_document(json.dumps(from_yaml), "json") == from_yaml
    assert load_document(YAML_DOC, "YML") == from_yaml


def test_yaml_keeps_yes_no_and_dates_as_strings():
    options = load_document(YAML_DOC, "yaml")["sections"][0]["questions"][0]["options"]
    assert [o["value"] for o in options] == ["yes", "no", "on"]
    assert options[2]["label"] == "2026-01-31"
    assert validate_document(load_document(YAML_DOC, "yaml")) == []


def test_yaml_true_false_are_booleans():
    assert load_document("a: true\nb: False\nc: yes", "yaml") == {"a": True, "b": False, "c": "yes"}


@pytest.mark.parametrize(
    ("text", "fmt", "code", "line"),
    [
        ('{"code": "x",\n  "name": }', "json", "parse_error", 2),
        ("code: x\nname: [unclosed\n", "yaml", "parse_error", 3),
        ('{"a": 1, "a": 2}', "json", "duplicate_key", None),
        ("a: 1\nb: 2\na: 3\n", "yaml", "parse_error", 3),
        ('{"a": NaN}', "json", "parse_error", None),
        ("a: .nan\n", "yaml", "parse_error", None),
        ("a: .inf\n", "yaml", "parse_error", None),
        ("base: &b {x: 1}\nother: *b\n", "yaml", "parse_error", 2),
        ("a: !!python/object:os.system {}\n", "yaml", "parse_error", 1),
        ("1: one\n", "yaml", "parse_error", 1),
        ("a: !!binary aGVsbG8=\n", "yaml", "unsupported_value", None),
        ("- a\n- b\n", "yaml", "not_a_mapping", None),
        ("", "yaml", "not_a_mapping", None),
        ("42", "json", "not_a_mapping", None),
    ],
)
def test_unreadable_text_raises_a_clear_error(text, fmt, code, line):
    with pytest.raises(DocumentError) as caught:
        load_document(text, fmt)
    assert caught.value.code == code
    assert caught.value.line == line
    assert str(caught.value)


def test_duplicate_yaml_key_names_the_key():
    with pytest.raises(DocumentError, match="duplicate key 'a'"):
        load_document("a: 1\na: 2\n", "yaml")


def test_size_limit():
    with pytest.raises(DocumentError) as caught:
        load_document('{"name": "' + "x" * 2_100_000 + '"}', "json")
    assert caught.value.code == "too_large"


@pytest.mark.parametrize("depth", [20, 100_000])
def test_depth_limit(depth):
    text = '{"a": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(DocumentError) as caught:
        load_document(text, "json")
    assert caught.value.code == "too_deep"


def test_bytes_with_byte_order_mark_are_accepted():
    assert load_document("\ufeffa: 1\n".encode(), "yaml") == {"a": 1}


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown document format"):
        load_document("{}", "xml")
    with pytest.raises(ValueError, match="unknown document format"):
        dump_document({}, "toml")


# --- structural validation ---------------------------------------------------


def test_minimal_document_is_valid_for_publish():
    assert validate_document(make_doc(), for_publish=True) == []


def test_every_problem_is_reported_at_once():
    doc = make_doc(
        choice("Q-01", scores=(1, 1.5)),
        {"code": "Q-02", "text": "Describe", "kind": "text", "scoring": "auto"},
        number("Q-03", bands=((None, 1), (5, 0))),
        code="Not A Slug",
        colour="blue",
    )
    del doc["name"]
    doc["sections"].append(
        {"code": "main", "title": "", "weight": -1, "questions": [choice("Q-01", scores=())]}
    )
    assert codes(validate_document(doc)) == [
        ("name", "missing"),
        ("colour", "unknown_field"),
        ("code", "invalid_format"),
        ("sections[0].questions[0].options[1].score", "out_of_range"),
        ("sections[1].title", "invalid_length"),
        ("sections[1].weight", "out_of_range"),
        ("sections[1].code", "duplicate_code"),
        ("sections[1].questions[0].code", "duplicate_code"),
        ("sections[0].questions[1].scoring", "judged_required"),
        ("sections[0].questions[2].bands[0].max", "open_band"),
        ("sections[1].questions[0].options", "options_required"),
    ]


def test_problem_has_path_code_message():
    [problem] = validate_document(make_doc(choice(scores=(1, 2))))
    assert isinstance(problem, Problem)
    assert problem.as_dict() == {
        "path": "sections[0].questions[0].options[1].score",
        "code": "out_of_range",
        "message": "must be at most 1 (got 2)",
    }
    assert str(problem).startswith("sections[0].questions[0].options[1].score: ")


def test_unknown_field_suggests_the_right_name():
    doc = make_doc({"code": "Q-01", "text": "Q?", "kind": "boolean", "helptext": "x"})
    [problem] = validate_document(doc)
    assert problem.path == "sections[0].questions[0].helptext"
    assert "did you mean 'help_text'?" in problem.message


def test_wrong_type_message():
    doc = make_doc({"code": "Q-01", "text": "Q?", "kind": "boolean", "weight": "high"})
    [problem] = validate_document(doc)
    assert (problem.path, problem.code) == ("sections[0].questions[0].weight", "wrong_type")
    assert problem.message == "must be a number, not a string"


def test_a_non_mapping_document_is_one_problem():
    assert codes(validate_document(["not", "a", "document"])) == [("", "wrong_type")]


def test_wrong_format_marker():
    problems = validate_document(make_doc(format="other", format_version=2))
    assert codes(problems) == [("format", "invalid_value"), ("format_version", "invalid_value")]


# --- semantic rules: one failing example each --------------------------------


def _with_second_section(doc):
    doc["sections"].append(copy.deepcopy(doc["sections"][0]))
    doc["sections"][1]["questions"][0]["code"] = "Q-02"
    return doc


CASES = {
    "section codes unique": (
        _with_second_section(make_doc()),
        "sections[1].code",
        "duplicate_code",
    ),
    "question codes unique across sections": (
        make_doc(choice("Q-01"), choice("Q-01")),
        "sections[0].questions[1].code",
        "duplicate_code",
    ),
    "section weight >= 0": (
        make_doc() | {"sections": [{"code": "s", "title": "S", "weight": -0.5, "questions": []}]},
        "sections[0].weight",
        "out_of_range",
    ),
    "question weight >= 0": (
        make_doc(choice(weight=-1)),
        "sections[0].questions[0].weight",
        "out_of_range",
    ),
    "option score <= 1": (
        make_doc(choice(scores=(1.01,))),
        "sections[0].questions[0].options[0].score",
        "out_of_range",
    ),
    "band score >= 0": (
        make_doc(number(bands=((1, -0.1),))),
        "sections[0].questions[0].bands[0].score",
        "out_of_range",
    ),
    "true_score in [0, 1]": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "boolean", "true_score": 2}),
        "sections[0].questions[0].true_score",
        "out_of_range",
    ),
    "single_choice needs options": (
        make_doc(choice(scores=())),
        "sections[0].questions[0].options",
        "options_required",
    ),
    "multi_choice needs options": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "multi_choice"}),
        "sections[0].questions[0].options",
        "options_required",
    ),
    "option values unique": (
        make_doc(
            choice()
            | {
                "options": [
                    {"value": "a", "label": "A", "score": 1},
                    {"value": "a", "label": "A again", "score": 0},
                ]
            }
        ),
        "sections[0].questions[0].options[1].value",
        "duplicate_option",
    ),
    "boolean has no options": (
        make_doc(choice(kind="boolean")),
        "sections[0].questions[0].options",
        "options_not_allowed",
    ),
    "scale has no options": (
        make_doc(choice(kind="scale")),
        "sections[0].questions[0].options",
        "options_not_allowed",
    ),
    "text has no options": (
        make_doc(choice(kind="text")),
        "sections[0].questions[0].options",
        "options_not_allowed",
    ),
    "only number questions have bands": (
        make_doc(number() | {"kind": "scale"}),
        "sections[0].questions[0].bands",
        "bands_not_allowed",
    ),
    "auto number needs bands": (
        make_doc(number(bands=())),
        "sections[0].questions[0].bands",
        "bands_required",
    ),
    "band maxima strictly increase": (
        make_doc(number(bands=((10, 1), (10, 0.5), (None, 0)))),
        "sections[0].questions[0].bands[1].max",
        "bands_order",
    ),
    "band maxima do not decrease": (
        make_doc(number(bands=((10, 1), (5, 0.5)))),
        "sections[0].questions[0].bands[1].max",
        "bands_order",
    ),
    "at most one open band": (
        make_doc(number(bands=((10, 1), (None, 0.5), (None, 0)))),
        "sections[0].questions[0].bands[2].max",
        "open_band",
    ),
    "open band is last": (
        make_doc(number(bands=((None, 1), (10, 0.5)))),
        "sections[0].questions[0].bands[0].max",
        "open_band",
    ),
    "band max is a number or null": (
        make_doc(number(bands=(("ten", 1),))),
        "sections[0].questions[0].bands[0].max",
        "wrong_type",
    ),
    "scale_max at least 1": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "scale", "scale_max": 0}),
        "sections[0].questions[0].scale_max",
        "out_of_range",
    ),
    "scale_max at most 10": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "scale", "scale_max": 11}),
        "sections[0].questions[0].scale_max",
        "out_of_range",
    ),
    "scale_max is an integer": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "scale", "scale_max": 2.5}),
        "sections[0].questions[0].scale_max",
        "wrong_type",
    ),
    "text is judged": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "text", "scoring": "auto"}),
        "sections[0].questions[0].scoring",
        "judged_required",
    ),
    "evidence is judged": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "evidence", "scoring": "auto"}),
        "sections[0].questions[0].scoring",
        "judged_required",
    ),
    "knockout threshold above 0": (
        make_doc(choice(knockout=True, pass_threshold=0)),
        "sections[0].questions[0].pass_threshold",
        "knockout_threshold",
    ),
    "knockout threshold at most 1": (
        make_doc(choice(knockout=True, pass_threshold=1.2)),
        "sections[0].questions[0].pass_threshold",
        "out_of_range",
    ),
    "knockout must be scored": (
        make_doc(choice(knockout=True, weight=0), choice("Q-02")),
        "sections[0].questions[0].knockout",
        "knockout_unscored",
    ),
    "applies_to holds service models": (
        make_doc(choice(applies_to=["msp", "noc"])),
        "sections[0].questions[0].applies_to[1]",
        "invalid_value",
    ),
    "industries hold Industry values": (
        make_doc(choice(industries=["health"])),
        "sections[0].questions[0].industries[0]",
        "invalid_value",
    ),
    "tags are slugs": (
        make_doc(choice(tags=["Needs Review"])),
        "sections[0].questions[0].tags[0]",
        "invalid_format",
    ),
    "red-flag tags spelled exactly (separator)": (
        make_doc(choice(tags=["soc-ownership"])),
        "sections[0].questions[0].tags[0]",
        "red_flag_tag",
    ),
    "red-flag tags spelled exactly (plural)": (
        make_doc(choice(tags=["sla_remedies"])),
        "sections[0].questions[0].tags[0]",
        "red_flag_tag",
    ),
    "red-flag tags spelled exactly (singular)": (
        make_doc(choice(tags=["industry_reference"])),
        "sections[0].questions[0].tags[0]",
        "red_flag_tag",
    ),
    "red-flag tag on a scored question": (
        make_doc(choice(tags=["handoff"], weight=0), choice("Q-02")),
        "sections[0].questions[0].tags",
        "red_flag_unscored",
    ),
    "question code pattern": (
        make_doc(choice(code="soc-1")),
        "sections[0].questions[0].code",
        "invalid_format",
    ),
    "kind is known": (
        make_doc({"code": "Q-01", "text": "Q?", "kind": "essay"}),
        "sections[0].questions[0].kind",
        "invalid_value",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule_rejects_its_failing_example(name):
    doc, path, code = CASES[name]
    assert codes(validate_document(doc)) == [(path, code)]


# A knockout no answer can pass is allowed (a lead override can pass it), with a warning.
OVERRIDE_ONLY_KNOCKOUTS = {
    "boolean knockout only an override passes": (
        make_doc(
            {
                "code": "Q-01",
                "text": "Q?",
                "kind": "boolean",
                "true_score": 0.6,
                "false_score": 0.2,
                "knockout": True,
                "pass_threshold": 0.7,
            }
        ),
        "sections[0].questions[0].pass_threshold",
        "knockout_unreachable",
    ),
    "single_choice knockout only an override passes": (
        make_doc(choice(scores=(0.6, 0.3), knockout=True)),
        "sections[0].questions[0].pass_threshold",
        "knockout_unreachable",
    ),
    "multi_choice knockout only an override passes": (
        make_doc(choice(kind="multi_choice", scores=(0.3, 0.3, 0), knockout=True)),
        "sections[0].questions[0].pass_threshold",
        "knockout_unreachable",
    ),
    "number knockout only an override passes": (
        make_doc(number(bands=((10, 0.5), (None, 0.2)), knockout=True, pass_threshold=0.8)),
        "sections[0].questions[0].pass_threshold",
        "knockout_unreachable",
    ),
}


@pytest.mark.parametrize("name", list(OVERRIDE_ONLY_KNOCKOUTS))
def test_a_knockout_only_an_override_passes_is_a_warning_not_a_problem(name):
    doc, path, code = OVERRIDE_ONLY_KNOCKOUTS[name]
    assert validate_document(doc, for_publish=True) == []
    warnings = document_warnings(doc)
    assert codes(warnings) == [(path, code)]
    assert "only a lead override can pass" in warnings[0].message


@pytest.mark.parametrize(
    "question",
    [
        choice(kind="multi_choice", scores=(0.6, 0.6), knockout=True),  # capped sum reaches 1
        choice(scores=(0.6, 0.3), knockout=True, pass_threshold=0.6),
        number(bands=((10, 0.5), (None, 1)), knockout=True),
        number(bands=(), scoring="judged", knockout=True),  # judged: evaluators can rate 1.0
        {"code": "Q-01", "text": "Q?", "kind": "scale", "knockout": True},
        {"code": "Q-01", "text": "Q?", "kind": "evidence", "knockout": True, "pass_threshold": 0.8},
        {"code": "Q-01", "text": "Q?", "kind": "boolean", "true_score": 0, "false_score": 1,
         "knockout": True},
    ],
)  # fmt: skip
def test_reachable_knockouts_pass(question):
    assert validate_document(make_doc(question), for_publish=True) == []
    assert document_warnings(make_doc(question)) == []


def test_other_tags_are_free():
    doc = make_doc(choice(tags=["soc_ownership", "needs-review", "handover", "sla"]))
    assert validate_document(doc) == []


@pytest.mark.parametrize(
    "sections",
    [
        [{"code": "s", "title": "S", "questions": [choice(weight=0)]}],
        [{"code": "s", "title": "S", "weight": 0, "questions": [choice()]}],
    ],
)
def test_publishing_needs_a_scored_question(sections):
    doc = make_doc() | {"sections": sections}
    assert validate_document(doc) == []
    assert codes(validate_document(doc, for_publish=True)) == [("sections", "nothing_scored")]


def test_publishing_refuses_empty_sections():
    doc = make_doc()
    doc["sections"].append({"code": "later", "title": "Later", "questions": []})
    assert validate_document(doc) == []
    assert codes(validate_document(doc, for_publish=True)) == [
        ("sections[1].questions", "empty_section")
    ]


def test_non_finite_numbers_are_reported():
    problems = validate_document(make_doc(choice(weight=float("nan"))))
    assert ("sections[0].questions[0].weight", "non_finite_number") in codes(problems)


def test_broken_structure_does_not_crash_the_rules():
    doc = make_doc()
    doc["sections"] = [
        "not a section",
        {"code": 3, "questions": ["x", {"kind": "number", "bands": "wide"}]},
    ]
    problems = validate_document(doc, for_publish=True)
    assert problems
    assert all(p.code for p in problems)


# --- normalisation -----------------------------------------------------------


def test_normalise_fills_every_default_in_canonical_order():
    doc = make_doc({"code": "Q-01", "text": "Why?", "kind": "text"})
    normal = normalise_document(doc)
    assert list(normal) == [
        "format",
        "format_version",
        "code",
        "name",
        "description",
        "version_label",
        "sections",
    ]
    section = normal["sections"][0]
    assert list(section) == ["code", "title", "description", "weight", "questions"]
    question = section["questions"][0]
    assert list(question) == QUESTION_KEYS
    assert question == {
        "code": "Q-01",
        "text": "Why?",
        "help_text": "",
        "guidance": "",
        "kind": "text",
        "weight": 1,
        "scoring": "judged",
        "options": [],
        "true_score": 1,
        "false_score": 0,
        "bands": [],
        "scale_max": 5,
        "knockout": False,
        "pass_threshold": 1,
        "tags": [],
        "applies_to": [],
        "industries": [],
        "prefill": None,
    }
    assert normal["description"] == "" and normal["version_label"] == ""
    assert validate_document(normal) == []


@pytest.mark.parametrize("kind", KINDS)
def test_default_scoring_by_kind(kind):
    normal = normalise_document(make_doc({"code": "Q-01", "text": "Q?", "kind": kind}))
    expected = "judged" if kind in ("text", "evidence") else "auto"
    assert normal["sections"][0]["questions"][0]["scoring"] == expected


def test_normalise_is_idempotent_and_pure():
    doc = make_doc(
        choice(
            scores=(1.0, 0.25),
            weight=2.0,
            tags=["b", "a"],
            applies_to=["vciso", "msp"],
            pass_threshold=1.0,
            knockout=True,
        ),
        number(bands=((10.0, 1), (None, 0.0))),
    )
    before = copy.deepcopy(doc)
    normal = normalise_document(doc)
    assert doc == before
    assert normalise_document(normal) == normal
    first = normal["sections"][0]["questions"][0]
    assert first["weight"] == 2 and isinstance(first["weight"], int)
    assert [o["score"] for o in first["options"]] == [1, 0.25]
    assert isinstance(first["options"][0]["score"], int)
    assert first["tags"] == ["b", "a"]  # list order is kept
    assert first["applies_to"] == ["vciso", "msp"]
    assert normal["sections"][0]["questions"][1]["bands"] == [
        {"max": 10, "score": 1},
        {"max": None, "score": 0},
    ]


def test_normalise_does_not_share_lists_with_the_input():
    doc = make_doc(choice(tags=["a"]))
    normal = normalise_document(doc)
    normal["sections"][0]["questions"][0]["tags"].append("b")
    assert doc["sections"][0]["questions"][0]["tags"] == ["a"]


def test_normalise_fixes_the_format_marker_and_keeps_explicit_values():
    doc = make_doc(description="About", version_label="2026.1")
    doc["sections"][0]["weight"] = 0.5
    normal = normalise_document(doc)
    assert (normal["format"], normal["format_version"]) == (FORMAT, 1)
    assert (normal["description"], normal["version_label"]) == ("About", "2026.1")
    assert normal["sections"][0]["weight"] == 0.5


# --- dumping -----------------------------------------------------------------

TRICKY = make_doc(
    choice(
        scores=(1, 0.5),
        help_text="Line one\nLine two\n",
        guidance="Starts with # and: colon",
        tags=["no", "on", "2026-01-01", "1-0"],
    ),
    {"code": "Q-02", "text": "yes", "kind": "boolean", "true_score": 0.75},
    number("Q-03", bands=((0.5, 1), (1e6, 0.5), (None, 0))),
    description="Ünïcode — text",
    version_label="1.0",
)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_is_exact_and_text_is_stable(fmt):
    normal = normalise_document(TRICKY)
    assert validate_document(normal) == []
    text = dump_document(normal, fmt)
    loaded = load_document(text, fmt)
    assert loaded == normal
    assert normalise_document(loaded) == normal
    assert dump_document(loaded, fmt) == text
    assert text.endswith("\n")


def test_yaml_keeps_key_order_and_readable_multiline_text():
    text = dump_document(normalise_document(TRICKY), "yaml")
    assert text.startswith("format: provider-scorecards/questionnaire\nformat_version: 1\n")
    assert "help_text: |\n" in text
    assert "Ünïcode" in text


def test_json_is_pretty():
    text = dump_document(normalise_document(make_doc()), "json")
    assert text.startswith('{\n  "format": "provider-scorecards/questionnaire",\n')


# --- the JSON Schema ---------------------------------------------------------


def _walk(schema, where="#"):
    if isinstance(schema, dict):
        yield where, schema
        for key, value in schema.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _walk(value, f"{where}/{i}")


def test_schema_is_valid_draft_2020_12():
    schema = document_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_schema_property_has_a_description():
    missing = [
        f"{where}/{name}"
        for where, node in _walk(document_schema())
        if isinstance(node.get("properties"), dict)
        for name, prop in node["properties"].items()
        if not prop.get("description")
    ]
    assert missing == []


def test_schema_enums_match_the_shared_vocabulary():
    defs = document_schema()["$defs"]
    assert defs["service_model"]["enum"] == [m.value for m in ServiceModel]
    assert defs["industry"]["enum"] == [i.value for i in Industry]
    assert defs["question"]["properties"]["kind"]["enum"] == list(KINDS)


def test_schema_defaults_match_normalisation_defaults():
    defs = document_schema()["$defs"]
    for name, value in QUESTION_DEFAULTS.items():
        assert defs["question"]["properties"][name]["default"] == value, name
    for name, value in SECTION_DEFAULTS.items():
        assert defs["section"]["properties"][name]["default"] == value, name
    for name, value in DOCUMENT_DEFAULTS.items():
        assert document_schema()["properties"][name]["default"] == value, name


def test_schema_alone_validates_offline():
    validator = Draft202012Validator(document_schema())
    assert list(validator.iter_errors(normalise_document(TRICKY))) == []
    assert list(validator.iter_errors({"format": FORMAT}))


def test_the_documented_example_is_valid():
    text = (Path(__file__).resolve().parents[2] / "docs" / "questionnaire-format.md").read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = load_document(example, "yaml")
    assert validate_document(doc, for_publish=True) == []
    assert dump_document(normalise_document(doc), "yaml").startswith("format: ")

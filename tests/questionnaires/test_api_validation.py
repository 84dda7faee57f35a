"""Every document rule, surfaced through the API as a 400 problem with the path."""

import json

import pytest

from questionnaires.models import Questionnaire
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import errors_of, import_json

pytestmark = pytest.mark.django_db


def q(doc, s, i):
    return doc["sections"][s]["questions"][i]


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _delete(*path):
    def mutate(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return mutate


def _unweight_sections(doc):
    for section in doc["sections"]:
        section["weight"] = 0


S0Q0 = ("sections", 0, "questions", 0)
S1Q1 = ("sections", 1, "questions", 1)

# (mutation, path, code): one failing example per rule.
RULES = [
    # schema
    (_delete("name"), "name", "missing"),
    (_delete(*S0Q0, "kind"), "sections[0].questions[0].kind", "missing"),
    (_set(*S0Q0, "colour", "red"), "sections[0].questions[0].colour", "unknown_field"),
    (_set(*S0Q0, "weight", "high"), "sections[0].questions[0].weight", "wrong_type"),
    (_set(*S0Q0, "kind", "essay"), "sections[0].questions[0].kind", "invalid_value"),
    (_set("format_version", 2), "format_version", "invalid_value"),
    (_set(*S0Q0, "applies_to", ["isp"]), "sections[0].questions[0].applies_to[0]", "invalid_value"),
    (_set("code", "Acme Vetting"), "code", "invalid_format"),
    (_set(*S0Q0, "code", "soc-01"), "sections[0].questions[0].code", "invalid_format"),
    (_set("sections", 0, "weight", -1), "sections[0].weight", "out_of_range"),
    (
        _set(*S0Q0, "options", 0, "score", 1.5),
        "sections[0].questions[0].options[0].score",
        "out_of_range",
    ),
    (_set(*S1Q1, "scale_max", 11), "sections[1].questions[1].scale_max", "out_of_range"),
    (_set("sections", 0, "title", ""), "sections[0].title", "invalid_length"),
    (
        _set(*S0Q0, "tags", [f"t{i}" for i in range(21)]),
        "sections[0].questions[0].tags",
        "invalid_count",
    ),
    (_set(*S0Q0, "tags", ["a", "a"]), "sections[0].questions[0].tags", "duplicate_item"),
    # semantic
    (_set("sections", 1, "code", "soc"), "sections[1].code", "duplicate_code"),
    (_set(*S1Q1, "code", "SOC-01"), "sections[1].questions[1].code", "duplicate_code"),
    (_set(*S0Q0, "options", []), "sections[0].questions[0].options", "options_required"),
    (
        _set(*S0Q0, "options", 1, "value", "own"),
        "sections[0].questions[0].options[1].value",
        "duplicate_option",
    ),
    (
        _set("sections", 0, "questions", 1, "options", [{"value": "y", "label": "Y", "score": 1}]),
        "sections[0].questions[1].options",
        "options_not_allowed",
    ),
    (_set(*S1Q1, "bands", []), "sections[1].questions[1].bands", "bands_required"),
    (
        _set("sections", 0, "questions", 1, "bands", [{"max": 1, "score": 1}]),
        "sections[0].questions[1].bands",
        "bands_not_allowed",
    ),
    (_set(*S1Q1, "bands", 1, "max", 10), "sections[1].questions[1].bands[1].max", "bands_order"),
    (_set(*S1Q1, "bands", 0, "max", None), "sections[1].questions[1].bands[0].max", "open_band"),
    (
        _set("sections", 1, "questions", 0, "scoring", "auto"),
        "sections[1].questions[0].scoring",
        "judged_required",
    ),
    (
        _set("sections", 0, "questions", 1, "pass_threshold", 0),
        "sections[0].questions[1].pass_threshold",
        "knockout_threshold",
    ),
    (
        _set("sections", 0, "questions", 1, "weight", 0),
        "sections[0].questions[1].knockout",
        "knockout_unscored",
    ),
    (_set(*S0Q0, "tags", ["soc-ownership"]), "sections[0].questions[0].tags[0]", "red_flag_tag"),
    (_set(*S0Q0, "weight", 0), "sections[0].questions[0].tags", "red_flag_unscored"),
    # storage
    (_set(*S0Q0, "text", "Who\x00?"), "sections[0].questions[0].text", "invalid_character"),
]


@pytest.mark.parametrize(("mutate", "path", "code"), RULES, ids=[r[2] + ":" + r[1] for r in RULES])
def test_import_reports_the_rule_with_its_path(admin_client, mutate, path, code):
    document = make_document()
    mutate(document)
    assert (path, code) in errors_of(import_json(admin_client, document))
    assert not Questionnaire.objects.exists()


SECTION_RULES = [rule for rule in RULES if rule[1].startswith("sections")]


@pytest.mark.parametrize(
    ("mutate", "path", "code"), SECTION_RULES, ids=[r[2] + ":" + r[1] for r in SECTION_RULES]
)
def test_draft_edit_reports_the_rule_with_its_path(admin_client, mutate, path, code):
    body = import_json(admin_client, make_document()).json()
    document = make_document()
    mutate(document)
    url = f"/api/v1/questionnaires/{body['questionnaire']}/versions/{body['id']}/"
    response = admin_client.patch(
        url, data=json.dumps({"sections": document["sections"]}), content_type="application/json"
    )
    assert (path, code) in errors_of(response)
    assert admin_client.get(url).json()["sections"] == body["sections"]  # nothing saved


def test_draft_edit_checks_top_level_fields(admin_client):
    body = import_json(admin_client, make_document()).json()
    url = f"/api/v1/questionnaires/{body['questionnaire']}/versions/{body['id']}/"
    response = admin_client.patch(
        url,
        {"name": "", "version_label": 7, "code": "other", "format": "x", "owner": "me"},
        format="json",
    )
    assert errors_of(response) == {
        ("name", "invalid_length"),
        ("version_label", "wrong_type"),
        ("code", "read_only"),
        ("format", "read_only"),
        ("owner", "unknown_field"),
    }


def test_every_problem_is_reported_at_once(admin_client):
    document = make_document(code="Bad")
    q(document, 0, 0)["options"] = []
    q(document, 1, 1)["bands"][1]["max"] = 1
    q(document, 1, 2)["scale_max"] = 0
    document["sections"][1]["code"] = "soc"
    document["extra"] = True
    assert errors_of(import_json(admin_client, document)) == {
        ("code", "invalid_format"),
        ("extra", "unknown_field"),
        ("sections[1].questions[2].scale_max", "out_of_range"),
        ("sections[1].code", "duplicate_code"),
        ("sections[0].questions[0].options", "options_required"),
        ("sections[1].questions[1].bands[1].max", "bands_order"),
    }


def test_problem_body_shape(admin_client):
    document = make_document()
    q(document, 0, 0)["options"] = []
    body = import_json(admin_client, document).json()
    assert body["code"] == "validation_error" and body["status"] == 400
    assert body["errors"] == [
        {
            "field": "sections[0].questions[0].options",
            "code": "options_required",
            "message": "a single_choice question needs at least one option",
        }
    ]


@pytest.mark.parametrize(
    ("mutate", "errors"),
    [
        (
            _set("sections", 1, "questions", []),
            {("sections[1].questions", "empty_section")},
        ),
        (_unweight_sections, {("sections", "nothing_scored")}),
    ],
    ids=["empty_section", "nothing_scored"],
)
def test_publish_rules_are_checked_on_publish(admin_client, mutate, errors):
    document = make_document()
    mutate(document)
    body = import_json(admin_client, document).json()  # a draft may be incomplete
    url = f"/api/v1/questionnaires/{body['questionnaire']}/versions/{body['id']}/publish/"
    assert errors_of(admin_client.post(url)) == errors
    assert admin_client.get(url.replace("publish/", "")).json()["status"] == "draft"


def test_create_questionnaire_validates_like_a_document(admin_client):
    response = admin_client.post(
        "/api/v1/questionnaires/", {"code": "x y", "name": "", "sections": []}, format="json"
    )
    assert errors_of(response) == {
        ("code", "invalid_format"),
        ("name", "invalid_length"),
        ("sections", "unknown_field"),
    }


def test_publish_of_an_edited_draft_reports_paths_of_the_stored_document(admin_client):
    body = import_json(admin_client, make_document()).json()
    url = f"/api/v1/questionnaires/{body['questionnaire']}/versions/{body['id']}/"
    sections = body["sections"]
    sections.append({"code": "empty", "title": "Nothing yet", "questions": []})
    response = admin_client.patch(url, {"sections": sections}, format="json")
    assert response.status_code == 200
    assert errors_of(admin_client.post(url + "publish/")) == {
        ("sections[2].questions", "empty_section")
    }


def test_a_knockout_only_an_override_passes_imports_with_a_warning(admin_client):
    """docs/scoring.md: an override replaces x, so the lead can still pass this knockout;
    refusing the document ("every candidate would be disqualified") was untrue."""
    document = make_document()
    q(document, 0, 1)["true_score"] = 0.5
    response = import_json(admin_client, document)
    assert response.status_code == 201, response.content
    [warning] = response.json()["warnings"]
    assert (warning["field"], warning["code"]) == (
        "sections[0].questions[1].pass_threshold",
        "knockout_unreachable",
    )
    assert "only a lead override can pass" in warning["message"]
    version = response.json()
    url = f"/api/v1/questionnaires/{version['questionnaire']}/versions/{version['id']}/"
    assert admin_client.get(url).json()["warnings"] == [warning]
    published = admin_client.post(f"{url}publish/")
    assert published.status_code == 200 and published.json()["warnings"] == [warning]


def test_a_document_without_surprises_has_no_warnings(admin_client):
    response = import_json(admin_client, make_document())
    assert response.status_code == 201 and response.json()["warnings"] == []

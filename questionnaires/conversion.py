"""Between database rows and the questionnaire document (``questionnaires.document``).

A version's document is built from its rows and normalised, so it is exactly
what import stored: ``version_document(import(doc)) == normalise_document(doc)``.
``version_document`` issues no query when the version was loaded with
``selectors.version_with_structure`` (sections and questions prefetched).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from config.text import input_problems

from .document import Problem, normalise_document, validate_document
from .document_schema import join_path

SECTION_FIELDS = ("code", "title", "description", "weight")
QUESTION_FIELDS = (
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
)


#: Problem codes of the rules JSON Schema cannot express (docs/questionnaire-format.md,
#: "Semantic rules", plus the storage check below): a request that matches the OpenAPI
#: schema can still be refused with these. The API lists them on the operations that
#: apply them as ``x-semantic-error-codes``.
SEMANTIC_CODES = (
    "duplicate_code",
    "options_required",
    "duplicate_option",
    "options_not_allowed",
    "bands_required",
    "bands_not_allowed",
    "bands_order",
    "open_band",
    "judged_required",
    "knockout_threshold",
    "knockout_unscored",
    "red_flag_tag",
    "red_flag_unscored",
    "non_finite_number",
    "prefill_kind",
    "prefill_values_required",
    "prefill_values_not_allowed",
    "prefill_unknown_value",
    "prefill_unknown_option",
    "nothing_scored",
    "empty_section",
)


def question_data(question) -> dict[str, Any]:
    return {field: getattr(question, field) for field in QUESTION_FIELDS}


def section_data(section) -> dict[str, Any]:
    data = {field: getattr(section, field) for field in SECTION_FIELDS}
    data["questions"] = [question_data(q) for q in section.questions.all()]
    return data


def version_document(version) -> dict:
    """The normalised document of a version (its questionnaire and structure loaded)."""
    return normalise_document(
        {
            "code": version.questionnaire.code,
            "name": version.name,
            "description": version.description,
            "version_label": version.label,
            "sections": [section_data(s) for s in version.sections.all()],
        }
    )


def _without_null_prefill(document: dict) -> dict:
    # A question without prefill hashes as it did before the field existed, so the
    # versions published then keep their hash and unchanged built-ins stay unchanged.
    sections = [
        {
            **section,
            "questions": [
                {k: v for k, v in q.items() if not (k == "prefill" and v is None)}
                for q in section["questions"]
            ],
        }
        for section in document["sections"]
    ]
    return {**document, "sections": sections}


def content_hash(document: dict) -> str:
    """SHA-256 of the canonical JSON of a normalised document (a ``prefill: null``
    left out)."""
    canonical = json.dumps(
        _without_null_prefill(document),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version_fields(document: dict) -> dict[str, Any]:
    """The QuestionnaireVersion columns a normalised document sets."""
    return {
        "name": document["name"],
        "description": document["description"],
        "label": document["version_label"],
    }


def section_fields(section: dict, order: int) -> dict[str, Any]:
    return {"order": order, **{field: section[field] for field in SECTION_FIELDS}}


def question_fields(question: dict, order: int) -> dict[str, Any]:
    return {"order": order, **{field: question[field] for field in QUESTION_FIELDS}}


def document_problems(document: Any, *, for_publish: bool = False) -> list[Problem]:
    """``validate_document``, after what no input may hold (``config.text``): text
    the database cannot store (NUL, lone surrogates) and numbers out of range.
    Those are reported alone: the other checks would quote or convert them."""
    unusable = [
        Problem(join_path(list(found.path)), found.code, found.message)
        for found in input_problems(document)
    ]
    return unusable or validate_document(document, for_publish=for_publish)

"""Semantic rules for questionnaire documents, and the format's shared vocabulary.

Pure module (no Django). The JSON Schema checks shape, types, ranges, enums and
patterns; these rules check what it cannot: uniqueness, cross-field consistency,
band ordering, knockout thresholds and publishability. What is allowed but
probably unintended is a warning instead (``document_warnings``). Each rule skips what a
broken document makes unreadable, so every problem is reported once.
"""

from __future__ import annotations

import math
import re
from typing import Any

from providers.vocabulary import RedFlagTag

from .document_schema import Problem, join_path
from .prefill_sources import check_prefill

CHOICE_KINDS = frozenset({"single_choice", "multi_choice"})
JUDGED_ONLY_KINDS = frozenset({"text", "evidence"})
KINDS = (
    "boolean",
    "single_choice",
    "multi_choice",
    "number",
    "scale",
    "text",
    "evidence",
)

# Defaults applied by normalisation; `scoring` depends on the kind (see default_scoring).
QUESTION_DEFAULTS: dict[str, Any] = {
    "help_text": "",
    "guidance": "",
    "weight": 1,
    "true_score": 1,
    "false_score": 0,
    "scale_max": 5,
    "knockout": False,
    "pass_threshold": 1,
}
SECTION_DEFAULTS: dict[str, Any] = {"description": "", "weight": 1}
DOCUMENT_DEFAULTS: dict[str, Any] = {"description": "", "version_label": ""}


def default_scoring(kind: Any) -> str:
    return "judged" if isinstance(kind, str) and kind in JUDGED_ONLY_KINDS else "auto"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unit(value: Any) -> bool:
    """A usable score: a finite number in [0, 1] (anything else the schema reports)."""
    return is_number(value) and 0 <= value <= 1


def _dicts(value: Any) -> list[tuple[int, dict]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _squash(tag: str) -> str:
    return "".join(ch for ch in tag.lower() if ch.isalnum())


_RED_FLAG_SQUASHED = {_squash(t.value): t.value for t in RedFlagTag}


# --- the rules ---------------------------------------------------------------


def check_document(doc: Any, *, for_publish: bool = False) -> list[Problem]:
    """All semantic problems of ``doc``, in document order."""
    if not isinstance(doc, dict):
        return []  # the schema already says the document must be a mapping
    problems: list[Problem] = []
    problems += _non_finite_numbers(doc, [])
    sections = _dicts(doc.get("sections"))
    problems += _unique_codes(sections)
    for si, section in sections:
        for qi, question in _dicts(section.get("questions")):
            problems += check_question(question, ["sections", si, "questions", qi])
    if for_publish:
        problems += _publishable(sections)
    return problems


def _non_finite_numbers(value: Any, parts: list[str | int]) -> list[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem(join_path(parts), "non_finite_number", "must be a finite number")]
    found: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _non_finite_numbers(item, [*parts, str(key)])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _non_finite_numbers(item, [*parts, i])
    return found


def _unique_codes(sections: list[tuple[int, dict]]) -> list[Problem]:
    problems: list[Problem] = []
    section_seen: dict[str, str] = {}
    question_seen: dict[str, str] = {}
    for si, section in sections:
        code = section.get("code")
        here = join_path(["sections", si])
        if isinstance(code, str):
            if code in section_seen:
                problems.append(
                    Problem(
                        f"{here}.code",
                        "duplicate_code",
                        f"section code {code!r} is already used by {section_seen[code]}",
                    )
                )
            else:
                section_seen[code] = here
        for qi, question in _dicts(section.get("questions")):
            qcode = question.get("code")
            qhere = join_path(["sections", si, "questions", qi])
            if not isinstance(qcode, str):
                continue
            if qcode in question_seen:
                problems.append(
                    Problem(
                        f"{qhere}.code",
                        "duplicate_code",
                        f"question code {qcode!r} is already used by {question_seen[qcode]}; "
                        "question codes must be unique across the whole questionnaire",
                    )
                )
            else:
                question_seen[qcode] = qhere
    return problems


def check_question(question: dict, parts: list[str | int]) -> list[Problem]:
    """Semantic problems of one question (``parts`` locates it in the document)."""
    here = join_path(parts)
    kind = question.get("kind") if isinstance(question.get("kind"), str) else None
    scoring = question.get("scoring", default_scoring(kind))
    options = question.get("options", [])
    bands = question.get("bands", [])
    problems: list[Problem] = []

    if kind in JUDGED_ONLY_KINDS and scoring != "judged":
        problems.append(
            Problem(
                f"{here}.scoring",
                "judged_required",
                f"{kind} questions cannot be scored automatically; set scoring to 'judged'",
            )
        )

    if kind in CHOICE_KINDS:
        if isinstance(options, list) and not options:
            problems.append(
                Problem(
                    f"{here}.options",
                    "options_required",
                    f"a {kind} question needs at least one option",
                )
            )
        problems += _unique_option_values(options, here)
    elif kind in KINDS and isinstance(options, list) and options:
        problems.append(
            Problem(
                f"{here}.options",
                "options_not_allowed",
                f"only single_choice and multi_choice questions have options, not {kind}",
            )
        )

    if kind == "number":
        if scoring == "auto" and isinstance(bands, list) and not bands:
            problems.append(
                Problem(
                    f"{here}.bands",
                    "bands_required",
                    "an automatically scored number question needs at least one band",
                )
            )
        problems += _band_order(bands, here)
    elif kind in KINDS and isinstance(bands, list) and bands:
        problems.append(
            Problem(
                f"{here}.bands",
                "bands_not_allowed",
                f"only number questions have bands, not {kind}",
            )
        )

    problems += _knockout(question, here)
    problems += _tags(question, here)
    problems += check_prefill(question, here)
    return problems


def _unique_option_values(options: Any, here: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for oi, option in _dicts(options):
        value = option.get("value")
        if not isinstance(value, str):
            continue
        if value in seen:
            problems.append(
                Problem(
                    f"{here}.options[{oi}].value",
                    "duplicate_option",
                    f"option value {value!r} is already used by {here}.options[{seen[value]}]",
                )
            )
        else:
            seen[value] = oi
    return problems


def _band_order(bands: Any, here: str) -> list[Problem]:
    problems: list[Problem] = []
    items = _dicts(bands)
    previous: float | None = None
    open_seen: int | None = None
    for bi, band in items:
        if "max" not in band:
            continue  # the schema reports the missing field
        upper = band["max"]
        if upper is None:
            if open_seen is not None:
                problems.append(
                    Problem(
                        f"{here}.bands[{bi}].max",
                        "open_band",
                        f"only one band may be open-ended (max null); bands[{open_seen}] "
                        "already is",
                    )
                )
            open_seen = bi
            continue
        if not is_number(upper):
            continue
        if open_seen is not None:
            problems.append(
                Problem(
                    f"{here}.bands[{open_seen}].max",
                    "open_band",
                    "the open-ended band (max null) matches every value, so it must be last",
                )
            )
            open_seen = None  # report it once
        elif previous is not None and upper <= previous:
            problems.append(
                Problem(
                    f"{here}.bands[{bi}].max",
                    "bands_order",
                    f"band maxima must strictly increase: {upper} follows {previous}",
                )
            )
        previous = upper
    return problems


def _knockout(question: dict, here: str) -> list[Problem]:
    if question.get("knockout") is not True:
        return []
    problems: list[Problem] = []
    weight = question.get("weight", QUESTION_DEFAULTS["weight"])
    if is_number(weight) and weight == 0:
        problems.append(
            Problem(
                f"{here}.knockout",
                "knockout_unscored",
                "a knockout question with weight 0 is never applicable, so it could never "
                "disqualify anyone; give it a weight or drop the knockout",
            )
        )
    threshold = question.get("pass_threshold", QUESTION_DEFAULTS["pass_threshold"])
    if not _unit(threshold):
        return problems  # wrong type or out of [0, 1]: the schema reports it
    if threshold == 0:
        problems.append(
            Problem(
                f"{here}.pass_threshold",
                "knockout_threshold",
                "a knockout's pass_threshold must be greater than 0",
            )
        )
        return problems
    # An answer that cannot reach the threshold is only a warning (document_warnings):
    # a lead override can still pass the knockout.
    return problems


def _tags(question: dict, here: str) -> list[Problem]:
    tags = question.get("tags", [])
    if not isinstance(tags, list):
        return []
    problems: list[Problem] = []
    valid = {t.value for t in RedFlagTag}
    for ti, tag in enumerate(tags):
        if not isinstance(tag, str) or tag in valid:
            continue
        squashed = _squash(tag)
        # Same letters up to case, separators or a plural "s": almost surely a typo.
        intended = (
            _RED_FLAG_SQUASHED.get(squashed)
            or _RED_FLAG_SQUASHED.get(squashed + "s")
            or _RED_FLAG_SQUASHED.get(squashed.removesuffix("s"))
            or _RED_FLAG_SQUASHED.get(re.sub("ies$", "y", squashed))
        )
        if intended:
            problems.append(
                Problem(
                    f"{here}.tags[{ti}]",
                    "red_flag_tag",
                    f"{tag!r} looks like the red-flag tag {intended!r}; red-flag tags must be "
                    "spelled exactly, or no red flag will ever be raised",
                )
            )
    weight = question.get("weight", QUESTION_DEFAULTS["weight"])
    flagged = sorted(valid.intersection(t for t in tags if isinstance(t, str)))
    if flagged and is_number(weight) and weight == 0:
        problems.append(
            Problem(
                f"{here}.tags",
                "red_flag_unscored",
                f"red-flag tag(s) {', '.join(flagged)} on a question with weight 0 never "
                "raise a flag, because weight-0 questions are never applicable",
            )
        )
    return problems


def _publishable(sections: list[tuple[int, dict]]) -> list[Problem]:
    problems: list[Problem] = []
    scored = False
    for si, section in sections:
        questions = _dicts(section.get("questions"))
        if isinstance(section.get("questions"), list) and not section["questions"]:
            problems.append(
                Problem(
                    f"sections[{si}].questions",
                    "empty_section",
                    "a published section needs at least one question",
                )
            )
        section_weight = section.get("weight", SECTION_DEFAULTS["weight"])
        if not (is_number(section_weight) and section_weight > 0):
            continue
        for _, question in questions:
            weight = question.get("weight", QUESTION_DEFAULTS["weight"])
            if is_number(weight) and weight > 0:
                scored = True
    if not scored:
        problems.append(
            Problem(
                "sections",
                "nothing_scored",
                "a published questionnaire needs at least one scored question "
                "(weight > 0 in a section with weight > 0)",
            )
        )
    return problems

"""Warnings about questionnaire documents: allowed, but probably not what was meant.

Pure module (no Django), beside ``document_rules`` (whose problems refuse a
document). A warning never refuses anything; the API shows a version's warnings
with its content, so an import or a draft edit that triggers one still succeeds
and says why the result may surprise.
"""

from __future__ import annotations

from typing import Any

from .document_rules import (
    CHOICE_KINDS,
    QUESTION_DEFAULTS,
    _dicts,
    _unit,
    default_scoring,
)
from .document_schema import Problem, join_path

#: Codes of the warnings, documented in docs/questionnaire-format.md.
WARNING_CODES = ("knockout_unreachable",)


def best_score(question: dict) -> float | None:
    """The highest x an answer (or the evaluators' ratings) can give a question, or
    None when it cannot be told. A lead override can give any x in [0, 1]."""
    kind = question.get("kind") if isinstance(question.get("kind"), str) else None
    if question.get("scoring", default_scoring(kind)) == "judged" or kind == "scale":
        return 1.0
    if kind == "boolean":
        scores = [
            question.get("true_score", QUESTION_DEFAULTS["true_score"]),
            question.get("false_score", QUESTION_DEFAULTS["false_score"]),
        ]
    elif kind in CHOICE_KINDS:
        scores = [o.get("score") for _, o in _dicts(question.get("options"))]
    elif kind == "number":
        scores = [b.get("score") for _, b in _dicts(question.get("bands"))]
    else:
        return None
    if not scores or not all(_unit(s) for s in scores):
        return None  # the schema reports bad scores; guessing here would only add noise
    if kind == "multi_choice":
        # Same arithmetic as the scorer: choose every option that adds something.
        return min(1, sum(s for s in scores if s > 0))
    return max(scores)


def _override_only_knockout(question: dict, here: str) -> list[Problem]:
    """A knockout no answer can pass: docs/scoring.md disqualifies every candidate whose x
    stays below ``pass_threshold``, and only a lead override (which replaces x)
    lifts it. Legitimate (a must-have the lead checks by hand), so a warning."""
    if question.get("knockout") is not True:
        return []
    threshold = question.get("pass_threshold", QUESTION_DEFAULTS["pass_threshold"])
    best = best_score(question)
    if not _unit(threshold) or threshold == 0 or best is None or best >= threshold:
        return []
    return [
        Problem(
            f"{here}.pass_threshold",
            "knockout_unreachable",
            f"no answer can reach the pass_threshold {threshold}: the best possible score "
            f"for this {question.get('kind')} question is {best:g}, so only a lead override "
            "can pass this knockout; every candidate without one is disqualified",
        )
    ]


def document_warnings(doc: Any) -> list[Problem]:
    """Every warning about ``doc``, in document order (``path`` locates each)."""
    if not isinstance(doc, dict):
        return []
    warnings: list[Problem] = []
    for si, section in _dicts(doc.get("sections")):
        for qi, question in _dicts(section.get("questions")):
            here = join_path(["sections", si, "questions", qi])
            warnings += _override_only_knockout(question, here)
    return warnings

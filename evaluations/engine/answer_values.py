"""Validation of answer values against their question's kind (pure).

The scoring engine treats a malformed value as unanswered; the API refuses it
up front so the buyer learns about it when entering the answer.
"""

from typing import Any

from evaluations.engine.types import is_number

MAX_TEXT_LENGTH = 20_000
MAX_EVIDENCE_DOCUMENTS = 50


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def answer_error(
    kind: str, value: Any, *, options=(), scale_max: int = 5, document_ids=frozenset()
) -> str | None:
    """Why ``value`` is not a valid answer for a question, or None if it is.

    ``options`` are the question's option values; ``document_ids`` the ids of
    the candidate provider's evidence documents.
    """
    if kind == "boolean":
        return None if isinstance(value, bool) else "Expected true or false."
    if kind == "single_choice":
        if not isinstance(value, str) or value not in options:
            return f"Expected one of: {', '.join(options)}."
        return None
    if kind == "multi_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "Expected a list of option values."
        unknown = [v for v in value if v not in options]
        if unknown:
            return f"Unknown options: {', '.join(unknown)}."
        return "Options may not repeat." if len(set(value)) != len(value) else None
    if kind == "number":
        return None if is_number(value) else "Expected a number."
    if kind == "scale":
        if not _is_int(value) or not 0 <= value <= scale_max:
            return f"Expected an integer from 0 to {scale_max}."
        return None
    if kind == "text":
        if not isinstance(value, str):
            return "Expected text."
        return (
            None
            if len(value) <= MAX_TEXT_LENGTH
            else (f"Text is limited to {MAX_TEXT_LENGTH} characters.")
        )
    if kind == "evidence":
        if not isinstance(value, list) or not all(_is_int(v) for v in value):
            return "Expected a list of document ids."
        if len(value) > MAX_EVIDENCE_DOCUMENTS:
            return f"At most {MAX_EVIDENCE_DOCUMENTS} documents."
        foreign = [v for v in value if v not in document_ids]
        if foreign:
            return f"Not documents of this provider: {', '.join(map(str, foreign))}."
        return None
    return f"Unknown question kind {kind!r}."

"""Problems, and the JSON Schema of questionnaire documents with its errors as Problems.

Pure module (no Django). jsonschema's errors are turned into ``Problem``s with
paths like ``sections[2].questions[4].options`` and short codes; a missing
field gets the path of the field itself and each unknown field its own problem.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

SCHEMA_PATH = Path(__file__).parent / "content" / "schema" / "questionnaire.schema.json"


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect in a document. ``path`` is empty for the document itself."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message} [{self.code}]"


def join_path(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """``['sections', 2, 'questions', 4, 'options']`` -> ``sections[2].questions[4].options``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def document_schema() -> dict:
    """The JSON Schema (draft 2020-12) of the document (a fresh copy each call)."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(document_schema())


_PATTERN_HINTS = {
    "^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$": "lowercase words joined by hyphens, e.g. provider-vetting",
    "^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$": "lowercase words joined by hyphens or underscores, "
    "starting with a letter, e.g. soc",
    "^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$": "uppercase letters and digits joined by hyphens, "
    "e.g. SOC-01",
    "^[a-z0-9]+(?:[-_][a-z0-9]+)*$": "lowercase words joined by hyphens or underscores, "
    "e.g. third_party",
    "^[a-z0-9]+(?:[-_.][a-z0-9]+)*$": "lowercase words joined by hyphens, underscores or "
    "dots, e.g. mssp.edr",
}
_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}
_SCHEMA_CODES = {
    "required": "missing",
    "additionalProperties": "unknown_field",
    "type": "wrong_type",
    "enum": "invalid_value",
    "const": "invalid_value",
    "pattern": "invalid_format",
    "minimum": "out_of_range",
    "maximum": "out_of_range",
    "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
    "minLength": "invalid_length",
    "maxLength": "invalid_length",
    "minItems": "invalid_count",
    "maxItems": "invalid_count",
    "uniqueItems": "duplicate_item",
}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    for name, types in (("number", int | float), ("string", str), ("array", list)):
        if isinstance(value, types):
            return _TYPE_NAMES[name]
    return _TYPE_NAMES["object"] if isinstance(value, dict) else type(value).__name__


def _schema_message(error: ValidationError) -> str:
    kind, expected, got = error.validator, error.validator_value, error.instance
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"must be {wanted}, not {_describe(got)}"
    if kind == "enum":
        return f"{got!r} is not allowed; use one of: {', '.join(map(str, expected))}"
    if kind == "const":
        return f"must be {json.dumps(expected)}"
    if kind == "pattern":
        return f"{got!r} is not valid: use {_PATTERN_HINTS.get(expected, expected)}"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
    }
    if kind in bounds:
        return f"must be {bounds[kind]} {expected:g} (got {got:g})"
    if kind == "minLength":
        return "must not be empty" if expected == 1 else f"needs at least {expected} characters"
    if kind == "maxLength":
        return f"must be at most {expected} characters (got {len(got)})"
    if kind == "minItems":
        return f"needs at least {expected} item(s)"
    if kind == "maxItems":
        return f"may have at most {expected} items (got {len(got)})"
    if kind == "uniqueItems":
        return "must not list the same item twice"
    return error.message


def schema_problems(doc: Any) -> list[Problem]:
    problems: list[Problem] = []
    for error in _validator().iter_errors(doc):
        parts = list(error.absolute_path)
        here = join_path(parts)
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [f for f in error.validator_value if f not in error.instance]
            for name in missing:
                problem = Problem(join_path([*parts, name]), "missing", "is required")
                if problem not in problems:
                    problems.append(problem)
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(error.schema.get("properties", {}))
            for key in error.instance:
                if key in known:
                    continue
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    Problem(join_path([*parts, str(key)]), "unknown_field", f"unknown field{hint}")
                )
        else:
            code = _SCHEMA_CODES.get(str(error.validator), "schema")
            problems.append(Problem(here, code, _schema_message(error)))
    return problems

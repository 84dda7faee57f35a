"""The questionnaire document: the one format for import and export.

Pure module (no Django). ``load_document`` parses JSON or YAML text safely,
``validate_document`` reports every problem at once (JSON Schema first, then the
semantic rules of ``document_rules``), ``normalise_document`` fills defaults in
a canonical key order, and ``dump_document`` writes stable text. An exporter
should write ``dump_document(normalise_document(doc), fmt)``: then
``load_document(dump_document(n, fmt), fmt) == n`` for a normalised ``n``.

The format is described in docs/questionnaire-format.md; the JSON Schema ships
as content/schema/questionnaire.schema.json for offline validation.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from .document_rules import (
    DOCUMENT_DEFAULTS,
    QUESTION_DEFAULTS,
    SECTION_DEFAULTS,
    check_document,
    default_scoring,
)
from .document_schema import SCHEMA_PATH, Problem, document_schema, schema_problems
from .document_yaml import YamlLimitExceeded, parse_yaml

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA_PATH",
    "DocumentError",
    "Problem",
    "document_schema",
    "dump_document",
    "load_document",
    "normalise_document",
    "validate_document",
]

FORMAT = "provider-scorecards/questionnaire"
FORMAT_VERSION = 1

MAX_BYTES = 2_000_000  # far above the largest sensible questionnaire
MAX_DEPTH = 16  # a valid document nests 8 levels deep
MAX_NODES = 50_000  # values; the largest built-in questionnaire has 1,301

_FORMATS = {"json": "json", "yaml": "yaml", "yml": "yaml"}


class DocumentError(ValueError):
    """The text could not be read as a document (before any validation)."""

    def __init__(
        self, code: str, message: str, *, line: int | None = None, column: int | None = None
    ):
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.code = code
        self.message = message
        self.line = line
        self.column = column


def _format_of(fmt: str) -> str:
    try:
        return _FORMATS[str(fmt).lower()]
    except KeyError:
        raise ValueError(f"unknown document format {fmt!r}; use 'json' or 'yaml'") from None


# --- loading -----------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DocumentError("duplicate_key", f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise DocumentError("parse_error", f"{name} is not a valid number in a document")


def _parse(text: str, fmt: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise DocumentError(
                "parse_error", f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
            ) from None
    try:
        return parse_yaml(text, max_values=MAX_NODES, max_depth=MAX_DEPTH)
    except YamlLimitExceeded as exc:
        raise DocumentError(exc.code, exc.message, line=exc.line, column=exc.column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "unreadable"
        raise DocumentError(
            "parse_error",
            f"invalid YAML: {message}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError("parse_error", f"invalid YAML: {exc}") from None


def _check_shape(data: Any) -> None:
    """Only JSON values, finite numbers, bounded depth and size."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise DocumentError("too_large", f"the document has more than {MAX_NODES} values")
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise DocumentError("too_deep", f"the document nests deeper than {MAX_DEPTH}")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise DocumentError("parse_error", "numbers must be finite (no NaN or infinity)")
        elif value is not None and not isinstance(value, str | int | bool):
            raise DocumentError(
                "unsupported_value",
                f"unsupported value of type {type(value).__name__}; "
                "only strings, numbers, booleans, null, lists and mappings are allowed",
            )


def load_document(text: str | bytes, fmt: str) -> dict:
    """Parse ``text`` as a ``fmt`` ('json' or 'yaml') document.

    Raises DocumentError (a ValueError) when the text is too large, unreadable,
    too deeply nested or not a mapping. Does not validate: see validate_document.
    """
    kind = _format_of(fmt)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DocumentError("parse_error", "the document is not UTF-8 text") from None
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DocumentError("too_large", f"the document is larger than {MAX_BYTES} bytes")
    text = text.removeprefix("\ufeff")
    try:
        data = _parse(text, kind)
    except RecursionError:
        raise DocumentError("too_deep", f"the document nests deeper than {MAX_DEPTH}") from None
    _check_shape(data)
    if not isinstance(data, dict):
        got = "nothing" if data is None else type(data).__name__
        raise DocumentError("not_a_mapping", f"the document must be a mapping, got {got}")
    return data


# --- validation --------------------------------------------------------------


def validate_document(doc: Any, *, for_publish: bool = False) -> list[Problem]:
    """Every problem of ``doc``: schema problems first, then semantic ones.

    An empty list means the document can be imported (and, with
    ``for_publish=True``, published).
    """
    return schema_problems(doc) + check_document(doc, for_publish=for_publish)


# --- normalisation -----------------------------------------------------------


def _num(value: Any) -> Any:
    """Canonical number: an integral float is written as an integer (1.0 -> 1)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _list(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _normalise_question(q: dict) -> dict:
    kind = q.get("kind")

    def get(key: str) -> Any:
        return q.get(key, QUESTION_DEFAULTS[key])

    return {
        "code": q.get("code"),
        "text": q.get("text"),
        "help_text": get("help_text"),
        "guidance": get("guidance"),
        "kind": kind,
        "weight": _num(get("weight")),
        "scoring": q.get("scoring", default_scoring(kind)),
        "options": [
            {"value": o.get("value"), "label": o.get("label"), "score": _num(o.get("score"))}
            if isinstance(o, dict)
            else o
            for o in q.get("options", [])
        ],
        "true_score": _num(get("true_score")),
        "false_score": _num(get("false_score")),
        "bands": [
            {"max": _num(b.get("max")), "score": _num(b.get("score"))} if isinstance(b, dict) else b
            for b in q.get("bands", [])
        ],
        "scale_max": _num(get("scale_max")),
        "knockout": get("knockout"),
        "pass_threshold": _num(get("pass_threshold")),
        "tags": _list(q.get("tags", [])),
        "applies_to": _list(q.get("applies_to", [])),
        "industries": _list(q.get("industries", [])),
        "prefill": _normalise_prefill(q.get("prefill")),
    }


def _normalise_prefill(prefill: Any) -> Any:
    if not isinstance(prefill, dict):
        return prefill  # null (no mapping); anything else the schema has refused
    values = prefill.get("values", {})
    # A mapping has no order that means anything; sorted, it reads back the same from
    # a store that does not keep key order (PostgreSQL's jsonb).
    return {
        "source": prefill.get("source"),
        "values": dict(sorted(values.items())) if isinstance(values, dict) else values,
    }


def _normalise_section(s: dict) -> dict:
    return {
        "code": s.get("code"),
        "title": s.get("title"),
        "description": s.get("description", SECTION_DEFAULTS["description"]),
        "weight": _num(s.get("weight", SECTION_DEFAULTS["weight"])),
        "questions": [
            _normalise_question(q) if isinstance(q, dict) else q for q in s.get("questions", [])
        ],
    }


def normalise_document(doc: dict) -> dict:
    """The canonical form of a valid document: every field present, defaults
    filled, keys in canonical order, integral floats as integers, unknown keys
    dropped. Lists keep their order. Idempotent; does not modify ``doc``.
    """
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": doc.get("code"),
        "name": doc.get("name"),
        "description": doc.get("description", DOCUMENT_DEFAULTS["description"]),
        "version_label": doc.get("version_label", DOCUMENT_DEFAULTS["version_label"]),
        "sections": [
            _normalise_section(s) if isinstance(s, dict) else s for s in doc.get("sections", [])
        ],
    }


# --- dumping -----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_document(doc: dict, fmt: str) -> str:
    """Stable text for ``doc``: pretty JSON (2-space indent) or block YAML in the
    document's own key order. Pass a normalised document for canonical output.
    """
    if _format_of(fmt) == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
        indent=2,
    )

"""The catalogue of provider-record sources a question's ``prefill`` may name, and
the semantic rules of a ``prefill`` mapping.

Pure module (no Django). A source says which question kinds it fits and, when it
yields codes (a SOC model, a remedy type, a capability code), which codes a
``values`` mapping may map from. What each source reads from the record, and
when an answer contradicts it, is ``questionnaires.prefill``; the catalogue is
documented in docs/questionnaire-format.md ("Prefill from the provider record").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from providers.catalog import load_capability_catalog
from providers.vocabulary import Framework, SocModel

from .document_schema import Problem

CHOICE_KINDS = frozenset({"single_choice", "multi_choice"})

# Record codes of the derived sources (docs/questionnaire-format.md says what each means).
REFERENCE_CODES = ("same_regime", "same_industry", "not_contactable")
DELIVERY_CODES = ("self_only", "partner")
# RemedyType's values (providers.choices, a Django module): kept here as plain text.
REMEDY_CODES = ("service_credit", "fee_reduction", "escalation", "termination_right", "none")
# SLA metrics whose targets are durations; the prefill gives them in minutes.
SLA_TIME_METRICS = ("incident_response_time", "time_to_acknowledge", "time_to_resolve")


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kinds: frozenset[str]
    # Record values a choice question's `values` maps from; None: a plain value.
    codes: tuple[str, ...] | None
    # Whether an answer can contradict the record (a record conflict).
    comparable: bool


def _capability_codes() -> tuple[str, ...]:
    return tuple(capability.code for capability in load_capability_catalog())


def _sources() -> dict[str, Source]:
    listed = [
        Source(
            "provider.soc_model",
            frozenset({"single_choice"}),
            tuple(m.value for m in SocModel),
            True,
        ),
        Source("references.buyer_industry", frozenset({"single_choice"}), REFERENCE_CODES, True),
        Source(
            "provider.frameworks",
            frozenset({"multi_choice"}),
            tuple(f.value for f in Framework),
            False,
        ),
        Source("slas.remedy", frozenset({"single_choice"}), REMEDY_CODES, True),
        *(
            Source(f"slas.{metric}", frozenset({"number"}), None, True)
            for metric in SLA_TIME_METRICS
        ),
        Source("documents.sample_report", frozenset({"evidence"}), None, False),
        Source("capabilities.offered", frozenset({"multi_choice"}), _capability_codes(), False),
        Source(
            "capabilities.partner_delivered",
            frozenset({"single_choice", "boolean"}),
            DELIVERY_CODES,
            True,
        ),
    ]
    return {source.name: source for source in listed}


SOURCES: dict[str, Source] = _sources()


def source_of(prefill: Any) -> Source | None:
    """The catalogue entry a mapping names (None for no mapping or an unknown source)."""
    if not isinstance(prefill, dict) or not isinstance(prefill.get("source"), str):
        return None
    return SOURCES.get(prefill["source"])


def check_prefill(question: dict, here: str) -> list[Problem]:
    """Semantic problems of a question's ``prefill`` (the schema checks its shape and
    that the source is in the catalogue)."""
    prefill = question.get("prefill")
    source = source_of(prefill)
    kind = question.get("kind")
    if source is None or not isinstance(kind, str):
        return []
    where = f"{here}.prefill"
    if kind not in source.kinds:
        fits = ", ".join(sorted(source.kinds))
        return [
            Problem(
                f"{where}.source",
                "prefill_kind",
                f"{source.name} prefills {fits} questions, not {kind}",
            )
        ]
    values = prefill.get("values", {})
    if not isinstance(values, dict):
        return []  # the schema reports it
    if kind not in CHOICE_KINDS:
        if values:
            return [
                Problem(
                    f"{where}.values",
                    "prefill_values_not_allowed",
                    f"a {kind} question takes the record's value as it is; values maps "
                    "record codes to options of choice questions only",
                )
            ]
        return []
    if not values:
        return [
            Problem(
                f"{where}.values",
                "prefill_values_required",
                f"map the record's codes ({', '.join(source.codes or ())}) to this "
                "question's options",
            )
        ]
    options = {o.get("value") for o in question.get("options", []) if isinstance(o, dict)} - {None}
    problems: list[Problem] = []
    for code, option in values.items():
        if code not in (source.codes or ()):
            problems.append(
                Problem(
                    f"{where}.values.{code}",
                    "prefill_unknown_value",
                    f"{code!r} is not a value {source.name} holds",
                )
            )
        elif isinstance(option, str) and option not in options:
            problems.append(
                Problem(
                    f"{where}.values.{code}",
                    "prefill_unknown_option",
                    f"{option!r} is not an option of this question",
                )
            )
    return problems

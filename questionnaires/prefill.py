"""Prefilled answers and record conflicts, from a plain snapshot of the provider record.

Pure module (no Django). ``record_value`` reads one catalogue source
(``questionnaires.prefill_sources``) from a ``ProviderRecord``: a code, a number
or a list, with a note saying where it comes from, or None when the record holds
nothing to go on. ``prefill_for`` turns it into an answer of the question through
the mapping; ``conflict_for`` says whether an answer contradicts the record. The
rules are in docs/questionnaire-format.md ("Prefill from the provider record").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .prefill_sources import SLA_TIME_METRICS, source_of

MAX_PREFILLED_DOCUMENTS = 20  # well under what an evidence answer may cite (50)
_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}
# The one source a record conflict can be resolved by writing the record from the answer.
WRITABLE_SOURCES = frozenset({"provider.soc_model"})


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    industry: str
    frameworks: tuple[str, ...]
    contactable: bool


@dataclass(frozen=True, slots=True)
class SlaRow:
    metric: str
    target: float
    unit: str
    remedy: str


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class OfferingRow:
    capability: str
    partner_name: str  # empty when the provider delivers it itself


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """What the record says about one provider, with the evaluation's industry and
    frameworks (the buyer's regime), which decide what "in our industry" means."""

    soc_model: str | None
    frameworks: tuple[str, ...]
    references: tuple[ReferenceRow, ...]
    slas: tuple[SlaRow, ...]
    sample_reports: tuple[DocumentRow, ...]
    offerings: tuple[OfferingRow, ...]
    industry: str = ""  # the evaluation's (for_buyer)
    regime: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordValue:
    value: Any  # a source code, a number or a list
    note: str


@dataclass(frozen=True, slots=True)
class Prefill:
    value: Any  # an answer of the question's kind
    note: str


@dataclass(frozen=True, slots=True)
class Conflict:
    answer: Any
    record_value: Any
    expected: Any  # the answer the record stands for
    note: str


def for_buyer(record: ProviderRecord, industry: str, regime) -> ProviderRecord:
    """The record as an evaluation of ``industry`` under the frameworks ``regime`` reads it."""
    return replace(record, industry=industry, regime=tuple(regime or ()))


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _references(record: ProviderRecord) -> RecordValue | None:
    here = [r for r in record.references if r.industry == record.industry]
    if not here:
        return None
    contactable = [r for r in here if r.contactable]
    regime = set(record.regime)
    same_regime = [r for r in contactable if regime & set(r.frameworks)]
    code = "same_regime" if same_regime else "same_industry" if contactable else "not_contactable"
    note = (
        f"{len(here)} reference(s) in {record.industry}, "
        f"{len(contactable)} contactable, {len(same_regime)} under the evaluation's frameworks"
    )
    return RecordValue(code, note)


def _one(values: set) -> Any:
    # Several terms that disagree hold no one answer: nothing is prefilled then.
    return next(iter(values)) if len(values) == 1 else None


def _sla_remedy(record: ProviderRecord) -> RecordValue | None:
    remedy = _one({s.remedy for s in record.slas})
    if remedy is None:
        return None
    return RecordValue(remedy, f"SLA remedy {remedy} ({len(record.slas)} SLA term(s))")


def _sla_minutes(record: ProviderRecord, metric: str) -> RecordValue | None:
    terms = [s for s in record.slas if s.metric == metric and s.unit in _MINUTES]
    minutes = _one({_num(s.target * _MINUTES[s.unit]) for s in terms})
    if minutes is None:
        return None
    return RecordValue(minutes, f"{metric.replace('_', ' ')} {minutes} minutes")


def record_value(source: str, record: ProviderRecord) -> RecordValue | None:
    """What the record holds for ``source``, or None when it holds nothing usable."""
    if source == "provider.soc_model":
        if record.soc_model is None:
            return None
        return RecordValue(record.soc_model, f"SOC model {record.soc_model}")
    if source == "references.buyer_industry":
        return _references(record)
    if source == "provider.frameworks":
        found = set(record.frameworks).union(*(r.frameworks for r in record.references))
        if not found:
            return None
        codes = sorted(found)
        return RecordValue(codes, f"frameworks {', '.join(codes)}")
    if source == "slas.remedy":
        return _sla_remedy(record)
    if source.startswith("slas.") and source[5:] in SLA_TIME_METRICS:
        return _sla_minutes(record, source[5:])
    if source == "documents.sample_report":
        if not record.sample_reports:
            return None
        cited = record.sample_reports[:MAX_PREFILLED_DOCUMENTS]
        titles = "; ".join(f"{d.title!r} (document {d.id})" for d in cited)
        return RecordValue([d.id for d in cited], f"sample report {titles}")
    if source == "capabilities.offered":
        if not record.offerings:
            return None
        codes = [o.capability for o in record.offerings]
        return RecordValue(codes, f"offers {', '.join(codes)}")
    if source == "capabilities.partner_delivered":
        if not record.offerings:
            return None
        partners = sorted({o.partner_name for o in record.offerings if o.partner_name})
        if partners:
            return RecordValue(
                "partner", f"some capabilities delivered by partners: {', '.join(partners)}"
            )
        return RecordValue("self_only", "every capability delivered by the provider itself")
    return None


def _answer(kind: str, options: list[str], values: dict, found: Any) -> Any:
    """The answer of a question of ``kind`` the record value stands for (None: none)."""
    if kind == "single_choice":
        return values.get(found)
    if kind == "multi_choice":
        chosen = {values[code] for code in found if code in values}
        return [option for option in options if option in chosen] or None
    if kind == "boolean":
        return found == "partner"
    return found  # number, evidence: the value as the record holds it


def prefill_for(
    mapping: Any, kind: str, options: list[str], record: ProviderRecord
) -> Prefill | None:
    """The prefilled answer of a question (its ``prefill``, kind and option values)."""
    source = source_of(mapping)
    if source is None or kind not in source.kinds:
        return None
    found = record_value(source.name, record)
    if found is None:
        return None
    value = _answer(kind, options, mapping.get("values") or {}, found.value)
    return None if value is None else Prefill(value, found.note)


def conflict_for(
    mapping: Any, kind: str, options: list[str], answer: Any, record: ProviderRecord
) -> Conflict | None:
    """Whether ``answer`` contradicts the record: only for comparable sources, when the
    record holds a value, and when the answer is one the mapping could have given
    (an option no record code maps to, such as "declined", contradicts nothing)."""
    source = source_of(mapping)
    if source is None or not source.comparable or kind not in source.kinds or answer is None:
        return None
    found = record_value(source.name, record)
    if found is None:
        return None
    values = mapping.get("values") or {}
    expected = _answer(kind, options, values, found.value)
    if expected is None:
        return None  # the record's code maps to no option: nothing to compare
    if kind == "single_choice" and answer not in set(values.values()):
        return None
    if kind == "number":
        if not isinstance(answer, int | float) or float(answer) == float(expected):
            return None
    elif answer == expected:
        return None
    return Conflict(answer, found.value, expected, found.note)


def record_code_for(mapping: Any, answer: Any) -> str | None:
    """The one record code a single-choice answer stands for (resolving a conflict by
    writing the record), or None when no code or several codes map to it."""
    codes = [code for code, option in (mapping.get("values") or {}).items() if option == answer]
    return codes[0] if len(codes) == 1 else None

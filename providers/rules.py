"""Validation rules of the provider catalog. Pure Python: plain values in, violations out.

The API serializers, the bulk import and the admin (``Model.clean``) all call
these functions, so a rule is written once. Each function returns a list of
:class:`Violation` (empty when the data is fine); callers turn them into their
own error type. Lists are normalised (trimmed, deduplicated in first-seen
order) by :func:`dedupe` before the rules run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from config.text import is_blank
from providers.vocabulary import ServiceModel, SocModel

MAX_TAGS = 50
MAX_TAG_LENGTH = 50
MAX_CERTIFICATIONS = 50
MAX_CERTIFICATION_LENGTH = 100
# Slugs and tags: lowercase ASCII letters and digits in runs joined by single hyphens.
SLUG_PATTERN = r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z"
TAG_PATTERN = SLUG_PATTERN
_TAG_RE = re.compile(TAG_PATTERN)

# External ids: a connected system's name is a short slug (`_` allowed, as in
# `ms_dynamics`); its id for a provider is any printable text up to 200 characters.
MAX_EXTERNAL_IDS = 20
MAX_EXTERNAL_SYSTEM_LENGTH = 32
MAX_EXTERNAL_ID_LENGTH = 200
EXTERNAL_SYSTEM_PATTERN = r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z"
_EXTERNAL_SYSTEM_RE = re.compile(EXTERNAL_SYSTEM_PATTERN)

# SOC models for which the operator of the SOC must be named.
SOC_MODELS_NEEDING_NAME = frozenset({SocModel.THIRD_PARTY.value, SocModel.HYBRID.value})

_SOC_FIELDS = ("soc_model", "third_party_soc_name")
_PARTNER_FIELDS = ("delivered_by", "partner_name")

TIME_UNITS = frozenset({"minutes", "hours", "days"})
PERCENT_METRICS = frozenset({"uptime"})
TIME_METRICS = frozenset(
    {
        "incident_response_time",
        "time_to_acknowledge",
        "time_to_resolve",
        "patch_window",
        "report_delivery",
    }
)


@dataclass(frozen=True, slots=True)
class Violation:
    field: str | None  # where to report it; None: the object as a whole
    code: str
    message: str
    involves: tuple[str, ...] = ()  # every field whose value decides the rule


def dedupe(values: Iterable[Any]) -> list[Any]:
    """Drop repeats, keeping the first occurrence's position."""
    seen: set[Any] = set()
    result = []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


def is_tag(value: str) -> bool:
    return len(value) <= MAX_TAG_LENGTH and bool(_TAG_RE.match(value))


def _visible_text(data: Mapping[str, Any], key: str) -> str:
    """The stripped text, or "" when it is blank (``config.text.is_blank``)."""
    value = data.get(key) or ""
    return "" if is_blank(value) else value.strip()


def provider_violations(data: Mapping[str, Any]) -> list[Violation]:
    """Rules that tie a provider's fields together.

    ``data`` holds the provider's complete (merged) state: ``service_models``,
    ``soc_model`` (None when not stated) and ``third_party_soc_name``.
    """
    violations = []
    service_models = data.get("service_models") or []
    soc_model = data.get("soc_model") or None
    soc_name = _visible_text(data, "third_party_soc_name")

    if ServiceModel.MSSP.value in service_models and soc_model is None:
        violations.append(
            Violation(
                "soc_model",
                "soc_model_required",
                "A provider offering MSSP services must state its SOC model "
                "(own, hybrid, third_party or none).",
                ("service_models", "soc_model"),
            )
        )
    if soc_model in SOC_MODELS_NEEDING_NAME and not soc_name:
        violations.append(
            Violation(
                "third_party_soc_name",
                "soc_name_required",
                "Name the firm that operates the SOC when it is third-party or hybrid.",
                _SOC_FIELDS,
            )
        )
    if soc_name and soc_model not in SOC_MODELS_NEEDING_NAME:
        violations.append(
            Violation(
                "third_party_soc_name",
                "soc_name_not_allowed",
                "Only a third-party or hybrid SOC has an outside operator to name; "
                "leave this empty for an own SOC, no SOC or an unstated SOC model.",
                _SOC_FIELDS,
            )
        )
    return violations


def offering_violations(data: Mapping[str, Any]) -> list[Violation]:
    """A partner-delivered capability names the partner; a self-delivered one does not."""
    delivered_by = data.get("delivered_by") or "self"
    partner_name = _visible_text(data, "partner_name")
    if delivered_by == "partner" and not partner_name:
        return [
            Violation(
                "partner_name",
                "partner_name_required",
                "Name the partner that delivers this capability.",
                _PARTNER_FIELDS,
            )
        ]
    if delivered_by == "self" and partner_name:
        return [
            Violation(
                "partner_name",
                "partner_name_not_allowed",
                "A capability the provider delivers itself has no partner; "
                "set delivered_by to partner or leave this empty.",
                _PARTNER_FIELDS,
            )
        ]
    return []


def sla_violations(data: Mapping[str, Any]) -> list[Violation]:
    """Units must fit the metric, percentages stay within 100, remedies are spelled out."""
    violations = []
    metric = data.get("metric")
    unit = data.get("unit")
    target = data.get("target_value")
    remedy_type = data.get("remedy_type")
    details = _visible_text(data, "remedy_details")

    if metric in PERCENT_METRICS and unit != "percent":
        violations.append(
            Violation(
                "unit",
                "unit_mismatch",
                f"The {metric} metric is measured in percent.",
                ("metric", "unit"),
            )
        )
    if metric in TIME_METRICS and unit not in TIME_UNITS:
        violations.append(
            Violation(
                "unit",
                "unit_mismatch",
                f"The {metric} metric is a duration: use minutes, hours or days.",
                ("metric", "unit"),
            )
        )
    if unit == "percent" and target is not None and Decimal(str(target)) > 100:
        violations.append(
            Violation(
                "target_value",
                "max_value",
                "A percentage cannot exceed 100.",
                ("unit", "target_value"),
            )
        )
    if remedy_type and remedy_type != "none" and not details:
        violations.append(
            Violation(
                "remedy_details",
                "remedy_details_required",
                "Describe the remedy (amount of credit, escalation path, notice period...).",
                ("remedy_type", "remedy_details"),
            )
        )
    return violations


def reference_violations(data: Mapping[str, Any]) -> list[Violation]:
    """A verification date needs the verified flag; a contactable reference needs a contact."""
    violations = []
    if data.get("verified_at") and not data.get("verified"):
        violations.append(
            Violation(
                "verified_at",
                "not_verified",
                "A verification date is only recorded for a verified reference.",
                ("verified", "verified_at"),
            )
        )
    has_channel = bool(_visible_text(data, "contact_email") or _visible_text(data, "contact_phone"))
    if data.get("contactable") and not has_channel:
        violations.append(
            Violation(
                "contactable",
                "contact_required",
                "A contactable reference needs a contact_email or a contact_phone.",
                ("contactable", "contact_email", "contact_phone"),
            )
        )
    return violations


def _printable_id(value: str) -> bool:
    # No control, format (e.g. zero-width space), surrogate, private or unassigned
    # characters: an id is matched exactly, so invisible characters only mislead.
    return all(not unicodedata.category(ch).startswith("C") for ch in value)


def external_id_violations(changes: Mapping[str, Any]) -> list[Violation]:
    """Problems of an ``external_ids`` change: system -> id (a string), or None to
    remove that system's id. Each violation's field is ``external_ids.<system>``."""
    violations = []
    if len(changes) > MAX_EXTERNAL_IDS:
        violations.append(
            Violation(
                "external_ids", "max_length", f"At most {MAX_EXTERNAL_IDS} connected systems."
            )
        )
    for system, value in changes.items():
        where = f"external_ids.{system}"
        if len(system) > MAX_EXTERNAL_SYSTEM_LENGTH or not _EXTERNAL_SYSTEM_RE.match(system):
            violations.append(
                Violation(
                    where,
                    "invalid_system",
                    f"A system name is a lowercase slug of at most {MAX_EXTERNAL_SYSTEM_LENGTH} "
                    "characters (letters, digits, single '-' or '_' between them), "
                    "e.g. 'hubspot'.",
                )
            )
        if value is None:
            continue
        if not isinstance(value, str):
            violations.append(Violation(where, "invalid", "An external id is a string."))
        elif not value.strip() or value != value.strip():
            violations.append(
                Violation(where, "blank", "An external id is visible text without outer spaces.")
            )
        elif len(value) > MAX_EXTERNAL_ID_LENGTH:
            violations.append(
                Violation(where, "max_length", f"At most {MAX_EXTERNAL_ID_LENGTH} characters.")
            )
        elif not _printable_id(value):
            violations.append(
                Violation(where, "invalid_character", "Control or invisible characters.")
            )
    return violations

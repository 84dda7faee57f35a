"""Needs assessment: which kinds of provider a buyer needs, and why. Pure Python.

``assess_needs(profile)`` applies the rule table in ``needs.rules``:

1. *Floor* rules run in table order; each raises the verdict of the models it
   names to at least its level. The last few (``derived``) read the levels
   reached so far.
2. *Cap* rules then lower verdicts where in-house people already do the work.
3. A model the buyer already has (``engaged_service_models``) keeps its verdict
   and gains the ``already_engaged`` reason: the verdict says how much the
   function is needed; being engaged says it is (nominally) covered.

Reasons per model list every rule that fired for it: floor rules strongest
first (then table order), then caps, then ``already_engaged``. A model no rule
touched is ``not_needed`` with no reasons. Warnings compare the verdicts with
what the buyer has in place today (engaged models, in-house staff).
Same profile in, same result out: no clock, no randomness, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from needs import rules as nr
from needs.rules import Priority, Signal, Verdict
from providers.vocabulary import Delivery, Framework, Industry, ServiceModel

PACK_VETTING = "provider-vetting"
PACK_HEALTHCARE = "pack-healthcare"
PACK_FINANCIAL = "pack-financial"
PACK_DEFENSE = "pack-defense"
PACK_MANUFACTURING = "pack-manufacturing"
PACK_LEGAL = "pack-legal"
PACK_VCIO = "pack-vcio"

#: Every pack code the assessment can select, in output order.
PACKS: tuple[str, ...] = (
    PACK_VETTING,
    PACK_HEALTHCARE,
    PACK_FINANCIAL,
    PACK_DEFENSE,
    PACK_MANUFACTURING,
    PACK_LEGAL,
    PACK_VCIO,
)
_INDUSTRY_PACKS = {
    Industry.HEALTHCARE: PACK_HEALTHCARE,
    Industry.FINANCIAL_SERVICES: PACK_FINANCIAL,
    Industry.DEFENSE: PACK_DEFENSE,
    Industry.MANUFACTURING: PACK_MANUFACTURING,
    Industry.LEGAL: PACK_LEGAL,
}
_FRAMEWORK_PACKS = {
    Framework.HIPAA: PACK_HEALTHCARE,
    Framework.SEC_REG_SP: PACK_FINANCIAL,
    Framework.FINRA: PACK_FINANCIAL,
    Framework.CMMC: PACK_DEFENSE,
    Framework.NIST_800_171: PACK_DEFENSE,
    Framework.ABA_MODEL_RULES: PACK_LEGAL,
}
ALREADY_ENGAGED = "already_engaged"
DELIVERY_INTERNAL_IT = "delivery_internal_it_staff"
DELIVERY_INTERNAL_SECURITY = "delivery_internal_security_team"
DELIVERY_NO_INTERNAL_STAFF = "delivery_no_internal_staff"

_OTHER_RULES = {
    ALREADY_ENGAGED: """You already have this kind of provider; the verdict still says how
    much you need it, so the current provider can be checked against it.""",
    DELIVERY_INTERNAL_IT: """You have IT staff, so providers should work alongside them
    (co-managed) rather than take over.""",
    DELIVERY_INTERNAL_SECURITY: """You have security staff, so a security provider should
    share the work with them (co-managed).""",
    DELIVERY_NO_INTERNAL_STAFF: """With no IT or security staff of your own, providers need to
    run the whole service (fully managed).""",
}

#: rule_id -> explanation, for every reason the assessment can give.
RULES: Mapping[str, str] = MappingProxyType(
    {rule.rule_id: rule.explanation for rule in nr.VERDICT_AND_CAP_RULES}
    | {key: " ".join(text.split()) for key, text in _OTHER_RULES.items()}
)

MSP_RELIED_ON_FOR_SECURITY = "msp_relied_on_for_security"
VCISO_WITHOUT_SECURITY_OPERATIONS = "vciso_without_security_operations"
ONE_PROVIDER_FOR_EVERYTHING = "one_provider_for_everything"

#: warning_id -> explanation.
WARNINGS: Mapping[str, str] = MappingProxyType(
    {
        MSP_RELIED_ON_FOR_SECURITY: """You need security operations but have no MSSP engaged,
        so protection would rest on an MSP. Antivirus and a basic firewall run from a NOC
        are not a SOC with analysts, detection and incident response; this is the most
        frequent and most costly mix-up, because the gap stays invisible until an
        attack.""",
        VCISO_WITHOUT_SECURITY_OPERATIONS: """A vCISO is needed or engaged, but no MSSP is
        engaged and there is no in-house security team. A vCISO designs the program and
        does not watch endpoints or handle live incidents; without an operations layer the
        roadmap stays on paper.""",
        ONE_PROVIDER_FOR_EVERYTHING: """More than one kind of provider is needed. A single firm
        may claim to do all of it, but depth usually varies: have each candidate mark every
        function as done by its own staff or by a partner, then run the coverage check on
        the mix you intend to buy.""",
    }
)
WARNINGS = MappingProxyType({key: " ".join(text.split()) for key, text in WARNINGS.items()})

_NEEDED = (Verdict.REQUIRED, Verdict.RECOMMENDED)
MAX_EMPLOYEES = 10_000_000


class ProfileError(ValueError):
    """A buyer profile field is invalid; ``field`` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _enum_tuple(name: str, values: Any, enum: type[StrEnum]) -> tuple:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ProfileError(name, "must be a list")
    chosen = set()
    for value in values:
        try:
            chosen.add(enum(value))
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise ProfileError(name, f"{value!r} is not one of: {allowed}") from None
    return tuple(m for m in enum if m in chosen)  # deduplicated, in enum order


@dataclass(frozen=True)
class BuyerProfile:
    """What the buyer tells us. List fields become deduplicated tuples in vocabulary order."""

    industry: Industry
    employee_count: int
    regulated_data: bool = False
    frameworks: tuple[Framework, ...] = ()
    cyber_insurance_controls: bool = False
    internal_it_staff: bool = False
    internal_security_team: bool = False
    security_leadership: bool = False
    it_strategy_owner: bool = False
    priorities: tuple[Priority, ...] = ()
    signals: tuple[Signal, ...] = ()
    engaged_service_models: tuple[ServiceModel, ...] = field(default=())

    def __post_init__(self) -> None:
        try:
            industry = Industry(self.industry)
        except ValueError:
            raise ProfileError("industry", f"{self.industry!r} is not a known industry") from None
        count = self.employee_count
        if isinstance(count, bool) or not isinstance(count, int):
            raise ProfileError("employee_count", "must be an integer")
        if not 1 <= count <= MAX_EMPLOYEES:
            raise ProfileError("employee_count", f"must be between 1 and {MAX_EMPLOYEES}")
        for f in fields(self):
            if f.type == "bool" and not isinstance(getattr(self, f.name), bool):
                raise ProfileError(f.name, "must be true or false")
        normalised = {
            "industry": industry,
            "frameworks": _enum_tuple("frameworks", self.frameworks, Framework),
            "priorities": _enum_tuple("priorities", self.priorities, Priority),
            "signals": _enum_tuple("signals", self.signals, Signal),
            "engaged_service_models": _enum_tuple(
                "engaged_service_models", self.engaged_service_models, ServiceModel
            ),
        }
        for name, value in normalised.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BuyerProfile:
        """Build from JSON-like data; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ProfileError(unknown[0], "unknown field")
        for required in ("industry", "employee_count"):
            if required not in data:
                raise ProfileError(required, "this field is required")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                out[f.name] = [v.value for v in value]
            elif isinstance(value, StrEnum):
                out[f.name] = value.value
            else:
                out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class Reason:
    rule_id: str
    explanation: str

    def to_dict(self) -> dict[str, str]:
        return {"rule_id": self.rule_id, "explanation": self.explanation}


def _reason(rule_id: str) -> Reason:
    return Reason(rule_id, RULES[rule_id])


@dataclass(frozen=True, slots=True)
class ModelAssessment:
    service_model: ServiceModel
    verdict: Verdict
    already_engaged: bool
    reasons: tuple[Reason, ...]

    @property
    def needed(self) -> bool:
        """Required or recommended."""
        return self.verdict in _NEEDED

    def to_dict(self) -> dict[str, Any]:
        return {
            "service_model": self.service_model.value,
            "verdict": self.verdict.value,
            "already_engaged": self.already_engaged,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class DeliveryRecommendation:
    mode: Delivery  # FULLY_MANAGED or CO_MANAGED
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode.value, "reasons": [r.to_dict() for r in self.reasons]}


@dataclass(frozen=True, slots=True)
class BuyingWarning:
    warning_id: str
    explanation: str
    service_models: tuple[ServiceModel, ...]  # the models the warning is about

    def to_dict(self) -> dict[str, Any]:
        return {
            "warning_id": self.warning_id,
            "explanation": self.explanation,
            "service_models": [m.value for m in self.service_models],
        }


@dataclass(frozen=True, slots=True)
class PackSelection:
    code: str
    triggers: tuple[str, ...]  # "always", "industry:<value>", "framework:<value>", "verdict:vcio"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "triggers": list(self.triggers)}


@dataclass(frozen=True, slots=True)
class NeedsAssessment:
    models: tuple[ModelAssessment, ...]  # always all four, in ServiceModel order
    delivery: DeliveryRecommendation
    warnings: tuple[BuyingWarning, ...]  # in WARNINGS order
    packs: tuple[PackSelection, ...]  # in PACKS order

    def model(self, service_model: ServiceModel | str) -> ModelAssessment:
        wanted = ServiceModel(service_model)
        return next(m for m in self.models if m.service_model == wanted)

    def verdict(self, service_model: ServiceModel | str) -> Verdict:
        return self.model(service_model).verdict

    @property
    def needed_models(self) -> tuple[ServiceModel, ...]:
        """Models whose verdict is required or recommended."""
        return tuple(m.service_model for m in self.models if m.needed)

    @property
    def required_models(self) -> tuple[ServiceModel, ...]:
        return tuple(m.service_model for m in self.models if m.verdict == Verdict.REQUIRED)

    @property
    def pack_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.packs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "models": [m.to_dict() for m in self.models],
            "delivery": self.delivery.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
            "packs": [p.to_dict() for p in self.packs],
        }


def assess_needs(profile: BuyerProfile) -> NeedsAssessment:
    models = _assess_models(profile)
    verdicts = {m.service_model: m.verdict for m in models}
    return NeedsAssessment(
        models=models,
        delivery=_delivery(profile),
        warnings=_warnings(profile, verdicts),
        packs=_packs(profile, verdicts),
    )


def _assess_models(profile: BuyerProfile) -> tuple[ModelAssessment, ...]:
    levels = {model: Verdict.NOT_NEEDED for model in ServiceModel}
    floors: dict[ServiceModel, list[tuple[int, int, str]]] = {m: [] for m in ServiceModel}
    for order, rule in enumerate(nr.VERDICT_RULES):
        if not rule.applies(profile, dict(levels)):
            continue
        for model, level in rule.effects:
            floors[model].append((-level.rank, order, rule.rule_id))
            if level.rank > levels[model].rank:
                levels[model] = level
    caps: dict[ServiceModel, list[str]] = {m: [] for m in ServiceModel}
    for rule in nr.CAP_RULES:
        if not rule.applies(profile, dict(levels)):
            continue
        for model, ceiling in rule.effects:
            caps[model].append(rule.rule_id)
            if levels[model].rank > ceiling.rank:
                levels[model] = ceiling
    result = []
    for model in ServiceModel:
        ids = [rule_id for *_, rule_id in sorted(floors[model])] + caps[model]
        engaged = model in profile.engaged_service_models
        if engaged:
            ids.append(ALREADY_ENGAGED)
        reasons = tuple(_reason(rule_id) for rule_id in ids)
        result.append(ModelAssessment(model, levels[model], engaged, reasons))
    return tuple(result)


def _delivery(profile: BuyerProfile) -> DeliveryRecommendation:
    ids = []
    if profile.internal_it_staff:
        ids.append(DELIVERY_INTERNAL_IT)
    if profile.internal_security_team:
        ids.append(DELIVERY_INTERNAL_SECURITY)
    if not ids:
        return DeliveryRecommendation(
            Delivery.FULLY_MANAGED, (_reason(DELIVERY_NO_INTERNAL_STAFF),)
        )
    return DeliveryRecommendation(Delivery.CO_MANAGED, tuple(_reason(i) for i in ids))


def _warnings(
    profile: BuyerProfile, verdicts: Mapping[ServiceModel, Verdict]
) -> tuple[BuyingWarning, ...]:
    engaged = set(profile.engaged_service_models)
    msp, mssp, vciso = ServiceModel.MSP, ServiceModel.MSSP, ServiceModel.VCISO
    no_security_ops = mssp not in engaged and not profile.internal_security_team
    found: list[tuple[str, tuple[ServiceModel, ...]]] = []
    leaning_on_msp = msp in engaged or verdicts[msp] in _NEEDED
    if verdicts[mssp] in _NEEDED and no_security_ops and leaning_on_msp:
        found.append((MSP_RELIED_ON_FOR_SECURITY, (msp, mssp)))
    if (verdicts[vciso] in _NEEDED or vciso in engaged) and no_security_ops:
        found.append((VCISO_WITHOUT_SECURITY_OPERATIONS, (mssp, vciso)))
    needed = tuple(m for m in ServiceModel if verdicts[m] in _NEEDED)
    if len(needed) > 1:
        found.append((ONE_PROVIDER_FOR_EVERYTHING, needed))
    return tuple(BuyingWarning(wid, WARNINGS[wid], models) for wid, models in found)


def _packs(
    profile: BuyerProfile, verdicts: Mapping[ServiceModel, Verdict]
) -> tuple[PackSelection, ...]:
    triggers: dict[str, list[str]] = {PACK_VETTING: ["always"]}
    if profile.industry in _INDUSTRY_PACKS:
        triggers.setdefault(_INDUSTRY_PACKS[profile.industry], []).append(
            f"industry:{profile.industry.value}"
        )
    for framework in profile.frameworks:
        if framework in _FRAMEWORK_PACKS:
            triggers.setdefault(_FRAMEWORK_PACKS[framework], []).append(
                f"framework:{framework.value}"
            )
    if verdicts[ServiceModel.VCIO] in _NEEDED:
        triggers.setdefault(PACK_VCIO, []).append(f"verdict:{ServiceModel.VCIO.value}")
    return tuple(PackSelection(code, tuple(triggers[code])) for code in PACKS if code in triggers)

"""Rule table of the needs assessment, applied by ``needs.assessment``.

Each rule: a stable ``rule_id``, a one-line ``condition`` (for docs and API), its
``effects`` and a plain-language ``explanation``; see docs/needs-assessment.md.
A *floor* rule raises a model to at least its level; a *cap* rule (after all
floors) lowers it to at most its level. Floors run in table order and the
derived ones read the levels reached so far, so order matters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from providers.vocabulary import Framework, Industry, ServiceModel

if TYPE_CHECKING:
    from needs.assessment import BuyerProfile

# Size thresholds, in employees.
SMALL_ORG_LIMIT = 200  # below this, fractional vCISO + MSSP beats an in-house security team
MIDSIZE_MIN = 100  # mid-sized: 100 to 999 employees
MIDSIZE_MAX = 999
MULTIPLE_FRAMEWORKS_MIN = 2


class Verdict(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"
    NOT_NEEDED = "not_needed"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {v: i for i, v in enumerate(("not_needed", "optional", "recommended", "required"))}


class Priority(StrEnum):
    IT_OPERATIONS = "it_operations"
    PROTECTION = "protection"
    COMPLIANCE = "compliance"
    TECHNOLOGY_STRATEGY = "technology_strategy"


class Signal(StrEnum):
    REACTIVE_IT_SPENDING = "reactive_it_spending"
    MAJOR_INITIATIVE = "major_initiative"
    INCIDENT_EXPOSED_GAPS = "incident_exposed_gaps"
    BOARD_VISIBLE_SECURITY_RISK = "board_visible_security_risk"
    RAPID_GROWTH = "rapid_growth"
    NO_TECHNOLOGY_STRATEGY = "no_technology_strategy"
    MULTIPLE_FRAMEWORKS = "multiple_frameworks"


Levels = Mapping[ServiceModel, Verdict]
Condition = Callable[["BuyerProfile", Levels], bool]

MSP, MSSP, VCISO, VCIO = ServiceModel.MSP, ServiceModel.MSSP, ServiceModel.VCISO, ServiceModel.VCIO
REQ, REC, OPT = Verdict.REQUIRED, Verdict.RECOMMENDED, Verdict.OPTIONAL


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    kind: str  # "floor" or "cap"
    condition: str  # human-readable, for the docs and the API
    effects: tuple[tuple[ServiceModel, Verdict], ...]
    explanation: str
    applies: Condition


def _industry_or_framework(industry: Industry, *frameworks: Framework) -> Condition:
    def applies(p: BuyerProfile, _: Levels) -> bool:
        return p.industry == industry or any(f in p.frameworks for f in frameworks)

    return applies


def _at_least(levels: Levels, model: ServiceModel, verdict: Verdict) -> bool:
    return levels[model].rank >= verdict.rank


def _regulated_with_it_planning(p: BuyerProfile, _: Levels) -> bool:
    planning = {Signal.MAJOR_INITIATIVE, Signal.REACTIVE_IT_SPENDING, Signal.NO_TECHNOLOGY_STRATEGY}
    return (p.regulated_data or bool(p.frameworks)) and bool(planning & set(p.signals))


def _rule(rule_id, condition, effects, explanation, applies, kind="floor") -> Rule:
    return Rule(rule_id, kind, condition, tuple(effects), " ".join(explanation.split()), applies)


VERDICT_RULES: tuple[Rule, ...] = (
    # --- IT operations (MSP) ---
    _rule(
        "it_operations_without_internal_it",
        "priority it_operations and no internal IT staff",
        [(MSP, REQ)],
        """Keeping systems, devices and users working is your top concern and nobody on
        staff does that work, so an MSP has to run day-to-day IT from its NOC.""",
        lambda p, _: Priority.IT_OPERATIONS in p.priorities and not p.internal_it_staff,
    ),
    _rule(
        "no_internal_it_staff",
        "no internal IT staff",
        [(MSP, REC)],
        """Without IT people of your own, help desk, patching, devices, network and
        backups still have to be done by someone; an MSP is the usual answer.""",
        lambda p, _: not p.internal_it_staff,
    ),
    _rule(
        "it_operations_with_internal_it",
        "priority it_operations and internal IT staff",
        [(MSP, OPT)],
        """Your own IT staff can run operations; an MSP is worth considering only to add
        capacity or after-hours cover alongside them (co-managed).""",
        lambda p, _: Priority.IT_OPERATIONS in p.priorities and p.internal_it_staff,
    ),
    # --- obligations: security operations and governance (MSSP + vCISO) ---
    _rule(
        "regulated_data_needs_security_ops",
        "regulated_data is true",
        [(MSSP, REQ), (VCISO, REQ)],
        """You hold regulated data. An MSP's baseline antivirus and firewall do not
        satisfy that: you need continuous monitoring and response (MSSP work) and an
        owner for risk, policies and evidence (vCISO work), from one firm or several.""",
        lambda p, _: p.regulated_data,
    ),
    _rule(
        "compliance_frameworks_need_program",
        "at least one framework in frameworks",
        [(MSSP, REQ), (VCISO, REQ)],
        """You answer to at least one compliance framework, which means audits. Auditors
        expect a documented security program (vCISO work) and proof that controls run
        every day (MSSP work); IT support alone cannot produce either.""",
        lambda p, _: bool(p.frameworks),
    ),
    _rule(
        "insurance_controls_need_security_ops",
        "cyber_insurance_controls is true",
        [(MSSP, REQ), (VCISO, REQ)],
        """Your cyber insurance sets documented control requirements. Meeting them takes
        operated security controls (MSSP) and someone who prepares the evidence and the
        renewal questionnaire (vCISO).""",
        lambda p, _: p.cyber_insurance_controls,
    ),
    _rule(
        "healthcare_hipaa_obligations",
        "industry healthcare, or HIPAA in frameworks",
        [(MSSP, REQ), (VCISO, REQ)],
        """For systems that hold ePHI, HIPAA expects activity to be recorded and reviewed
        (audit controls) and security incidents to be handled under set procedures. That
        takes round-the-clock monitoring (MSSP) plus a risk analysis and written policies
        (vCISO); an IT-support contract alone falls short.""",
        _industry_or_framework(Industry.HEALTHCARE, Framework.HIPAA),
    ),
    _rule(
        "financial_sec_finra_obligations",
        "industry financial_services, or SEC Reg S-P or FINRA in frameworks",
        [(MSSP, REQ), (VCISO, REQ)],
        """Under the amended SEC Regulation S-P a firm needs written incident response
        policies and must be able to tell affected customers within 30 days of a breach;
        compliance is due from 3 December 2025 for larger firms and 3 June 2026 for
        smaller ones. Detection and response (MSSP) and a governed program (vCISO) are
        both part of meeting it.""",
        _industry_or_framework(Industry.FINANCIAL_SERVICES, Framework.SEC_REG_SP, Framework.FINRA),
    ),
    _rule(
        "defense_cmmc_obligations",
        "industry defense, or CMMC or NIST 800-171 in frameworks",
        [(MSSP, REQ), (VCISO, REQ)],
        """NIST SP 800-171, which CMMC assesses, lists 110 controls grouped in 14 families.
        Many of them (access control, audit logging, incident response, continuous
        monitoring) must operate every day, which is MSSP work, while a vCISO keeps the
        program and its evidence in order.""",
        _industry_or_framework(Industry.DEFENSE, Framework.CMMC, Framework.NIST_800_171),
    ),
    _rule(
        "manufacturing_ot_exposure",
        "industry manufacturing",
        [(MSSP, REQ)],
        """Manufacturers saw 56% more ransomware attacks in 2025, and linking plant-floor
        (OT) equipment with office networks gives attackers new ways in that a general IT
        provider is not set up to watch. Choose an MSSP with experience of industrial
        environments.""",
        lambda p, _: p.industry == Industry.MANUFACTURING,
    ),
    _rule(
        "legal_client_data_duty",
        "industry legal, or ABA Model Rules in frameworks",
        [(MSSP, REQ), (VCISO, REQ)],
        """Under the ABA Model Rules a firm must understand the technology it relies on and
        make reasonable efforts to keep client information from unauthorised eyes.
        Demonstrating that diligence takes security monitoring (MSSP) and documented
        policies (vCISO).""",
        _industry_or_framework(Industry.LEGAL, Framework.ABA_MODEL_RULES),
    ),
    # --- priorities ---
    _rule(
        "protection_priority",
        "priority protection",
        [(MSSP, REC)],
        """Protection is a stated priority; that is an MSSP's job (a SOC watching and
        responding around the clock), not something an MSP delivers on the side.""",
        lambda p, _: Priority.PROTECTION in p.priorities,
    ),
    _rule(
        "compliance_priority",
        "priority compliance",
        [(MSSP, REC), (VCISO, REC)],
        """Compliance is a stated priority: a vCISO builds and documents the program and
        an MSSP operates and reports on the controls it depends on.""",
        lambda p, _: Priority.COMPLIANCE in p.priorities,
    ),
    _rule(
        "technology_strategy_priority",
        "priority technology_strategy",
        [(VCIO, REC)],
        """Technology strategy is a stated priority; a vCIO owns the IT roadmap, budget and
        vendor choices at executive level.""",
        lambda p, _: Priority.TECHNOLOGY_STRATEGY in p.priorities,
    ),
    # --- vCISO signals ---
    _rule(
        "board_visible_security_risk",
        "signal board_visible_security_risk",
        [(VCISO, REC)],
        """Directors or executives are now asking about cyber risk; they need one
        accountable person who answers in business terms, which is what a vCISO does.""",
        lambda p, _: Signal.BOARD_VISIBLE_SECURITY_RISK in p.signals,
    ),
    _rule(
        "incident_exposed_gaps",
        "signal incident_exposed_gaps",
        [(VCISO, REC), (MSSP, REC)],
        """An incident has already revealed weaknesses in how security is run. Fixing them
        needs someone to lead the program (vCISO) and faster detection and response the
        next time (MSSP).""",
        lambda p, _: Signal.INCIDENT_EXPOSED_GAPS in p.signals,
    ),
    _rule(
        "security_team_without_leadership",
        "internal security team and no security leadership",
        [(VCISO, REC)],
        """You have security staff but no security executive setting direction; a vCISO
        gives the team a strategy and a voice with leadership.""",
        lambda p, _: p.internal_security_team and not p.security_leadership,
    ),
    # --- vCIO signals ---
    _rule(
        "no_technology_strategy",
        "signal no_technology_strategy",
        [(VCIO, REC)],
        """Nobody has set a technology direction, so systems get chosen one at a time; a
        vCIO writes the plan those choices should follow.""",
        lambda p, _: Signal.NO_TECHNOLOGY_STRATEGY in p.signals,
    ),
    _rule(
        "reactive_it_spending",
        "signal reactive_it_spending",
        [(VCIO, REC)],
        """IT money is spent when something breaks rather than to a plan; a vCIO builds a
        budget and replacement schedule so spending becomes predictable.""",
        lambda p, _: Signal.REACTIVE_IT_SPENDING in p.signals,
    ),
    _rule(
        "msp_needs_strategic_oversight",
        "MSP already engaged and no IT strategy owner",
        [(VCIO, REC)],
        """You already use an MSP but nobody on your side steers it strategically; a vCIO
        can hold the MSP to a roadmap and to business goals.""",
        lambda p, _: MSP in p.engaged_service_models and not p.it_strategy_owner,
    ),
    _rule(
        "major_technology_initiative",
        "signal major_initiative",
        [(VCIO, REC)],
        """A large technology project (for example a cloud migration, a new ERP or an
        infrastructure refresh) is coming; a vCIO plans and oversees it.""",
        lambda p, _: Signal.MAJOR_INITIATIVE in p.signals,
    ),
    # --- both fractional executives ---
    _rule(
        "multiple_frameworks",
        f"signal multiple_frameworks, or {MULTIPLE_FRAMEWORKS_MIN}+ frameworks",
        [(VCISO, REC), (VCIO, REC)],
        """Working towards several frameworks at once touches both the security program
        and the IT estate (access, data location, systems); both a vCISO and a vCIO are
        usually needed.""",
        lambda p, _: (
            Signal.MULTIPLE_FRAMEWORKS in p.signals or len(p.frameworks) >= MULTIPLE_FRAMEWORKS_MIN
        ),
    ),
    _rule(
        "rapid_growth_toward_executive_roles",
        "signal rapid_growth",
        [(VCISO, REC), (VCIO, REC)],
        """Fast growth will sooner or later justify a full-time CIO and CISO. Until
        headcount gets there, fractional executives give both areas an owner and lay
        groundwork the permanent hires inherit.""",
        lambda p, _: Signal.RAPID_GROWTH in p.signals,
    ),
    _rule(
        "regulated_governance_with_it_planning",
        "regulated data or frameworks, plus signal major_initiative, reactive_it_spending "
        "or no_technology_strategy",
        [(VCISO, REQ), (VCIO, REC)],
        """Your regulations demand documented security governance while your IT also needs
        planning; a vCISO and a vCIO working together keep security requirements inside
        the IT roadmap instead of bolted on afterwards.""",
        _regulated_with_it_planning,
    ),
    # --- baselines ---
    _rule(
        "no_security_staff",
        "no internal security team",
        [(MSSP, OPT)],
        """Nobody in-house watches for attacks; even without a specific obligation, managed
        monitoring is worth weighing.""",
        lambda p, _: not p.internal_security_team,
    ),
    _rule(
        "no_security_leadership",
        "no security leadership",
        [(VCISO, OPT)],
        """No one owns security strategy; a part-time vCISO is an option to consider.""",
        lambda p, _: not p.security_leadership,
    ),
    _rule(
        "no_it_strategy_owner",
        "no IT strategy owner",
        [(VCIO, OPT)],
        """No one owns technology direction; a part-time vCIO is an option to consider.""",
        lambda p, _: not p.it_strategy_owner,
    ),
    # --- derived: read the levels reached by the rules above ---
    _rule(
        "small_org_fractional_security",
        f"fewer than {SMALL_ORG_LIMIT} employees and MSSP or vCISO at least recommended",
        [(MSSP, REC), (VCISO, REC)],
        f"""Below about {SMALL_ORG_LIMIT} employees, a full in-house security function (a
        CISO, engineers, SOC analysts, GRC staff) rarely pays off; a vCISO combined with an
        MSSP gives strategy and operations for much less.""",
        lambda p, lv: (
            p.employee_count < SMALL_ORG_LIMIT
            and (_at_least(lv, MSSP, REC) or _at_least(lv, VCISO, REC))
        ),
    ),
    _rule(
        "midsize_it_and_security_needs",
        f"{MIDSIZE_MIN}-{MIDSIZE_MAX} employees, vCISO at least recommended, no IT strategy "
        "owner and no security leadership",
        [(VCISO, REC), (VCIO, REC)],
        """At your size, with security program needs and no executive owner for either IT
        or security, both areas need leadership; two fractional roles cost far less than
        two full-time executives.""",
        lambda p, lv: (
            MIDSIZE_MIN <= p.employee_count <= MIDSIZE_MAX
            and _at_least(lv, VCISO, REC)
            and not p.it_strategy_owner
            and not p.security_leadership
        ),
    ),
)

CAP_RULES: tuple[Rule, ...] = (
    _rule(
        "in_house_security_team",
        "internal security team",
        [(MSSP, REC)],
        """Your own security team can carry part of the operational work, so an MSSP is at
        most recommended, typically co-managed to cover nights and weekends.""",
        lambda p, _: p.internal_security_team,
        kind="cap",
    ),
    _rule(
        "in_house_security_leadership",
        "security leadership (CISO or security executive) in house",
        [(VCISO, OPT)],
        """You have a security executive, who already owns strategy and governance; a vCISO
        would only supplement them.""",
        lambda p, _: p.security_leadership,
        kind="cap",
    ),
    _rule(
        "in_house_it_strategy_owner",
        "IT strategy owner in house",
        [(VCIO, OPT)],
        """Someone in-house already owns IT strategy; a vCIO would only supplement them.""",
        lambda p, _: p.it_strategy_owner,
        kind="cap",
    ),
)

#: Floor and cap rules, for the RULES registry in needs.assessment.
VERDICT_AND_CAP_RULES: tuple[Rule, ...] = (*VERDICT_RULES, *CAP_RULES)

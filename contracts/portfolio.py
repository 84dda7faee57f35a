"""The portfolio: every provider under contract, what it is contracted for, what it
costs, when its contracts renew and by when to give notice, how it meets its SLAs and
what findings are still open. Pure (standard library and ``contracts.sla_rules``).

Plain data in (``ProviderFacts``), plain dicts out, with "today" given, so the rules
below are tested without a database:

- a contract's **notice** is ``passed`` once ``notice_deadline`` is before today,
  ``near`` within ``NOTICE_NEAR_DAYS`` days of it, ``open`` otherwise; its days left
  are ``notice_deadline - today`` (negative once passed);
- a provider's **next renewal** is its contract with the earliest ``renewal_date`` on
  or after today (ties by contract id); none once every term has ended;
- a contract's **SLA status** is read from its terms' months (``sla_rules.evaluate``):
  ``termination_right`` when a term has reached its termination right,
  ``breached`` when a term misses its target in the contract's last measured month,
  ``met`` when none does, ``not_measured`` without any measurement. A provider's is
  the worst of its contracts' (in that order);
- **committed** prices add up per currency (a fee not set adds nothing; a currency
  whose fees are all unset shows null).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from contracts import sla_rules

NOTICE_NEAR_DAYS = 30
NOTICE_PASSED, NOTICE_NEAR, NOTICE_OPEN = "passed", "near", "open"

NOT_MEASURED, MET, BREACHED, TERMINATION_RIGHT = (
    "not_measured",
    "met",
    "breached",
    "termination_right",
)
# Worst last: a provider shows the worst status of its contracts.
SLA_STATUSES = (NOT_MEASURED, MET, BREACHED, TERMINATION_RIGHT)
SLA_BREACHED = frozenset({BREACHED, TERMINATION_RIGHT})

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class TermFacts:
    metric: str
    target: Decimal
    unit: str
    remedy: sla_rules.Remedy
    months: tuple[sla_rules.Month, ...] = ()


@dataclass(frozen=True)
class ContractFacts:
    id: int
    title: str
    lots: tuple[dict, ...]  # {"code", "title"}
    currency: str
    one_time_fee: Decimal | None
    monthly_fee: Decimal | None
    renewal_date: date
    notice_deadline: date
    auto_renew: bool
    terms: tuple[TermFacts, ...] = ()


@dataclass(frozen=True)
class ProviderFacts:
    id: int
    name: str
    service_models: tuple[str, ...]
    capabilities: tuple[str, ...]
    contracts: tuple[ContractFacts, ...]
    open_findings: dict[str, int] = field(default_factory=dict)  # severity -> count


def lots_of(codes: list[str], evaluation_lots: list[dict]) -> tuple[dict, ...]:
    """A contract's lot codes with the titles its evaluation gives them (the code
    itself where the evaluation has none, as for the implicit lot ``all``)."""
    titles = {lot.get("code"): lot.get("title") for lot in evaluation_lots or ()}
    return tuple({"code": code, "title": titles.get(code) or code} for code in codes)


def notice_status(deadline: date, today: date) -> str:
    days = (deadline - today).days
    if days < 0:
        return NOTICE_PASSED
    return NOTICE_NEAR if days <= NOTICE_NEAR_DAYS else NOTICE_OPEN


def contract_sla(contract: ContractFacts) -> dict:
    """The contract's SLA status, its last measured month and the remedies owed."""
    evaluated = [
        sla_rules.evaluate(term.months, term.target, term.unit, term.remedy, contract.monthly_fee)
        for term in contract.terms
    ]
    periods = [months[-1].period for months in evaluated if months]
    last = max(periods, default=None)
    breached = [
        term.metric
        for term, months in zip(contract.terms, evaluated, strict=True)
        if any(month.period == last and not month.met for month in months)
    ]
    credits = [month.credit for months in evaluated for month in months if month.credit is not None]
    reached = [
        next(month.period for month in months if month.termination_right)
        for months in evaluated
        if months and months[-1].termination_right
    ]
    if reached:
        status = TERMINATION_RIGHT
    elif breached:
        status = BREACHED
    else:
        status = MET if last else NOT_MEASURED
    return {
        "status": status,
        "last_period": last,
        "breached_last_period": breached,
        "misses": sum(month.misses for months in evaluated for month in months),
        "credit_total": sum(credits, Decimal("0.00")) if credits else None,
        "escalations": sum(1 for months in evaluated for month in months if month.escalated),
        "termination_right_since": min(reached, default=None),
    }


def contract_entry(contract: ContractFacts, today: date) -> dict:
    return {
        "id": contract.id,
        "title": contract.title,
        "lots": list(contract.lots),
        "currency": contract.currency,
        "one_time_fee": contract.one_time_fee,
        "monthly_fee": contract.monthly_fee,
        "auto_renew": contract.auto_renew,
        "renewal_date": contract.renewal_date,
        "renewal_days_left": (contract.renewal_date - today).days,
        "notice_deadline": contract.notice_deadline,
        "notice_days_left": (contract.notice_deadline - today).days,
        "notice_status": notice_status(contract.notice_deadline, today),
        "sla": contract_sla(contract),
    }


def committed(contracts: tuple[ContractFacts, ...]) -> list[dict]:
    """The committed one-time and monthly prices, added up per currency."""
    totals: dict[str, dict] = {}
    for contract in contracts:
        total = totals.setdefault(
            contract.currency, {"currency": contract.currency, "one_time": None, "monthly": None}
        )
        for key, fee in (("one_time", contract.one_time_fee), ("monthly", contract.monthly_fee)):
            if fee is not None:
                total[key] = (total[key] or Decimal("0.00")) + fee
    return [totals[currency] for currency in sorted(totals)]


def worst_status(statuses) -> str:
    return max(statuses, key=SLA_STATUSES.index, default=NOT_MEASURED)


def provider_sla_status(contracts: tuple[ContractFacts, ...]) -> str:
    return worst_status(contract_sla(contract)["status"] for contract in contracts)


def findings_by_severity(counts: dict[str, int]) -> dict:
    by_severity = {severity: counts.get(severity, 0) for severity in SEVERITIES}
    return {**by_severity, "total": sum(by_severity.values())}


def provider_entry(provider: ProviderFacts, today: date) -> dict:
    contracts = sorted(provider.contracts, key=lambda c: (c.renewal_date, c.id))
    entries = [contract_entry(contract, today) for contract in contracts]
    upcoming = next((e for e in entries if e["renewal_date"] >= today), None)
    next_renewal = None
    if upcoming is not None:
        next_renewal = {
            name: upcoming[name]
            for name in (
                "renewal_date",
                "renewal_days_left",
                "notice_deadline",
                "notice_days_left",
                "notice_status",
            )
        }
        next_renewal["contract"] = upcoming["id"]
    return {
        "id": provider.id,
        "name": provider.name,
        "service_models": list(provider.service_models),
        "capabilities": list(provider.capabilities),
        "contracts": entries,
        "committed": committed(provider.contracts),
        "next_renewal": next_renewal,
        "sla_status": worst_status(entry["sla"]["status"] for entry in entries),
        "open_findings": findings_by_severity(provider.open_findings),
    }

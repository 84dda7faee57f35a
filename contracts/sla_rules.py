"""SLA performance: breaches and remedies, exactly. Pure (standard library only).

Direction follows the unit: a percentage (uptime) must be **at least** its target,
a duration (minutes, hours, days: response, resolution, patch window, report
delivery) **at most** its target. Values compare as exact Decimals, so 99.899 is
a miss of 99.9 and 30.000 meets 30.

A month's measurement is the figure the SLA is measured by (the month's uptime,
the longest response time) and the dates of its misses. The month is breached
when its value misses the target; its miss count is the number of breach dates,
or 1 for a breached month given none. Breach dates must lie in the month, and a
month whose value meets the target has none.

Remedies, where the contract term says how:

- service credit: ``credit_percent_per_miss`` of the monthly fee per miss, at most
  ``credit_cap_percent`` (100 when not given) of it per month:
  ``credit = fee * min(misses * pct, cap) / 100``, rounded half-even to cents once,
  at the end;
- escalation: every breached month is escalated when ``escalate_on_breach``;
- termination right: reached in the first month where the misses of the last
  ``termination_window_months`` months (that month included, calendar months
  whether measured or not) add up to ``termination_breaches`` or more; it stays
  reached from then on.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

PERCENT = "percent"
AT_LEAST, AT_MOST = "at_least", "at_most"
CENTS = Decimal("0.01")
MAX_BREACH_DATES = 100


def direction(unit: str) -> str:
    return AT_LEAST if unit == PERCENT else AT_MOST


def meets(value: Decimal, target: Decimal, unit: str) -> bool:
    return value >= target if direction(unit) == AT_LEAST else value <= target


def month_index(period: date) -> int:
    return period.year * 12 + period.month - 1


def measurement_problems(
    period: date, value: Decimal, target: Decimal, unit: str, breach_dates: list[date]
) -> list[tuple[str, str]]:
    """(field, message) for each inconsistency of one month's measurement."""
    problems = []
    if period.day != 1:
        problems.append(("period", "A month: its first day."))
    outside = sorted({d for d in breach_dates if (d.year, d.month) != (period.year, period.month)})
    if outside:
        listed = ", ".join(str(d) for d in outside)
        problems.append(("breach_dates", f"Not in the measured month: {listed}."))
    if breach_dates and meets(value, target, unit):
        problems.append(
            ("breach_dates", "The measured value meets the target: a month without breaches.")
        )
    if len(breach_dates) > MAX_BREACH_DATES:
        problems.append(("breach_dates", f"At most {MAX_BREACH_DATES} dates."))
    return problems


def misses(value: Decimal, target: Decimal, unit: str, breach_dates: list[date]) -> int:
    if meets(value, target, unit):
        return 0
    return len(breach_dates) or 1


def service_credit(
    miss_count: int, monthly_fee: Decimal | None, percent: Decimal | None, cap: Decimal | None
) -> Decimal | None:
    """The month's credit, or None where the term or the fee does not say."""
    if percent is None or monthly_fee is None:
        return None
    share = min(miss_count * percent, Decimal(100) if cap is None else cap)
    return (monthly_fee * share / 100).quantize(CENTS, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Remedy:
    credit_percent_per_miss: Decimal | None = None
    credit_cap_percent: Decimal | None = None
    escalate_on_breach: bool = False
    termination_breaches: int | None = None
    termination_window_months: int | None = None


@dataclass(frozen=True)
class Month:
    period: date
    value: Decimal
    breach_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class MonthResult:
    period: date
    value: Decimal
    met: bool
    misses: int
    breach_dates: tuple[date, ...]
    credit: Decimal | None
    escalated: bool
    termination_right: bool


def evaluate(
    months: Iterable[Month],
    target: Decimal,
    unit: str,
    remedy: Remedy,
    monthly_fee: Decimal | None,
) -> list[MonthResult]:
    """Each month's breaches and remedies, in period order."""
    months = sorted(months, key=lambda month: month.period)
    window = remedy.termination_window_months
    counted: dict[int, int] = {}
    reached = False
    results = []
    for month in months:
        count = misses(month.value, target, unit, list(month.breach_dates))
        index = month_index(month.period)
        counted[index] = count
        if remedy.termination_breaches is not None and window is not None and not reached:
            recent = sum(counted.get(i, 0) for i in range(index - window + 1, index + 1))
            reached = recent >= remedy.termination_breaches
        results.append(
            MonthResult(
                period=month.period,
                value=month.value,
                met=count == 0,
                misses=count,
                breach_dates=tuple(sorted(month.breach_dates)),
                credit=service_credit(
                    count, monthly_fee, remedy.credit_percent_per_miss, remedy.credit_cap_percent
                ),
                escalated=remedy.escalate_on_breach and count > 0,
                termination_right=reached,
            )
        )
    return results


def trend(results: list[MonthResult], unit: str) -> str:
    """The last month against the one before, in the metric's direction: ``better``,
    ``worse`` or ``same``; ``none`` with fewer than two months."""
    if len(results) < 2:
        return "none"
    last, before = results[-1].value, results[-2].value
    if last == before:
        return "same"
    improved = last > before if direction(unit) == AT_LEAST else last < before
    return "better" if improved else "worse"

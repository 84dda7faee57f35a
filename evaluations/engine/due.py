"""Due dates: their bounds, how many days are left, and whether work is overdue.

Pure: dates and counts in, plain values out. A due date is the last day the
work may be done, so it is overdue only from the day after; "today" is the
caller's (the service uses the server's date, UTC).
"""

from dataclasses import dataclass
from datetime import date

EARLIEST = date(2000, 1, 1)
# Further ahead than this is a typo (a wrong year), not a plan.
MAX_DAYS_AHEAD = 5 * 366


@dataclass(frozen=True)
class DueState:
    days_left: int | None  # negative once overdue; None without a due date
    overdue: bool


def due_state(due: date | None, *, today: date, done: bool) -> DueState:
    if due is None:
        return DueState(days_left=None, overdue=False)
    days_left = (due - today).days
    return DueState(days_left=days_left, overdue=not done and days_left < 0)


def bound_errors(value: date, *, today: date) -> list[str]:
    if value < EARLIEST:
        return [f"Must be on or after {EARLIEST.isoformat()}."]
    if (value - today).days > MAX_DAYS_AHEAD:
        return [f"Must be within {MAX_DAYS_AHEAD} days from today."]
    return []


def due_date_errors(
    *, ratings_due: date | None, decision_due: date | None, given: set[str], today: date
) -> dict[str, list[str]]:
    """Errors by field: bounds of the dates ``given`` (changed in this request), and
    the order of the two dates as they will be (a decision needs the ratings first)."""
    errors = {}
    for field, value in (("ratings_due", ratings_due), ("decision_due", decision_due)):
        if field in given and value is not None and (problems := bound_errors(value, today=today)):
            errors[field] = problems
    if ratings_due and decision_due and decision_due < ratings_due and not errors:
        field = "decision_due" if "decision_due" in given else "ratings_due"
        errors[field] = ["The decision cannot be due before the ratings (ratings_due)."]
    return errors

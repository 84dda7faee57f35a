"""When a contract's next reassessment round is due: pure (standard library only).

A schedule is one of two modes:

- ``interval``: a round every ``interval_months`` calendar months. The first is
  due that many months after the contract's ``start_date``; each later one that
  many months after the month of the last round. A round always falls on the
  contract start's day of the month, clamped to the last day of a shorter month,
  so a contract started on the 31st is reassessed on the 31st (or the month's
  last day) and never drifts to the 28th after a February.
- ``before_renewal``: one round ``days_before_renewal`` calendar days before the
  contract's ``renewal_date``, unless a round is already due on or after that
  day (the term's round is done; the next one follows the next renewal date).

A contract that does not renew on its own ends on its renewal date: no round is
due after it. Changing the schedule after a round counts from that round with
the new settings (``next_due`` only looks at the last round's due date). A
round opened by hand counts like any other: its due date is the day it opened.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

INTERVAL = "interval"
BEFORE_RENEWAL = "before_renewal"
MODES = (INTERVAL, BEFORE_RENEWAL)
MAX_INTERVAL_MONTHS = 120
MAX_DAYS_BEFORE_RENEWAL = 730


@dataclass(frozen=True)
class Schedule:
    mode: str
    interval_months: int | None = None
    days_before_renewal: int | None = None

    def __post_init__(self):
        if self.mode == INTERVAL:
            if self.interval_months is None or not (
                1 <= self.interval_months <= MAX_INTERVAL_MONTHS
            ):
                raise ValueError(f"interval_months must be 1..{MAX_INTERVAL_MONTHS}")
        elif self.mode == BEFORE_RENEWAL:
            if self.days_before_renewal is None or not (
                0 <= self.days_before_renewal <= MAX_DAYS_BEFORE_RENEWAL
            ):
                raise ValueError(f"days_before_renewal must be 0..{MAX_DAYS_BEFORE_RENEWAL}")
        else:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")


@dataclass(frozen=True)
class Term:
    """The contract's current term, as ``contracts.dates`` computes it."""

    start_date: date
    renewal_date: date
    auto_renew: bool


def on_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, clamped to the month's last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def months_after(anchor: date, months: int, day: int) -> date:
    index = anchor.month - 1 + months
    return on_day(anchor.year + index // 12, index % 12 + 1, day)


def next_due(schedule: Schedule, term: Term, last_due: date | None) -> date | None:
    """The due date of the next round, or None when no round is due any more in
    this term (or ever, for a contract that ends on its renewal date)."""
    if schedule.mode == INTERVAL:
        anchor = last_due or term.start_date
        due = months_after(anchor, schedule.interval_months, term.start_date.day)
    else:
        due = term.renewal_date - timedelta(days=schedule.days_before_renewal)
        if last_due is not None and last_due >= due:
            return None
    if not term.auto_renew and due >= term.renewal_date:
        return None
    return due


def due_today(schedule: Schedule, term: Term, last_due: date | None, today: date) -> date | None:
    """The due date of the round to open ``today``, or None when none is due yet.

    Rounds missed (a schedule set on an old contract, beat down for a while) are
    not opened one after another: the latest due date that has passed is the one
    opened, and the schedule goes on from it.
    """
    due = next_due(schedule, term, last_due)
    if due is None or due > today:
        return None
    while (following := next_due(schedule, term, due)) is not None and following <= today:
        due = following
    return due

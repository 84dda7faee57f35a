"""Due dates of reassessment rounds (contracts.reassessment_rules), hand-computed."""

from datetime import date

import pytest

from contracts.reassessment_rules import (
    BEFORE_RENEWAL,
    INTERVAL,
    Schedule,
    Term,
    due_today,
    next_due,
)

EVERY_12 = Schedule(INTERVAL, interval_months=12)
EVERY_1 = Schedule(INTERVAL, interval_months=1)
# 31 January 2026, 36 months, auto-renewing: renewal 31 January 2029.
TERM = Term(date(2026, 1, 31), date(2029, 1, 31), auto_renew=True)


def test_the_first_round_is_n_months_after_the_start():
    assert next_due(EVERY_12, TERM, None) == date(2027, 1, 31)


def test_month_ends_clamp_and_then_return_to_the_start_day():
    # 31 January + 1 month = 28 February 2026; the next is 31 March, not 28 March.
    assert next_due(EVERY_1, TERM, None) == date(2026, 2, 28)
    assert next_due(EVERY_1, TERM, date(2026, 2, 28)) == date(2026, 3, 31)
    assert next_due(EVERY_1, TERM, date(2026, 3, 31)) == date(2026, 4, 30)


def test_leap_years():
    leap = Term(date(2028, 2, 29), date(2032, 2, 29), auto_renew=False)
    assert next_due(EVERY_12, leap, None) == date(2029, 2, 28)
    # Not renewing: the round that would fall on the renewal date is not due.
    assert next_due(EVERY_12, leap, date(2031, 2, 28)) is None
    # Three years on from 2029-02-28: 2032 is a leap year again, the 29th exists.
    assert next_due(Schedule(INTERVAL, interval_months=36), leap, date(2029, 2, 28)) is None
    auto = Term(date(2028, 2, 29), date(2040, 2, 29), auto_renew=True)
    assert next_due(Schedule(INTERVAL, interval_months=36), auto, date(2029, 2, 28)) == date(
        2032, 2, 29
    )


def test_a_schedule_changed_after_a_round_counts_from_that_round():
    last = date(2027, 1, 31)  # opened every 12 months; now every 6
    assert next_due(Schedule(INTERVAL, interval_months=6), TERM, last) == date(2027, 7, 31)


def test_a_round_opened_by_hand_moves_the_next_one():
    # Opened by hand on 5 November 2026: 12 months later, on the start's day.
    assert next_due(EVERY_12, TERM, date(2026, 11, 5)) == date(2027, 11, 30)


def test_no_round_on_or_after_the_end_of_a_contract_that_does_not_renew():
    ends = Term(date(2026, 1, 31), date(2028, 1, 31), auto_renew=False)
    assert next_due(EVERY_12, ends, None) == date(2027, 1, 31)
    assert next_due(EVERY_12, ends, date(2027, 1, 31)) is None


def test_before_renewal_once_per_term():
    schedule = Schedule(BEFORE_RENEWAL, days_before_renewal=60)
    # 31 January 2029 - 60 days = 2 December 2028.
    assert next_due(schedule, TERM, None) == date(2028, 12, 2)
    assert next_due(schedule, TERM, date(2028, 12, 2)) is None
    # A round opened by hand before then does not replace the term's round.
    assert next_due(schedule, TERM, date(2028, 6, 1)) == date(2028, 12, 2)


def test_due_today_opens_the_latest_missed_round_only():
    assert due_today(EVERY_12, TERM, None, date(2027, 1, 30)) is None
    assert due_today(EVERY_12, TERM, None, date(2027, 1, 31)) == date(2027, 1, 31)
    # Beat down for two years: one round, the latest due date passed.
    assert due_today(EVERY_12, TERM, None, date(2029, 3, 1)) == date(2029, 1, 31)


@pytest.mark.parametrize(
    "schedule",
    [
        {"mode": INTERVAL},
        {"mode": INTERVAL, "interval_months": 0},
        {"mode": INTERVAL, "interval_months": 121},
        {"mode": BEFORE_RENEWAL},
        {"mode": BEFORE_RENEWAL, "days_before_renewal": 731},
        {"mode": "weekly", "interval_months": 1},
    ],
)
def test_invalid_schedules_are_refused(schedule):
    with pytest.raises(ValueError):
        Schedule(**schedule)

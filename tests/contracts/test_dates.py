"""The term dates, hand-computed: month arithmetic clamps to the month's last day."""

from datetime import date

import pytest

from contracts.dates import add_months, notice_deadline, renewal_date, term_dates


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped: February 2026 has 28 days
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across a year end
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 5, 10), 240, date(2046, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_clamping_does_not_carry_over_to_later_terms():
    # Each date is computed from the start, not from the previous clamped one.
    assert renewal_date(date(2026, 1, 31), 2) == date(2026, 3, 31)


def test_notice_deadline_counts_calendar_days_back():
    assert notice_deadline(date(2027, 1, 31), 90) == date(2026, 11, 2)
    assert notice_deadline(date(2027, 1, 31), 0) == date(2027, 1, 31)


def test_term_dates():
    assert term_dates(date(2026, 1, 31), 12, 30) == {
        "renewal_date": date(2027, 1, 31),
        "notice_deadline": date(2027, 1, 1),
    }


@pytest.mark.parametrize("months", [0, 241, -1])
def test_terms_out_of_range_are_refused(months):
    with pytest.raises(ValueError, match="term_months"):
        renewal_date(date(2026, 1, 1), months)


def test_notice_out_of_range_is_refused():
    with pytest.raises(ValueError, match="notice_period_days"):
        notice_deadline(date(2026, 1, 1), 731)

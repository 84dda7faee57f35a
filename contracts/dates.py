"""The dates of a contract's term: pure (standard library only).

A term starts on ``start_date`` and runs ``term_months`` calendar months. The
renewal date is the first day after the term: ``start_date`` moved forward by
``term_months`` months, on the same day of the month, clamped to the last day
of a shorter month (31 January + 1 month = 28 or 29 February; 29 February +
12 months = 28 February). The notice deadline is the last day notice can be
given: ``notice_period_days`` calendar days before the renewal date.
"""

import calendar
from datetime import date, timedelta

MAX_TERM_MONTHS = 240
MAX_NOTICE_DAYS = 730


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_date(start_date: date, term_months: int) -> date:
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValueError(f"term_months must be 1..{MAX_TERM_MONTHS}, got {term_months!r}")
    return add_months(start_date, term_months)


def notice_deadline(renewal: date, notice_period_days: int) -> date:
    if not 0 <= notice_period_days <= MAX_NOTICE_DAYS:
        raise ValueError(
            f"notice_period_days must be 0..{MAX_NOTICE_DAYS}, got {notice_period_days!r}"
        )
    return renewal - timedelta(days=notice_period_days)


def term_dates(start_date: date, term_months: int, notice_period_days: int) -> dict[str, date]:
    """The computed dates stored with a contract: ``renewal_date`` and ``notice_deadline``."""
    renewal = renewal_date(start_date, term_months)
    return {
        "renewal_date": renewal,
        "notice_deadline": notice_deadline(renewal, notice_period_days),
    }

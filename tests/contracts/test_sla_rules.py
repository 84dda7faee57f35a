"""Breaches and remedies, each value computed by hand in the comments."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.sla_rules import (
    Month,
    Remedy,
    direction,
    evaluate,
    measurement_problems,
    meets,
    misses,
    service_credit,
    trend,
)

D = Decimal
FEE = D("1025.00")


@pytest.mark.parametrize(
    ("value", "target", "unit", "expected"),
    [
        (D("30"), D("30"), "minutes", True),  # at most: equal meets
        (D("30.001"), D("30"), "minutes", False),
        (D("99.9"), D("99.900"), "percent", True),  # at least: equal meets
        (D("99.899"), D("99.9"), "percent", False),
        (D("100"), D("99.9"), "percent", True),
        (D("0"), D("4"), "hours", True),
    ],
)
def test_meets_is_direction_aware_and_exact(value, target, unit, expected):
    assert meets(value, target, unit) is expected


def test_direction_follows_the_unit():
    assert direction("percent") == "at_least"
    assert {direction(unit) for unit in ("minutes", "hours", "days")} == {"at_most"}


def test_misses_count_the_breach_dates_or_one():
    feb = [date(2026, 2, 3), date(2026, 2, 17)]
    assert misses(D("45"), D("30"), "minutes", feb) == 2
    assert misses(D("31"), D("30"), "minutes", []) == 1
    assert misses(D("30"), D("30"), "minutes", []) == 0


def test_measurement_problems():
    period = date(2026, 2, 1)
    assert measurement_problems(period, D("45"), D("30"), "minutes", [date(2026, 2, 3)]) == []
    assert measurement_problems(period, D("45"), D("30"), "minutes", [date(2026, 3, 1)]) == [
        ("breach_dates", "Not in the measured month: 2026-03-01.")
    ]
    [(field, message)] = measurement_problems(
        period, D("20"), D("30"), "minutes", [date(2026, 2, 3)]
    )
    assert field == "breach_dates" and "meets the target" in message
    assert measurement_problems(date(2026, 2, 2), D("1"), D("30"), "minutes", [])[0][0] == "period"


@pytest.mark.parametrize(
    ("count", "percent", "cap", "expected"),
    [
        (0, D("5"), D("12.5"), D("0.00")),
        (1, D("5"), D("12.5"), D("51.25")),  # 1025 * 5 / 100
        (2, D("5"), D("12.5"), D("102.50")),  # 1025 * 10 / 100
        (3, D("5"), D("12.5"), D("128.12")),  # 1025 * 12.5 / 100 = 128.125, half-even
        (30, D("5"), None, D("1025.00")),  # no cap given: at most the whole fee
        (1, None, D("12.5"), None),  # the term says no credit
    ],
)
def test_service_credit(count, percent, cap, expected):
    assert service_credit(count, FEE, percent, cap) == expected


def test_no_fee_no_credit():
    assert service_credit(1, None, D("5"), None) is None


def test_a_quarter_with_every_remedy():
    remedy = Remedy(
        credit_percent_per_miss=D("5"),
        credit_cap_percent=D("12.5"),
        escalate_on_breach=True,
        termination_breaches=3,
        termination_window_months=2,
    )
    months = [
        Month(date(2026, 3, 1), D("31")),
        Month(date(2026, 1, 1), D("25")),
        Month(date(2026, 2, 1), D("45"), (date(2026, 2, 17), date(2026, 2, 3))),
    ]
    results = evaluate(months, D("30"), "minutes", remedy, FEE)
    assert [r.period for r in results] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert [r.misses for r in results] == [0, 2, 1]
    assert [r.credit for r in results] == [D("0.00"), D("102.50"), D("51.25")]
    assert [r.escalated for r in results] == [False, True, True]
    # Misses in the two months ending February: 0 + 2 = 2 < 3; ending March: 2 + 1 = 3.
    assert [r.termination_right for r in results] == [False, False, True]
    assert results[1].breach_dates == (date(2026, 2, 3), date(2026, 2, 17))
    assert trend(results, "minutes") == "better"  # 45 -> 31 minutes


def test_the_window_counts_calendar_months_not_measured_ones():
    remedy = Remedy(termination_breaches=2, termination_window_months=2)
    months = [Month(date(2026, 1, 1), D("40")), Month(date(2026, 3, 1), D("40"))]
    # January and March are not within two consecutive months: 1 miss each window.
    results = evaluate(months, D("30"), "minutes", remedy, None)
    assert [r.termination_right for r in results] == [False, False]
    assert [r.credit for r in results] == [None, None]


def test_the_termination_right_stays_reached():
    remedy = Remedy(termination_breaches=1, termination_window_months=1)
    months = [Month(date(2026, 1, 1), D("99")), Month(date(2026, 2, 1), D("99.99"))]
    results = evaluate(months, D("99.9"), "percent", remedy, FEE)
    assert [r.met for r in results] == [False, True]
    assert [r.termination_right for r in results] == [True, True]
    assert trend(results, "percent") == "better"


@pytest.mark.parametrize(
    ("values", "unit", "expected"),
    [
        ([D("99.9")], "percent", "none"),
        ([D("99.9"), D("99.5")], "percent", "worse"),
        ([D("20"), D("25")], "minutes", "worse"),
        ([D("20"), D("20.000")], "minutes", "same"),
    ],
)
def test_trend(values, unit, expected):
    months = [Month(date(2026, i + 1, 1), value) for i, value in enumerate(values)]
    assert trend(evaluate(months, D("1"), unit, Remedy(), None), unit) == expected

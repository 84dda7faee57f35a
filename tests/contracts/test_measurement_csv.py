"""The measurement CSV: every problem names its line and column."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.measurement_csv import MAX_ROWS, CsvFormatError, Problem, parse


def test_rows_are_read():
    rows, problems = parse(
        "sla_term,period,measured_value,breach_dates,notes\n"
        "12,2026-01,99.95,,\n"
        "\n"
        "13,2026-02,45,2026-02-03; 2026-02-17,two late\n"
    )
    assert problems == []
    assert [row.line for row in rows] == [2, 4]
    assert rows[0].values == {
        "sla_term": 12,
        "period": date(2026, 1, 1),
        "measured_value": Decimal("99.95"),
    }
    assert rows[1].values["breach_dates"] == [date(2026, 2, 3), date(2026, 2, 17)]
    assert rows[1].values["notes"] == "two late"


def test_every_bad_cell_is_named():
    _, problems = parse(
        "sla_term,period,measured_value,breach_dates\n"
        "x,2026-13,-1,\n"
        "1,2026-01,1.0005,2026-02-30\n"
        "1,,3\n"
        "1,2026-01\n"
        "1,2026-01,1,,extra\n"
    )
    assert [(p.line, p.column) for p in problems] == [
        (2, "sla_term"),
        (2, "period"),
        (2, "measured_value"),
        (3, "measured_value"),
        (3, "breach_dates"),
        (4, "period"),
        (5, "measured_value"),
        (6, ""),
    ]
    assert Problem(3, "measured_value", "At most three decimals.") in problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("sla_term,period\n", "Missing columns: measured_value"),
        ("sla_term,period,measured_value,colour\n", "Unknown columns: colour"),
        ("sla_term,period,measured_value,period\n", "twice"),
        ('sla_term,period,measured_value\n"1,2026-01,3\n', "Line"),
    ],
)
def test_the_file_as_a_whole(text, message):
    with pytest.raises(CsvFormatError, match=message):
        parse(text)


def test_rows_are_bounded():
    text = "sla_term,period,measured_value\n" + "1,2026-01,1\n" * (MAX_ROWS + 1)
    with pytest.raises(CsvFormatError, match=f"At most {MAX_ROWS} rows"):
        parse(text)
    rows, _ = parse("sla_term,period,measured_value\n" + "1,2026-01,1\n" * MAX_ROWS)
    assert len(rows) == MAX_ROWS

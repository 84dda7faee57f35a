"""The SLA measurement CSV: pure parsing (standard library only).

A header row, then one month of one SLA term per row::

    sla_term,period,measured_value,breach_dates,notes
    12,2026-01,99.95,,
    13,2026-02,45,2026-02-03;2026-02-17,two late answers

``sla_term`` is the id of one of the contract's SLA terms, ``period`` a month
(``YYYY-MM``), ``measured_value`` a decimal of at most three places (at least
0), ``breach_dates`` ``;``-separated ISO dates (optional), ``notes`` optional.
Every problem names its line (the header is line 1) and column.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

REQUIRED = ("sla_term", "period", "measured_value")
COLUMNS = (*REQUIRED, "breach_dates", "notes")
MAX_ROWS = 1000
# A CSV of MAX_ROWS rows with notes fits well within this.
MAX_CSV_CHARACTERS = 512 * 1024
MAX_NOTES = 5000
MAX_VALUE = Decimal("999999999.999")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ID = re.compile(r"^[1-9]\d{0,17}$")


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (no header, unknown columns, too many rows)."""


@dataclass
class Row:
    line: int
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


def _period(text: str) -> date:
    match = _PERIOD.fullmatch(text)
    if not match:
        raise ValueError("A month as YYYY-MM.")
    return date(int(match.group(1)), int(match.group(2)), 1)


def _value(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("A number.") from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise ValueError(f"A number from 0 to {MAX_VALUE}.")
    if value != value.quantize(Decimal("0.001")):
        raise ValueError("At most three decimals.")
    return value


def _dates(text: str) -> list[date]:
    try:
        return [date.fromisoformat(part.strip()) for part in text.split(";") if part.strip()]
    except ValueError:
        raise ValueError("ISO dates (YYYY-MM-DD) separated by ';'.") from None


def _term(text: str) -> int:
    if not _ID.fullmatch(text):
        raise ValueError("The id of one of the contract's SLA terms.")
    return int(text)


def _notes(text: str) -> str:
    if len(text) > MAX_NOTES:
        raise ValueError(f"At most {MAX_NOTES} characters.")
    return text


READERS = {
    "sla_term": _term,
    "period": _period,
    "measured_value": _value,
    "breach_dates": _dates,
    "notes": _notes,
}


def _header(reader) -> list[str]:
    header = next(reader, None)
    if header is None:
        raise CsvFormatError("The CSV is empty: it needs a header row.")
    columns = [name.strip().lower() for name in header]
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        raise CsvFormatError(
            f"Unknown columns: {', '.join(unknown)}. Allowed: {', '.join(COLUMNS)}."
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise CsvFormatError(f"Columns given twice: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise CsvFormatError(f"Missing columns: {', '.join(missing)}.")
    return columns


def parse(text: str) -> tuple[list[Row], list[Problem]]:
    """The rows read, and every problem of every cell; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows, problems = [], []
    try:
        columns = _header(reader)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            if len(rows) == MAX_ROWS:
                raise CsvFormatError(f"At most {MAX_ROWS} rows.")
            if len(cells) > len(columns):
                problems.append(
                    Problem(line, "", f"{len(cells)} cells for {len(columns)} columns.")
                )
                continue
            row = Row(line)
            for name, cell in zip(columns, cells, strict=False):
                cell = cell.strip()
                if not cell and name not in REQUIRED:
                    continue
                if not cell:
                    problems.append(Problem(line, name, "Required."))
                    continue
                try:
                    row.values[name] = READERS[name](cell)
                except ValueError as error:
                    problems.append(Problem(line, name, str(error)))
            for name in columns[len(cells) :]:
                if name in REQUIRED:
                    problems.append(Problem(line, name, "Required."))
            rows.append(row)
    except csv.Error as error:
        raise CsvFormatError(f"Line {reader.line_num}: {error}.") from None
    return rows, problems

"""Form fields to answer values, for the respondent pages (pure).

An HTML form sends strings; this turns the strings posted for one question into
the JSON value its kind takes (``evaluations.engine.answer_values`` then checks
it as for the API). Nothing posted, or only blanks, clears the answer.
"""

from decimal import Decimal, InvalidOperation
from typing import Any


class FormValueError(ValueError):
    """The posted strings do not make a value of the question's kind."""


def _number(text: str) -> int | float:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FormValueError("Enter a number, such as 12 or 12.5.") from None
    if not number.is_finite():
        raise FormValueError("Enter a finite number.")
    return int(number) if number == number.to_integral_value() else float(number)


def form_text(text: str) -> str:
    """A textarea's text as the API would carry it: HTML forms send every line break
    as CRLF, whatever the person's system."""
    return text.replace("\r\n", "\n")


def form_value(kind: str, posted: list[str]) -> Any:
    """The value for ``kind`` from the strings posted for one question."""
    values = [text.strip() for text in posted if text.strip()]
    if not values:
        return None
    if kind == "multi_choice":
        return values
    if kind == "evidence":
        ids = [part.strip() for text in values for part in text.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) <= 18 for part in ids):
            raise FormValueError("Enter document numbers separated by commas.")
        return [int(part) for part in ids]
    text = values[0]
    if kind == "boolean":
        if text not in ("yes", "no"):
            raise FormValueError("Choose yes or no.")
        return text == "yes"
    if kind == "number":
        return _number(text)
    if kind == "scale":
        if not text.isdigit() or len(text) > 4:
            raise FormValueError("Choose a whole number from the scale.")
        return int(text)
    if kind == "text":
        return form_text(posted[0])
    return text


def form_strings(kind: str, value: Any) -> list[str]:
    """What a form shows for a stored value: the inverse of ``form_value``."""
    if value is None:
        return []
    if kind == "boolean":
        return ["yes" if value else "no"]
    if kind == "multi_choice":
        return [str(v) for v in value]
    if kind == "evidence":
        return [", ".join(str(v) for v in value)]
    return [str(value)]

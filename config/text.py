"""What the API accepts as text and numbers: one definition, used everywhere.

Pure module (no Django), so the functional core and the request parsers share it.

- **Unstorable characters**: NUL (PostgreSQL's text cannot hold it) and lone
  surrogates (U+D800-U+DFFF, which JSON's ``\\ud800`` escapes can produce but no
  UTF-8 text can hold). Every string a request carries, keys included, at any
  depth (answers and other JSON blobs too), is refused when it has one.
- **Blank**: nothing but whitespace and invisible format characters such as
  the zero-width space (U+200B) or the byte order mark (U+FEFF). A required
  text field must have a visible character.
- **Numbers**: finite, and at most ``MAX_MAGNITUDE`` either way; far beyond any
  weight, score, amount or count, and small enough for every float and decimal
  conversion (a 4,000-digit integer overflows ``float()``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

# The characters str.isspace() accepts (what DRF trims), as a regex class.
WHITESPACE_CLASS = (
    r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Invisible format characters: soft hyphen, bidi marks and isolates, zero-width
# space/joiners, word joiner and invisible operators, the byte order mark.
INVISIBLE_CLASS = r"\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
BLANK_CLASS = WHITESPACE_CLASS + INVISIBLE_CLASS
UNSTORABLE_CLASS = r"\x00\ud800-\udfff"
MAX_MAGNITUDE = 10**15

_BLANK = re.compile(rf"[{BLANK_CLASS}]*\Z")
_UNSTORABLE = re.compile(rf"[{UNSTORABLE_CLASS}]")

UNSTORABLE_MESSAGE = "Text must not contain NUL (\\u0000) or lone surrogates (\\ud800-\\udfff)."
OUT_OF_RANGE_MESSAGE = f"Numbers must be finite and between -{MAX_MAGNITUDE} and {MAX_MAGNITUDE}."


def is_blank(text: str) -> bool:
    """Only whitespace and invisible format characters (or nothing)."""
    return _BLANK.match(text) is not None


def has_unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None


def storable(text: str) -> str:
    """``text`` with each unstorable character replaced by U+FFFD, for logs of
    what someone else sent (a webhook receiver's answer, an error path)."""
    return _UNSTORABLE.sub("\ufffd", text)


def number_in_range(value: int | float) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE


@dataclass(frozen=True)
class InputProblem:
    path: tuple[str | int, ...]  # keys (made storable) and list indexes
    code: str  # "invalid_character" or "out_of_range"
    message: str


def input_problems(value: Any, path: tuple[str | int, ...] = ()) -> list[InputProblem]:
    """Every unstorable string (key or value) and out-of-range number in a parsed
    JSON/YAML value, with its path."""
    problems: list[InputProblem] = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if has_unstorable(item):
                problems.append(InputProblem(where, "invalid_character", UNSTORABLE_MESSAGE))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float):
            if not number_in_range(item):
                problems.append(InputProblem(where, "out_of_range", OUT_OF_RANGE_MESSAGE))
        elif isinstance(item, dict):
            for key, child in item.items():
                name = storable(str(key))
                if isinstance(key, str) and has_unstorable(key):
                    problems.append(
                        InputProblem((*where, name), "invalid_character", UNSTORABLE_MESSAGE)
                    )
                stack.append((child, (*where, name)))
        elif isinstance(item, list | tuple):
            stack.extend((child, (*where, index)) for index, child in enumerate(item))
    return sorted(problems, key=lambda problem: [str(part) for part in problem.path])

"""A reassessment round against the previous one, question by question: pure.

Plain data in (the stored explanations, ``Scorecard.details``, of the two
rounds' latest scorecards of one lot), plain data out. Nothing is scored again:
every figure is the one each scorecard shows, rounded as docs/scoring.md says
(``overall`` and section scores to 2 decimals, ``x`` to 4), and every delta is
the difference of those two shown figures, computed in decimal, so it is exact
and a reader can check it by subtracting what the two scorecards say.

A question is ``improved`` when its x rose, ``regressed`` when it fell,
``unchanged`` when equal; ``new`` when only the current round scored it (a new
question, or one that became applicable), ``removed`` when only the previous
round did. Red flags are matched by (tag, question), knockouts by question code.
"""

from decimal import Decimal
from typing import Any

from evaluations.engine.scorecard_details import question_rows

IMPROVED = "improved"
REGRESSED = "regressed"
UNCHANGED = "unchanged"
NEW = "new"
REMOVED = "removed"
CHANGES = (IMPROVED, REGRESSED, UNCHANGED, NEW, REMOVED)


def _decimal(value: float) -> Decimal:
    """The decimal a stored (already rounded) figure shows: its shortest repr."""
    return Decimal(repr(float(value)))


def delta(previous: float | None, current: float | None) -> float | None:
    """``current - previous`` of two shown figures, exactly; None when one is missing."""
    if previous is None or current is None:
        return None
    return float(_decimal(current) - _decimal(previous))


def change_of(previous_x: float | None, current_x: float | None) -> str:
    if previous_x is None:
        return NEW
    if current_x is None:
        return REMOVED
    difference = _decimal(current_x) - _decimal(previous_x)
    if difference > 0:
        return IMPROVED
    if difference < 0:
        return REGRESSED
    return UNCHANGED


def _sections(previous: dict, current: dict) -> list[dict[str, Any]]:
    before = {section["code"]: section for section in previous["sections"]}
    after = {section["code"]: section for section in current["sections"]}
    codes = [*after, *(code for code in before if code not in after)]
    rows = []
    for code in codes:
        old, new = before.get(code), after.get(code)
        old_score = None if old is None else old["score"]
        new_score = None if new is None else new["score"]
        rows.append(
            {
                "code": code,
                "title": (new or old)["title"],
                "previous": old_score,
                "current": new_score,
                "delta": delta(old_score, new_score),
            }
        )
    return rows


def _questions(previous: dict, current: dict) -> list[dict[str, Any]]:
    before = {row["code"]: row for row in question_rows(previous)}
    after = {row["code"]: row for row in question_rows(current)}
    codes = [*after, *(code for code in before if code not in after)]
    rows = []
    for code in codes:
        old, new = before.get(code), after.get(code)
        old_x = None if old is None else old["x"]
        new_x = None if new is None else new["x"]
        rows.append(
            {
                "code": code,
                "section": (new or old)["section"],
                "previous_x": old_x,
                "current_x": new_x,
                "delta": delta(old_x, new_x),
                "change": change_of(old_x, new_x),
                "previous_answered": None if old is None else old["answered"],
                "current_answered": None if new is None else new["answered"],
            }
        )
    return rows


def _flags(details: dict) -> list[tuple[str, str]]:
    return [(flag["tag"], flag["question"]) for flag in details["red_flags"]]


def _only_in(first: list, second: list) -> list:
    others = set(second)
    return [item for item in first if item not in others]


def compare(lot: str, previous: dict, current: dict) -> dict[str, Any]:
    """The comparison of one lot: ``previous`` and ``current`` are stored details."""
    questions = _questions(previous, current)
    counts = dict.fromkeys(CHANGES, 0)
    for row in questions:
        counts[row["change"]] += 1
    old_flags, new_flags = _flags(previous), _flags(current)
    old_knockouts, new_knockouts = previous["failed_knockouts"], current["failed_knockouts"]
    return {
        "lot": lot,
        "total": {
            "previous": previous["overall"],
            "current": current["overall"],
            "delta": delta(previous["overall"], current["overall"]),
        },
        "disqualified": {
            "previous": previous["disqualified"],
            "current": current["disqualified"],
        },
        "counts": counts,
        "sections": _sections(previous, current),
        "questions": questions,
        "red_flags_new": [{"tag": t, "question": q} for t, q in _only_in(new_flags, old_flags)],
        "red_flags_cleared": [{"tag": t, "question": q} for t, q in _only_in(old_flags, new_flags)],
        "knockouts_newly_failed": _only_in(list(new_knockouts), list(old_knockouts)),
        "knockouts_cleared": _only_in(list(old_knockouts), list(new_knockouts)),
    }


def compare_lots(previous: dict[str, dict], current: dict[str, dict]) -> list[dict[str, Any]]:
    """Every lot both rounds scored, in the current round's order."""
    return [
        compare(lot, previous[lot], details) for lot, details in current.items() if lot in previous
    ]

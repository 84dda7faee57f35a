"""The rules of a response request, pure: plain values in, plain values out.

Which questions a candidate is asked, how the request's status moves, which
answers the respondent may still change, and when a stale draft write
conflicts. ``responses.services`` loads the data, calls these and persists.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from evaluations.engine.lot_scoring import lot_spec
from evaluations.engine.scoring import EvaluationSpec, QuestionnaireSpec, is_applicable

SENT, IN_PROGRESS, SUBMITTED, RETURNED, ACCEPTED = (
    "sent",
    "in_progress",
    "submitted",
    "returned",
    "accepted",
)
PENDING = "pending"  # review of one answer: also "accepted" and "returned"
# Threads stay open to both sides until every answer is accepted.
THREADS_OPEN = frozenset({SENT, IN_PROGRESS, SUBMITTED, RETURNED})

# event -> (statuses it may happen in, status after it); None keeps the status.
# "message" is the buyer's and "reply" the respondent's, in a question's thread.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "save": (frozenset({SENT, IN_PROGRESS, RETURNED}), None),
    "reply": (THREADS_OPEN, None),
    "message": (THREADS_OPEN, None),
    "submit": (frozenset({SENT, IN_PROGRESS, RETURNED}), SUBMITTED),
    "review": (frozenset({SUBMITTED, RETURNED}), None),
}
# What the respondent is told when an event does not fit the status; threads are
# refused only once accepted, which ``after`` words for every event.
REFUSALS = {
    "save": "This response was submitted: it can change again only if the buyer returns "
    "questions to you.",
    "submit": "This response is already submitted.",
    "review": "Only a submitted response is reviewed.",
}


class TransitionRefused(Exception):
    """The event does not fit the request's status; the message says why."""


def after(status: str, event: str) -> str:
    """The status after ``event`` happens in ``status``, or TransitionRefused."""
    allowed, target = TRANSITIONS[event]
    if status not in allowed:
        if status == ACCEPTED:
            raise TransitionRefused("This response was accepted: it is closed.")
        raise TransitionRefused(REFUSALS[event])
    if event == "save" and status == SENT:
        return IN_PROGRESS
    return target or status


def applicable_codes(
    questionnaire: QuestionnaireSpec,
    evaluation: EvaluationSpec,
    lots: Sequence[tuple[str, Iterable[str]]],
    bid: Iterable[str],
) -> set[str]:
    """The codes of the questions a candidate is asked: applicable (docs/scoring.md,
    weighted section) in at least one lot it bids on. ``lots`` are (code, service
    models); without lots the evaluation's own required service models decide."""
    views = (
        [lot_spec(evaluation, models) for code, models in lots if code in set(bid)]
        if lots
        else [evaluation]
    )
    codes = set()
    for view in views:
        for section in questionnaire.sections:
            if view.section_weights.get(section.code, section.weight) <= 0:
                continue
            codes |= {q.code for q in section.questions if is_applicable(q, view)}
    return codes


def editable(status: str, reviews: Mapping[str, str], code: str) -> bool:
    """Whether the respondent may change the answer to ``code`` now: anything while
    drafting; while returned, only the returned questions."""
    if status in (SENT, IN_PROGRESS):
        return True
    return status == RETURNED and reviews.get(code) == RETURNED


def draft_conflicts(
    base_version: int,
    current: Mapping[str, tuple[Any, int]],
    incoming: Mapping[str, Any],
) -> list[str]:
    """Codes of the incoming answers that someone else changed since ``base_version``
    (``current``: code -> (value, revision)) to a value other than the incoming one.
    Changes to other questions merge: two contacts can fill different parts."""
    conflicts = []
    for code, value in incoming.items():
        if code not in current:
            continue
        stored, revision = current[code]
        if revision > base_version and stored != value:
            conflicts.append(code)
    return sorted(conflicts)


def may_reply(status: str, sides: Sequence[str]) -> bool:
    """Whether the respondent may write in a question's thread (``sides``: who wrote
    each message, in order): once the buyer has written in it, until acceptance.
    The respondent answers; the buyer opens threads, by returning or by a message."""
    return status in THREADS_OPEN and "buyer" in sides


def unanswered_returns(threads: Mapping[str, Sequence[str]]) -> list[str]:
    """Returned questions whose thread (sides in order) ends with the buyer: the
    respondent has not answered the clarification yet."""
    return sorted(code for code, sides in threads.items() if not sides or sides[-1] != "respondent")


def status_after_review(reviews: Mapping[str, str]) -> str:
    """A request's status once its answers carry these reviews: returned while any
    question is returned, accepted when every answer is, submitted otherwise."""
    values = set(reviews.values())
    if RETURNED in values:
        return RETURNED
    if values and values == {"accepted"}:
        return ACCEPTED
    return SUBMITTED


OPEN = frozenset({SENT, IN_PROGRESS, RETURNED})  # the respondent still has work to do


def reminder_kind(status: str, due: date, today: date, days_before: int) -> str | None:
    """Which reminder a request's contacts get today: "due" from ``days_before`` days
    before the due date to the day itself, "overdue" after it, while the respondent
    has work to do; None otherwise."""
    if status not in OPEN:
        return None
    if today > due:
        return "overdue"
    return "due" if (due - today).days <= days_before else None


def parse_version(header: str | None, request_id: int) -> int | None:
    """The draft version an ``If-Match`` value names (``"<request>-<version>"``), or
    None when it names none of this request's versions."""
    if not header:
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    prefix, _, number = tag.partition("-")
    if prefix != str(request_id) or not number.isdigit() or len(number) > 9:
        return None
    return int(number)


def draft_etag(request_id: int, version: int) -> str:
    return f'"{request_id}-{version}"'

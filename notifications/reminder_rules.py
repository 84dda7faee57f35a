"""Which reminders are due, and who gets a digest instead of several emails.

Pure: plain rows in, a plan of sends out (``notifications.reminders`` loads the
rows and persists the plan). An evaluator with sheets outstanding gets one
"due soon" reminder once ``ratings_due`` is at most ``reminder_days`` away, and
one "overdue" reminder once it has passed; each is an *item* with a key of
evaluator, evaluation, due date and kind, so moving the due date starts over and
nothing else ever repeats an item. A member with more than ``digest_threshold``
items in one run gets them all in one digest instead.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from hashlib import sha256

# Kind values (notifications.models.Kind), spelled here to keep this module pure.
RATINGS_DUE = "ratings_due"
RATINGS_OVERDUE = "ratings_overdue"
DIGEST = "digest"


@dataclass(frozen=True)
class Outstanding:
    """An evaluator with sheets still to submit in a collecting evaluation."""

    assignment_id: int
    membership_id: int
    evaluation_id: int
    evaluation_name: str
    ratings_due: date
    sheets_outstanding: int


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    days_left: int
    outstanding: Outstanding


@dataclass(frozen=True)
class Send:
    membership_id: int
    kind: str
    items: tuple[Item, ...]

    @property
    def dedupe_key(self) -> str:
        if self.kind != DIGEST:
            return self.items[0].key
        digest = sha256("\n".join(sorted(item.key for item in self.items)).encode()).hexdigest()
        return f"{DIGEST}:{self.membership_id}:{digest[:32]}"


def item_for(row: Outstanding, *, today: date, reminder_days: int) -> Item | None:
    days_left = (row.ratings_due - today).days
    if days_left < 0:
        kind = RATINGS_OVERDUE
    elif days_left <= reminder_days:
        kind = RATINGS_DUE
    else:
        return None
    key = f"{kind}:{row.assignment_id}:{row.ratings_due.isoformat()}"
    return Item(key=key, kind=kind, days_left=days_left, outstanding=row)


def due_items(rows: list[Outstanding], *, today: date, reminder_days: int) -> list[Item]:
    items = (item_for(row, today=today, reminder_days=reminder_days) for row in rows)
    return [item for item in items if item is not None]


def plan(
    items: list[Item],
    *,
    covered: set[str],
    disabled: dict[str, set[int]],
    digest_threshold: int,
) -> list[Send]:
    """The sends of one run: items not ``covered`` before and not switched off
    (``disabled``: kind -> membership ids), grouped per member into a digest when
    there are more than ``digest_threshold`` (and the member takes digests)."""
    by_member: dict[int, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda item: item.key):
        membership = item.outstanding.membership_id
        if item.key in covered or membership in disabled.get(item.kind, set()):
            continue
        by_member[membership].append(item)
    sends = []
    for membership, member_items in sorted(by_member.items()):
        if len(member_items) > digest_threshold and membership not in disabled.get(DIGEST, set()):
            sends.append(Send(membership, DIGEST, tuple(member_items)))
        else:
            sends.extend(Send(membership, item.kind, (item,)) for item in member_items)
    return sends

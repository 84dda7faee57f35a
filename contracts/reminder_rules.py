"""Which contract reminders are due, to whom, and who gets a digest: pure.

Plain rows in, a plan of sends out (``contracts.reminders`` loads and persists).
Per contract, four reminders, each an *item* keyed by kind, contract and the
date it is about, so moving a date starts that reminder over and nothing else
repeats it:

- ``contract_notice_due``: an auto-renewing contract whose notice deadline is
  from today to ``notice_days`` ahead (it renews unless notice is given);
- ``contract_notice_passed``: an auto-renewing contract whose notice deadline
  has passed while its renewal date has not (it will renew);
- ``contract_renewal_due``: any contract whose renewal date is from today to
  ``renewal_days`` ahead (the end of its term);
- ``reassessment_due``: a contract whose next reassessment round is due from
  tomorrow to ``reassessment_days`` ahead (the round opens on its due date).

Every admin of the contract's organization receives each item once (the key
adds the member). A member with more than ``digest_threshold`` items in one run
gets them in one digest instead, unless they switched digests off.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from hashlib import sha256

# Kind values (notifications.models.Kind), spelled here to keep this module pure.
NOTICE_DUE = "contract_notice_due"
NOTICE_PASSED = "contract_notice_passed"
RENEWAL_DUE = "contract_renewal_due"
REASSESSMENT_DUE = "reassessment_due"
DIGEST = "contract_digest"
KINDS = (NOTICE_DUE, NOTICE_PASSED, RENEWAL_DUE, REASSESSMENT_DUE)


@dataclass(frozen=True)
class ContractRow:
    contract_id: int
    organization_id: int
    title: str
    auto_renew: bool
    notice_deadline: date
    renewal_date: date
    reassessment_due: date | None = None


@dataclass(frozen=True)
class Windows:
    notice_days: int
    renewal_days: int
    reassessment_days: int


@dataclass(frozen=True)
class Item:
    kind: str
    on: date  # the date the reminder is about
    days_left: int  # negative once passed
    contract: ContractRow

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.contract.contract_id}:{self.on.isoformat()}"


@dataclass(frozen=True)
class Send:
    membership_id: int
    kind: str
    items: tuple[Item, ...]

    def item_key(self, item: Item) -> str:
        return f"{item.key}:{self.membership_id}"

    @property
    def dedupe_key(self) -> str:
        if self.kind != DIGEST:
            return self.item_key(self.items[0])
        keys = "\n".join(sorted(self.item_key(item) for item in self.items))
        return f"{DIGEST}:{self.membership_id}:{sha256(keys.encode()).hexdigest()[:32]}"


def items_of(row: ContractRow, *, today: date, windows: Windows) -> list[Item]:
    items = []

    def add(kind: str, on: date) -> None:
        items.append(Item(kind, on, (on - today).days, row))

    notice_left = (row.notice_deadline - today).days
    if row.auto_renew and 0 <= notice_left <= windows.notice_days:
        add(NOTICE_DUE, row.notice_deadline)
    if row.auto_renew and notice_left < 0 and row.renewal_date >= today:
        add(NOTICE_PASSED, row.notice_deadline)
    if 0 <= (row.renewal_date - today).days <= windows.renewal_days:
        add(RENEWAL_DUE, row.renewal_date)
    due = row.reassessment_due
    if due is not None and 0 < (due - today).days <= windows.reassessment_days:
        add(REASSESSMENT_DUE, due)
    return items


def due_items(rows: list[ContractRow], *, today: date, windows: Windows) -> list[Item]:
    return [item for row in rows for item in items_of(row, today=today, windows=windows)]


def plan(
    items: list[Item],
    *,
    recipients: dict[int, list[int]],
    covered: set[str],
    disabled: dict[str, set[int]],
    digest_threshold: int,
) -> list[Send]:
    """The sends of one run. ``recipients``: organization id -> membership ids;
    ``covered``: item keys (with the member) mailed before; ``disabled``: kind ->
    membership ids that switched it off."""
    by_member: dict[int, list[Item]] = defaultdict(list)
    for item in sorted(items, key=lambda item: item.key):
        for membership in recipients.get(item.contract.organization_id, ()):
            if f"{item.key}:{membership}" in covered:
                continue
            if membership in disabled.get(item.kind, set()):
                continue
            by_member[membership].append(item)
    sends = []
    for membership, member_items in sorted(by_member.items()):
        if len(member_items) > digest_threshold and membership not in disabled.get(DIGEST, set()):
            sends.append(Send(membership, DIGEST, tuple(member_items)))
        else:
            sends.extend(Send(membership, item.kind, (item,)) for item in member_items)
    return sends

"""The findings' trail: one FindingEvent per change, written in a single query.

The actor is a member, ``system`` (raising and clearing on their own) or the
provider's contact (``provider:<email>``) replying through its response link.
"""

from dataclasses import dataclass
from typing import Any

from accounts.principal import stored_user
from contracts.audit import field_changes
from contracts.models import Finding, FindingEvent
from evaluations.services.audit import actor_label

# The fields of a finding its trail follows.
AUDITED = (
    "title",
    "description",
    "severity",
    "status",
    "owner_id",
    "due_date",
    "rationale",
    "shared_with_provider",
    "cause_cleared_at",
    "raised_value",
)


@dataclass(frozen=True)
class Change:
    finding: Finding
    action: str
    old: Any = None
    new: Any = None


def state(finding: Finding) -> dict:
    return {name.removesuffix("_id"): getattr(finding, name) for name in AUDITED}


def diff(before: dict, finding: Finding) -> tuple[dict, dict]:
    return field_changes(before, state(finding))


def record(user, changes: list[Change], label: str | None = None) -> None:
    if not changes:
        return
    actor = stored_user(user)
    label = label or actor_label(user)
    FindingEvent.objects.bulk_create(
        FindingEvent(
            organization_id=change.finding.organization_id,
            finding_id=change.finding.pk,
            finding_ref=change.finding.pk,
            actor=actor,
            actor_label=label[:160],
            action=change.action,
            old_value=change.old,
            new_value=change.new,
        )
        for change in changes
    )

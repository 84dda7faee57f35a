"""The audit trail: every change that can move a score, recorded in bulk."""

from dataclasses import dataclass
from typing import Any

from accounts.principal import stored_user
from evaluations.models import AuditEvent, ChangeSource


@dataclass(frozen=True)
class Change:
    action: str
    old: Any = None
    new: Any = None
    candidate_id: int | None = None
    question_code: str = ""


def actor_label(user) -> str:
    if user is None:
        return "system"
    return str(getattr(user, "username", "") or user)


def record(evaluation, user, changes: list[Change], source: str = ChangeSource.BUYER) -> None:
    """Write one AuditEvent per change in a single query."""
    if not changes:
        return
    actor = stored_user(user)
    label = actor_label(user)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            evaluation=evaluation,
            actor=actor,
            actor_label=label,
            action=change.action,
            source=source,
            candidate_id=change.candidate_id,
            question_code=change.question_code,
            old_value=change.old,
            new_value=change.new,
        )
        for change in changes
    )

"""The contract trail: one ContractEvent per change, written in a single query."""

from dataclasses import dataclass
from typing import Any

from accounts.principal import stored_user
from contracts.models import Contract, ContractEvent
from evaluations.services.audit import actor_label


@dataclass(frozen=True)
class Change:
    contract: Contract
    action: str
    old: Any = None
    new: Any = None


def record(user, changes: list[Change]) -> None:
    if not changes:
        return
    actor, label = stored_user(user), actor_label(user)
    ContractEvent.objects.bulk_create(
        ContractEvent(
            organization_id=change.contract.organization_id,
            contract_id=change.contract.pk,
            contract_ref=change.contract.pk,
            actor=actor,
            actor_label=label,
            action=change.action,
            old_value=change.old,
            new_value=change.new,
        )
        for change in changes
    )


def field_changes(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields whose value differs, as (old, new) dicts of JSON-safe values."""
    changed = [name for name in after if before.get(name) != after[name]]
    return (
        {name: _json(before.get(name)) for name in changed},
        {name: _json(after[name]) for name in changed},
    )


def _json(value):
    if value is None or isinstance(value, bool | int | str | list):
        return value
    return str(value)

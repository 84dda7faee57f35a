"""The request's audit trail: who did what, buyer or respondent, recorded in bulk."""

from dataclasses import dataclass, field

from responses.models import ResponseContact, ResponseEvent, ResponseRequest, Side


@dataclass(frozen=True)
class Actor:
    side: str
    label: str
    contact: ResponseContact | None = None


def respondent(contact: ResponseContact) -> Actor:
    return Actor(Side.RESPONDENT, contact.label, contact)


def buyer(user) -> Actor:
    label = getattr(user, "username", "") or "system"
    return Actor(Side.BUYER, label)


@dataclass(frozen=True)
class Event:
    action: str
    question_code: str = ""
    detail: dict = field(default_factory=dict)


def record(request: ResponseRequest, actor: Actor, events: list[Event]) -> None:
    ResponseEvent.objects.bulk_create(
        ResponseEvent(
            request=request,
            side=actor.side,
            contact=actor.contact,
            actor_label=actor.label,
            action=event.action,
            question_code=event.question_code,
            detail=event.detail,
        )
        for event in events
    )

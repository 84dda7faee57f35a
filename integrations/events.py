"""Domain events for webhooks: ``emit`` records one and queues its deliveries.

Services call ``emit(organization, type, data)`` inside their transaction: the
Event row and one Delivery per subscribed, active webhook are written with the
change, and the delivery tasks are queued only when it commits (a rolled-back
change sends nothing). Every payload is the versioned envelope::

    {"type": "scorecard.completed", "version": 1, "id": "<event uuid>",
     "created_at": "<ISO 8601>", "data": {...}}

``version`` changes only for incompatible changes of ``data``; fields may be
added within a version. The ``*_data`` builders below are the one place each
event's ``data`` is shaped (``integrations.api.event_schemas`` documents them).
"""

import json
import logging
import uuid

from celery import current_app
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import KombuError

from integrations.models import Delivery, Event, Webhook

log = logging.getLogger(__name__)

PAYLOAD_VERSION = 1
# The Celery task that delivers one webhook delivery (integrations.tasks).
DELIVER_TASK = "integrations.tasks.deliver_webhook"

SCORECARD_COMPLETED = "scorecard.completed"
REPORT_COMPLETED = "report.completed"
EVALUATION_DECIDED = "evaluation.decided"
EVALUATION_STATUS_CHANGED = "evaluation.status_changed"
WEBHOOK_TEST = "webhook.test"
CONTRACT_CREATED = "contract.created"
CONTRACT_UPDATED = "contract.updated"
SLA_BREACH = "sla.breach"
CONTRACT_REASSESSMENT_OPENED = "contract.reassessment_opened"
FINDING_CREATED = "finding.created"
FINDING_UPDATED = "finding.updated"

# Event types a webhook can subscribe to, with what they mean.
EVENT_TYPES = {
    SCORECARD_COMPLETED: "A new scorecard version was computed: one event per new scorecard "
    "(a rescoring that changes nothing emits nothing).",
    REPORT_COMPLETED: "A comparison report finished building; download it from `url`.",
    EVALUATION_DECIDED: "The lead recorded the decision: the chosen candidate and why.",
    EVALUATION_STATUS_CHANGED: "An evaluation moved from one status to another "
    "(including to `decided` and `cancelled`).",
    CONTRACT_CREATED: "A contract was made, by hand or from a decided award (one event "
    "per contract).",
    CONTRACT_UPDATED: "A contract's terms changed; `changed` names the fields.",
    SLA_BREACH: "A month of a contract's SLA term was recorded breached, or its count of "
    "misses changed.",
    CONTRACT_REASSESSMENT_OPENED: "A reassessment round of a contract was opened (by the "
    "schedule or by hand): a new evaluation of its provider.",
    FINDING_CREATED: "A finding was raised: from a failed knockout, a red flag, a record "
    "conflict, an SLA breach, or by hand (one event per finding).",
    FINDING_UPDATED: "A finding changed (status, owner, due date, severity, its cause "
    "cleared or back); `changed` names the fields.",
}
# Sent only by `POST /webhooks/{id}/test`, to that webhook.
TEST_DESCRIPTION = "A test ping sent on request; it carries no domain data."


def _organization_id(organization) -> int:
    return getattr(organization, "pk", organization)


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def envelope(event_id, event_type: str, created_at, data: dict) -> dict:
    return {
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "id": str(event_id),
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "data": _json_safe(data),
    }


def emit(organization, event_type: str, data: dict) -> Event:
    """Record one event of ``organization`` and queue it to every subscribed webhook."""
    return emit_many(organization, event_type, [data])[0]


def emit_many(organization, event_type: str, items: list[dict]) -> list[Event]:
    """``emit`` for several events of one type, in a constant number of queries."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}.")
    if not items:
        return []
    organization_id = _organization_id(organization)
    now = timezone.now()
    events = []
    for data in items:
        event_id = uuid.uuid4()
        events.append(
            Event(
                id=event_id,
                organization_id=organization_id,
                type=event_type,
                payload=envelope(event_id, event_type, now, data),
                created_at=now,
            )
        )
    Event.objects.bulk_create(events)
    webhooks = [
        webhook_id
        for webhook_id, subscribed in Webhook.objects.filter(
            organization_id=organization_id, is_active=True
        ).values_list("pk", "events")
        if event_type in subscribed
    ]
    if webhooks:
        deliveries = Delivery.objects.bulk_create(
            Delivery(webhook_id=webhook_id, event=event, next_attempt_at=now)
            for event in events
            for webhook_id in webhooks
        )
        enqueue([delivery.pk for delivery in deliveries])
    return events


def enqueue(delivery_ids: list[int], countdown: float | None = None):
    """Queue delivery tasks once the current transaction commits.

    A broker that is down does not fail the change that caused the event: the
    deliveries stay pending and ``maintenance`` queues them again once overdue.
    """

    def send():
        # By name: the task module imports this one (integrations.tasks).
        task = current_app.tasks[DELIVER_TASK]
        try:
            for delivery_id in delivery_ids:
                if countdown:
                    task.apply_async((delivery_id,), countdown=countdown)
                else:
                    task.delay(delivery_id)
        except KombuError as exc:
            log.warning("webhook deliveries not queued, maintenance will retry: %s", exc)

    transaction.on_commit(send)


# ------------------------------------------------------------------ payload data


def api_path(path: str) -> str:
    return f"/api/v1/{path}"


def scorecard_completed_data(scorecards) -> list[dict]:
    """One ``data`` per new scorecard, in one query for their providers."""
    from evaluations.models import Candidate

    scorecards = list(scorecards)
    providers = dict(
        Candidate.objects.filter(pk__in={card.candidate_id for card in scorecards}).values_list(
            "pk", "provider_id"
        )
    )
    return [
        {
            "scorecard": card.pk,
            "evaluation": card.evaluation_id,
            "candidate": card.candidate_id,
            "provider": providers.get(card.candidate_id),
            "lot": card.lot,
            "version": card.version,
            "overall": card.overall,
            "completeness": card.completeness,
            "disqualified": card.disqualified,
            "engine_version": card.engine_version,
            "url": api_path(f"scorecards/{card.pk}/"),
        }
        for card in scorecards
    ]


def evaluation_status_changed_data(evaluation, old_status: str) -> dict:
    return {
        "evaluation": evaluation.pk,
        "name": evaluation.name,
        "old_status": old_status,
        "new_status": evaluation.status,
        "url": api_path(f"evaluations/{evaluation.pk}/"),
    }


def evaluation_decided_data(evaluation) -> dict:
    from evaluations.models import Candidate

    award = evaluation.decision_award
    providers = dict(
        Candidate.objects.filter(pk__in=award.values()).values_list("pk", "provider_id")
    )
    candidate = evaluation.decision_candidate
    return {
        "evaluation": evaluation.pk,
        "name": evaluation.name,
        "candidate": candidate.pk if candidate else None,
        "provider": candidate.provider_id if candidate else None,
        "award": [
            {"lot": lot, "candidate": winner, "provider": providers.get(winner)}
            for lot, winner in award.items()
        ],
        "rationale": evaluation.decision_rationale,
        "decided_at": evaluation.decided_at,
        "url": api_path(f"evaluations/{evaluation.pk}/"),
    }


def report_completed_data(report) -> dict:
    return {
        "report": report.pk,
        "evaluation": report.evaluation_id,
        "job": str(report.job_id) if report.job_id else None,
        "url": api_path(f"reports/{report.pk}/"),
        "download_url": api_path(f"reports/{report.pk}/download/"),
    }


def webhook_test_data(webhook) -> dict:
    return {"webhook": webhook.pk, "message": "Test ping from Provider Scorecards."}


def contract_data(contract, changed=()) -> dict:
    """A contract's event data; ``changed`` names the fields an update changed."""
    return {
        "contract": contract.pk,
        "title": contract.title,
        "provider": contract.provider_id,
        "evaluation": contract.evaluation_id,
        "renewal_date": contract.renewal_date,
        "notice_deadline": contract.notice_deadline,
        "auto_renew": contract.auto_renew,
        "changed": sorted(changed),
        "url": api_path(f"contracts/{contract.pk}/"),
    }


def sla_breach_data(contract, term, measurement, misses: int, credit) -> dict:
    return {
        "contract": contract.pk,
        "provider": contract.provider_id,
        "sla_term": term.pk,
        "metric": term.metric,
        "target_value": str(term.target_value),
        "unit": term.unit,
        "period": f"{measurement.period:%Y-%m}",
        "measured_value": str(measurement.measured_value),
        "misses": misses,
        "breach_dates": list(measurement.breach_dates),
        "credit": None if credit is None else str(credit),
        "currency": contract.currency,
        "url": api_path(f"contracts/{contract.pk}/sla-summary/"),
    }


def reassessment_data(round_) -> dict:
    contract = round_.contract
    return {
        "round": round_.pk,
        "contract": contract.pk,
        "provider": contract.provider_id,
        "evaluation": round_.evaluation_id,
        "previous_evaluation": round_.previous_evaluation_id,
        "due_date": round_.due_date,
        "scheduled": round_.scheduled,
        "response_request": round_.response_request_id,
        "url": api_path(f"contracts/{contract.pk}/reassessments/{round_.pk}/"),
    }


def finding_data(finding, changed=()) -> dict:
    """A finding's event data; ``changed`` names the fields an update changed."""
    return {
        "finding": finding.pk,
        "title": finding.title,
        "source": finding.source,
        "severity": finding.severity,
        "status": finding.status,
        "provider": finding.provider_id,
        "contract": finding.contract_id,
        "due_date": finding.due_date,
        "cause_cleared": finding.cause_cleared_at is not None,
        "changed": sorted(changed),
        "url": api_path(f"findings/{finding.pk}/"),
    }

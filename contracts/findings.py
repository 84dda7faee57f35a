"""Writing findings by hand and following them up: the status moves of
``contracts.finding_rules``, every change audited and announced (``finding.*``)."""

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from contracts import finding_rules as rules
from contracts.finding_audit import Change, diff, record, state
from contracts.models import Finding, FindingSource
from integrations import events


def _closed_at(finding: Finding, now) -> None:
    if finding.status in rules.CLOSED:
        finding.closed_at = finding.closed_at or now
    else:
        finding.closed_at = None


@transaction.atomic
def create_finding(organization, user, data: dict) -> Finding:
    """A finding raised by hand: ``open``, due by its severity's default unless given."""
    data = dict(data)
    if data.get("due_date") is None:
        data["due_date"] = rules.due_date(data["severity"], timezone.localdate())
    finding = Finding.objects.create(
        organization=organization,
        source=FindingSource.MANUAL,
        created_by=user if getattr(user, "pk", None) else None,
        **data,
    )
    _, new = diff({}, finding)
    record(user, [Change(finding, "finding.created", new=new)])
    events.emit(organization.pk, events.FINDING_CREATED, events.finding_data(finding))
    return finding


@transaction.atomic
def update_finding(finding: Finding, user, data: dict) -> Finding:
    """Change a finding; a status move the rules refuse is a 409 saying why, and
    accepting the risk without a rationale a 400 naming it."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = state(finding)
    new_status = data.get("status", finding.status)
    rationale = data.get("rationale", finding.rationale)
    problem = rules.transition_problem(finding.status, new_status)
    if problem:
        raise Conflict(problem)
    # A legal move missing what it needs is bad input, named like any other field.
    missing = rules.rationale_problem(new_status, rationale)
    if missing:
        raise ValidationError({"rationale": [missing]})
    for name, value in data.items():
        setattr(finding, name, value)
    _closed_at(finding, timezone.now())
    finding.save()
    old, new = diff(before, finding)
    if new:
        record(user, [Change(finding, "finding.updated", old=old, new=new)])
        events.emit(
            finding.organization_id, events.FINDING_UPDATED, events.finding_data(finding, new)
        )
    return finding

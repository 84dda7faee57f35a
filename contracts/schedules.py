"""Writing a contract's reassessment schedule, each change in the contract's trail."""

from datetime import date

from django.db import transaction
from django.db.models import Max

from contracts import reassessment_rules as rules
from contracts.audit import Change, field_changes, record
from contracts.models import Contract, ReassessmentRound, ReassessmentSchedule

FIELDS = ("mode", "interval_months", "days_before_renewal", "response_days", "contacts", "active")


def _state(schedule: ReassessmentSchedule) -> dict:
    return {name: getattr(schedule, name) for name in FIELDS}


def last_due(contract_id: int) -> date | None:
    return ReassessmentRound.objects.filter(contract_id=contract_id).aggregate(
        last=Max("due_date")
    )["last"]


def next_due(schedule: ReassessmentSchedule) -> date | None:
    """The next round's due date (``contracts.reassessment_rules``)."""
    contract = schedule.contract
    return rules.next_due(
        rules.Schedule(schedule.mode, schedule.interval_months, schedule.days_before_renewal),
        rules.Term(contract.start_date, contract.renewal_date, contract.auto_renew),
        last_due(contract.pk),
    )


@transaction.atomic
def save_schedule(
    contract: Contract, schedule: ReassessmentSchedule | None, user, data: dict
) -> ReassessmentSchedule:
    """Create the schedule (``schedule`` None) or change it; audited either way."""
    before = {} if schedule is None else _state(schedule)
    if schedule is None:
        schedule = ReassessmentSchedule(contract=contract)
    for name, value in data.items():
        setattr(schedule, name, value)
    schedule.save()
    old, new = field_changes(before, _state(schedule))
    action = "contract.reassessment_schedule." + ("updated" if before else "created")
    if new:
        record(user, [Change(contract, action, old=old or None, new=new)])
    return schedule


@transaction.atomic
def delete_schedule(schedule: ReassessmentSchedule, user) -> None:
    old = field_changes({}, _state(schedule))[1]
    record(user, [Change(schedule.contract, "contract.reassessment_schedule.deleted", old=old)])
    schedule.delete()

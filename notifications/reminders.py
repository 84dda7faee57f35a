"""Ratings reminders: load what is outstanding, plan the sends, record them once.

``send_reminders`` runs from beat (``notifications.tasks.send_reminders``). It
loads in bulk, lets ``reminder_rules`` decide, then persists each send with
its items in one transaction. Items are unique rows (``ReminderRecord``), so a
second run, a redelivered task or two runs at once mail nobody twice: a send
whose items another run recorded first is rolled back whole.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from evaluations.models import EvaluationStatus, EvaluatorAssignment
from evaluations.selectors import barred_q, evaluators_with_sheets
from notifications import reminder_rules as rules
from notifications.models import Kind, NotificationPreference, ReminderRecord
from notifications.services import notify
from notifications.triggers import display_name

REMINDER_KINDS = (Kind.RATINGS_DUE, Kind.RATINGS_OVERDUE, Kind.DIGEST)


def outstanding_assignments(today: date, reminder_days: int) -> dict[int, EvaluatorAssignment]:
    """Evaluators who may rate and still owe sheets in collecting evaluations whose
    ``ratings_due`` is at most ``reminder_days`` away (or past), in one query.
    Draft evaluations are left out: nobody can rate there yet."""
    horizon = today + timedelta(days=reminder_days)
    assignments = evaluators_with_sheets(
        EvaluatorAssignment.objects.filter(
            evaluation__status=EvaluationStatus.COLLECTING,
            evaluation__ratings_due__lte=horizon,
        )
        .exclude(barred_q())
        .select_related("evaluation__organization", "membership__user")
    ).filter(sheets_submitted__lt=F("candidate_count"))
    return {assignment.pk: assignment for assignment in assignments}


def row_of(assignment: EvaluatorAssignment) -> rules.Outstanding:
    return rules.Outstanding(
        assignment_id=assignment.pk,
        membership_id=assignment.membership_id,
        evaluation_id=assignment.evaluation_id,
        evaluation_name=assignment.evaluation.name,
        ratings_due=assignment.evaluation.ratings_due,
        sheets_outstanding=assignment.candidate_count - assignment.sheets_submitted,
    )


def disabled_by_kind(membership_ids) -> dict[str, set[int]]:
    disabled: dict[str, set[int]] = {}
    for membership_id, kind in NotificationPreference.objects.filter(
        membership_id__in=list(membership_ids), kind__in=REMINDER_KINDS, enabled=False
    ).values_list("membership_id", "kind"):
        disabled.setdefault(kind, set()).add(membership_id)
    return disabled


def item_context(item: rules.Item) -> dict:
    row = item.outstanding
    return {
        "kind": item.kind,
        "evaluation_name": row.evaluation_name,
        "ratings_due": row.ratings_due,
        "days_left": item.days_left,
        "days_late": -item.days_left,
        "sheets_outstanding": row.sheets_outstanding,
        "evaluation_path": reverse("evaluation-detail", kwargs={"pk": row.evaluation_id}),
        "ratings_path": reverse(
            "evaluation-rating-list", kwargs={"evaluation_pk": row.evaluation_id}
        ),
    }


def persist(send: rules.Send, assignment: EvaluatorAssignment) -> bool:
    """Record one send and its items; False when another run covered them first
    (or the member switched the kind off meanwhile)."""
    membership = assignment.membership
    user = membership.user
    if not user.email:
        return False
    items = [item_context(item) for item in send.items]
    context = {"member_name": display_name(user), "items": items, **items[0]}
    try:
        with transaction.atomic():
            notification = notify(
                kind=send.kind,
                to_email=user.email,
                organization=assignment.evaluation.organization,
                recipient=user,
                context=context,
                dedupe_key=send.dedupe_key,
            )
            if notification is None:
                return False
            ReminderRecord.objects.bulk_create(
                ReminderRecord(key=item.key, notification=notification) for item in send.items
            )
    except IntegrityError:
        return False
    return True


def send_reminders(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    assignments = outstanding_assignments(today, settings.RATINGS_REMINDER_DAYS)
    items = rules.due_items(
        [row_of(assignment) for assignment in assignments.values()],
        today=today,
        reminder_days=settings.RATINGS_REMINDER_DAYS,
    )
    covered = set(
        ReminderRecord.objects.filter(key__in=[item.key for item in items]).values_list(
            "key", flat=True
        )
    )
    sends = rules.plan(
        items,
        covered=covered,
        disabled=disabled_by_kind({item.outstanding.membership_id for item in items}),
        digest_threshold=settings.REMINDER_DIGEST_THRESHOLD,
    )
    sent = sum(
        persist(send, assignments[send.items[0].outstanding.assignment_id]) for send in sends
    )
    return {"items": len(items), "sends": len(sends), "sent": sent}

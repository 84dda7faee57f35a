"""Contract reminders: load the contracts concerned, plan the sends, record them once.

``send_contract_reminders`` runs from beat (``contracts.tasks``). It loads in a
constant number of queries, lets ``contracts.reminder_rules`` decide, then
persists each send with its items (``ReminderRecord``, one row per item and
member) in one transaction, as the ratings reminders do: a second run, a
redelivered task or two runs at once mail nobody twice. The recipients are the
organization's admins: they are the ones who may change a contract.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from contracts import reassessment_rules
from contracts import reminder_rules as rules
from contracts.models import Contract
from notifications.models import NotificationPreference, ReminderRecord
from notifications.services import notify
from notifications.triggers import display_name

REMINDER_KINDS = (*rules.KINDS, rules.DIGEST)


def windows() -> rules.Windows:
    return rules.Windows(
        notice_days=settings.CONTRACT_NOTICE_REMINDER_DAYS,
        renewal_days=settings.CONTRACT_RENEWAL_REMINDER_DAYS,
        reassessment_days=settings.REASSESSMENT_REMINDER_DAYS,
    )


def _reassessment_due(contract: Contract) -> date | None:
    schedule = getattr(contract, "reassessment_schedule", None)
    if schedule is None or not schedule.active:
        return None
    return reassessment_rules.next_due(
        reassessment_rules.Schedule(
            schedule.mode, schedule.interval_months, schedule.days_before_renewal
        ),
        reassessment_rules.Term(contract.start_date, contract.renewal_date, contract.auto_renew),
        contract.last_due,
    )


def contract_rows(today: date, spans: rules.Windows) -> dict[int, rules.ContractRow]:
    """The contracts any reminder could concern, in one query."""
    concerned = (
        Q(
            auto_renew=True,
            notice_deadline__lte=today + timedelta(days=spans.notice_days),
            renewal_date__gte=today,
        )
        | Q(renewal_date__gte=today, renewal_date__lte=today + timedelta(days=spans.renewal_days))
        | Q(reassessment_schedule__active=True)
    )
    contracts = (
        Contract.objects.filter(concerned)
        .select_related("reassessment_schedule")
        .annotate(last_due=Max("reassessment_rounds__due_date"))
        .order_by("id")
    )
    return {
        contract.pk: rules.ContractRow(
            contract_id=contract.pk,
            organization_id=contract.organization_id,
            title=contract.title,
            auto_renew=contract.auto_renew,
            notice_deadline=contract.notice_deadline,
            renewal_date=contract.renewal_date,
            reassessment_due=_reassessment_due(contract),
        )
        for contract in contracts
    }


def admins_of(organization_ids) -> dict[int, Membership]:
    return {
        membership.pk: membership
        for membership in Membership.objects.filter(
            organization_id__in=list(organization_ids), role=Role.ADMIN
        ).select_related("user", "organization")
    }


def disabled_by_kind(membership_ids) -> dict[str, set[int]]:
    disabled: dict[str, set[int]] = {}
    for membership_id, kind in NotificationPreference.objects.filter(
        membership_id__in=list(membership_ids), kind__in=REMINDER_KINDS, enabled=False
    ).values_list("membership_id", "kind"):
        disabled.setdefault(kind, set()).add(membership_id)
    return disabled


def item_context(item: rules.Item) -> dict:
    return {
        "kind": item.kind,
        "contract_title": item.contract.title,
        "on": item.on,
        "days_left": item.days_left,
        "days_late": -item.days_left,
        "contract_path": reverse("contract-detail", kwargs={"pk": item.contract.contract_id}),
    }


def persist(send: rules.Send, membership: Membership) -> bool:
    """Record one send and its items; False when another run covered them first."""
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
                organization=membership.organization,
                recipient=user,
                context=context,
                dedupe_key=send.dedupe_key,
            )
            if notification is None:
                return False
            ReminderRecord.objects.bulk_create(
                ReminderRecord(key=send.item_key(item), notification=notification)
                for item in send.items
            )
    except IntegrityError:
        return False
    return True


def send_contract_reminders(today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    spans = windows()
    rows = contract_rows(today, spans)
    items = rules.due_items(list(rows.values()), today=today, windows=spans)
    admins = admins_of({item.contract.organization_id for item in items})
    recipients: dict[int, list[int]] = {}
    for membership in admins.values():
        recipients.setdefault(membership.organization_id, []).append(membership.pk)
    keys = [
        f"{item.key}:{pk}"
        for item in items
        for pk in recipients.get(item.contract.organization_id, ())
    ]
    covered = set(ReminderRecord.objects.filter(key__in=keys).values_list("key", flat=True))
    sends = rules.plan(
        items,
        recipients=recipients,
        covered=covered,
        disabled=disabled_by_kind(admins),
        digest_threshold=settings.REMINDER_DIGEST_THRESHOLD,
    )
    sent = sum(persist(send, admins[send.membership_id]) for send in sends)
    return {"items": len(items), "sends": len(sends), "sent": sent}

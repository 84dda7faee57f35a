"""Reminders to a finding's owner before and after its due date (beat, daily).

``finding_rules.reminder_kind`` decides; each owner gets one email per finding,
kind and due date, ever: the dedupe key (``finding_due:<finding>:<date>``) is
recorded with the email, so a second run, a redelivered task or the next day's
run mails nothing again, and moving the due date starts over. Findings without
an owner, or closed, are not reminded; members who switched a kind off get none.
A run reads a constant number of queries whatever the number of findings.
"""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contracts import finding_rules as rules
from contracts.models import Finding
from notifications.models import Kind
from notifications.services import Mail, notify_members
from notifications.triggers import display_name

KINDS = {"due": Kind.FINDING_DUE, "overdue": Kind.FINDING_OVERDUE}


def dedupe_key(which: str, finding_id: int, due: date) -> str:
    return f"finding_{which}:{finding_id}:{due.isoformat()}"


def _context(finding: Finding, kind: str, today: date) -> dict:
    days_left = (finding.due_date - today).days
    return {
        "kind": kind,
        "member_name": display_name(finding.owner.user),
        "finding_title": finding.title,
        "provider_name": finding.provider.name,
        "severity": finding.get_severity_display(),
        "status": finding.get_status_display(),
        "due_date": finding.due_date,
        "days_left": days_left,
        "days_late": -days_left,
        "finding_path": reverse("finding-detail", kwargs={"pk": finding.pk}),
    }


def send_finding_reminders(today: date | None = None) -> dict[str, int]:
    """Mail the reminders due today; how many of each kind this run queued."""
    today = today or timezone.localdate()
    days = settings.FINDING_REMINDER_DAYS
    findings = (
        Finding.objects.filter(
            status__in=rules.ACTIVE,
            owner__isnull=False,
            due_date__lte=today + timedelta(days=days),
        )
        .select_related("owner__user", "organization", "provider")
        .order_by("organization_id", "id")
    )
    batches: dict[tuple, list[Mail]] = {}
    organizations = {}
    for finding in findings:
        which = rules.reminder_kind(finding.status, finding.due_date, today, days)
        if which is None:
            continue
        organizations[finding.organization_id] = finding.organization
        batches.setdefault((finding.organization_id, which), []).append(
            Mail(
                finding.owner,
                _context(finding, KINDS[which], today),
                dedupe_key=dedupe_key(which, finding.pk, finding.due_date),
            )
        )
    sent = dict.fromkeys(KINDS, 0)
    for (organization_id, which), mails in batches.items():
        created = notify_members(
            kind=KINDS[which], organization=organizations[organization_id], mails=mails
        )
        sent[which] += len(created)
    return sent

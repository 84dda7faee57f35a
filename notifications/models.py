"""Email notifications: what was sent to whom, and what each member wants to receive.

A ``Notification`` row is written, fully rendered, when something happens; a
Celery task delivers it after the transaction commits (``notifications.delivery``),
so a retry sends exactly what was rendered. ``dedupe_key`` makes an event that
is processed twice (a retried task, a second beat run) produce one email.
"""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    INVITATION = "invitation", "Invitation to an organization"
    PASSWORD_RESET = "password_reset", "Password reset"
    EVALUATOR_ASSIGNED = "evaluator_assigned", "You were made an evaluator"
    RATINGS_DUE = "ratings_due", "Your ratings are due soon"
    RATINGS_OVERDUE = "ratings_overdue", "Your ratings are overdue"
    SHEET_SUBMITTED = "sheet_submitted", "An evaluator submitted a rating sheet"
    SCORING_DONE = "scoring_done", "Scoring finished"
    REPORT_DONE = "report_done", "A report is ready"
    DECISION_MADE = "decision_made", "An evaluation was decided"
    DIGEST = "digest", "Daily digest of reminders"
    RESPONSE_REQUEST = "response_request", "A buyer asks a provider contact to respond"
    RESPONSE_DUE = "response_due", "A vendor response is due soon"
    RESPONSE_OVERDUE = "response_overdue", "A vendor response is overdue"
    RESPONSE_RETURNED = "response_returned", "A buyer returns answers with clarification questions"
    RESPONSE_MESSAGE = "response_message", "A buyer writes in a vendor response's thread"
    CONTRACT_NOTICE_DUE = "contract_notice_due", "A contract's notice deadline is near"
    CONTRACT_NOTICE_PASSED = "contract_notice_passed", "A contract's notice deadline passed"
    CONTRACT_RENEWAL_DUE = "contract_renewal_due", "A contract renews soon"
    REASSESSMENT_DUE = "reassessment_due", "A contract's reassessment is due soon"
    CONTRACT_DIGEST = "contract_digest", "Daily digest of contract reminders"
    FINDING_DUE = "finding_due", "A finding you own is due soon"
    FINDING_OVERDUE = "finding_overdue", "A finding you own is overdue"
    FINDING_MESSAGE = "finding_message", "A buyer writes to a provider about a finding"
    FINDING_REPLY = "finding_reply", "A provider replies about a finding"


# Sent whatever the preferences say: without them nobody can join or sign in.
# Vendor response mail goes to a provider's contact, who has no preferences to set.
TRANSACTIONAL_KINDS = frozenset(
    {
        Kind.INVITATION,
        Kind.PASSWORD_RESET,
        Kind.RESPONSE_REQUEST,
        Kind.RESPONSE_DUE,
        Kind.RESPONSE_OVERDUE,
        Kind.RESPONSE_RETURNED,
        Kind.RESPONSE_MESSAGE,
        Kind.FINDING_MESSAGE,
    }
)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent by a worker"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed for good"


class Notification(models.Model):
    # Null for mail that belongs to no organization (a password reset).
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to_email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a worker claimed the row; a claim older than the stale timeout is
    # taken over (its worker died mid-send).
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.status})"


class NotificationPreference(models.Model):
    """A member's choice for one kind; no row means the kind is on."""

    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["membership_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind"], name="uniq_notification_preference"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {'on' if self.enabled else 'off'} for {self.membership_id}"


class ReminderRecord(models.Model):
    """One reminder item (evaluator, evaluation, due date, kind) that was mailed, on
    its own or in a digest: its key is never mailed again (notifications.reminders)."""

    key = models.CharField(max_length=200, unique=True)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="reminder_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.key

"""Findings to remediate: raised from a scorecard, a record conflict, an SLA breach
or by hand, each with its owner, due date, status, thread with the provider and trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts.trail_model import TrailEvent


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_REMEDIATION = "in_remediation", "In remediation"
    RESOLVED = "resolved", "Resolved"
    ACCEPTED_RISK = "accepted_risk", "Risk accepted"


class FindingSource(models.TextChoices):
    KNOCKOUT = "knockout", "A failed knockout question"
    RED_FLAG = "red_flag", "A red flag on a scorecard"
    RECORD_CONFLICT = "record_conflict", "An answer contradicting the provider's record"
    SLA_BREACH = "sla_breach", "A breached month of an SLA term"
    MANUAL = "manual", "Raised by hand"


class Finding(models.Model):
    """One thing a provider has to fix, and who follows it up by when.

    A finding raised automatically has a ``source_key`` naming its cause (unique per
    organization, see ``contracts.finding_rules``), so raising it again finds the same
    row. When the cause disappears the finding stays, with ``cause_cleared_at`` set.
    ``raised_value`` is the answer or measured value that raised it; ``details`` the
    rest of its cause (red flag tag, record value, misses of the month).
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="findings"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="findings"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    source = models.CharField(max_length=16, choices=FindingSource.choices)
    source_key = models.CharField(max_length=120, blank=True)
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    question = models.ForeignKey(
        "questionnaires.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    question_code = models.CharField(max_length=40, blank=True)
    sla_term = models.ForeignKey(
        "contracts.ContractSla",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    measurement = models.ForeignKey(
        "contracts.SlaMeasurement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    period = models.DateField(null=True, blank=True, help_text="The breached month.")
    raised_value = models.JSONField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    status = models.CharField(
        max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    owner = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_findings",
    )
    due_date = models.DateField(null=True, blank=True, db_index=True)
    rationale = models.TextField(blank=True)
    shared_with_provider = models.BooleanField(default=False)
    cause_cleared_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source_key"],
                condition=~Q(source_key=""),
                name="uniq_finding_source_key",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted_risk") | ~Q(rationale=""),
                name="finding_accepted_risk_has_rationale",
            ),
        ]
        indexes = [
            models.Index(fields=["updated_at", "id"]),
            models.Index(fields=["organization", "status", "due_date"]),
        ]

    def __str__(self):
        return self.title


class MessageAuthor(models.TextChoices):
    BUYER = "buyer", "The buyer"
    PROVIDER = "provider", "The provider, through its response link"


class FindingMessage(models.Model):
    """One message of a finding's thread between the buyer and the provider."""

    tenant_path = "finding__organization"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=8, choices=MessageAuthor.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=160, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author_kind} on finding {self.finding_id}"


class FindingEvent(TrailEvent):
    """One change of a finding: who (a user, the provider, or raising itself), when,
    from which value to which. It outlives the finding (``finding_ref`` keeps the id)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    finding_ref = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.action} of finding {self.finding_ref} by {self.actor_label}"

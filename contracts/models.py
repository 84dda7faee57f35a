"""Contracts made with providers, their SLA terms, documents, and the trail of their
changes."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from contracts.dates import MAX_NOTICE_DAYS, MAX_TERM_MONTHS
from contracts.trail_model import TrailEvent
from providers.models import SlaCommitment
from providers.uploads import extension_of

MONEY = {"max_digits": 14, "decimal_places": 2}


class Contract(models.Model):
    """A contract with one provider: its term, notice, committed price and SLA terms.

    ``renewal_date`` and ``notice_deadline`` are computed from the term
    (``contracts.dates``) on every write, and stored so lists can filter on them.
    A contract made from an award names the evaluation, the winning candidate, the
    lots it won and the proposals its price comes from.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="contracts"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="contracts"
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    title = models.CharField(max_length=200)
    lots = models.JSONField(default=list, blank=True)
    proposal_ids = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    one_time_fee = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    monthly_fee = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    start_date = models.DateField()
    term_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    auto_renew = models.BooleanField(default=False)
    notice_period_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_NOTICE_DAYS)]
    )
    renewal_date = models.DateField(db_index=True)
    notice_deadline = models.DateField(db_index=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["renewal_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(one_time_fee__gte=0) | Q(one_time_fee__isnull=True),
                name="contract_one_time_fee_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(monthly_fee__gte=0) | Q(monthly_fee__isnull=True),
                name="contract_monthly_fee_gte_0",
            ),
            # One contract per winner of an award: creating them twice is a 409.
            models.UniqueConstraint(
                fields=["evaluation", "candidate"],
                condition=Q(evaluation__isnull=False, candidate__isnull=False),
                name="uniq_contract_per_award_winner",
            ),
        ]

    def __str__(self):
        return self.title


class ContractSla(SlaCommitment):
    """An SLA term of a contract: copied from the provider's SLA record, then its own."""

    tenant_path = "contract__organization"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="sla_terms")
    source_sla = models.ForeignKey(
        "providers.SlaTerm", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How the remedy is computed (contracts.sla_rules); none of it set: not computed.
    credit_percent_per_miss = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    credit_cap_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    escalate_on_breach = models.BooleanField(default=False)
    termination_breaches = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    termination_window_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )

    class Meta:
        ordering = ["contract_id", "id"]
        verbose_name = "contract SLA term"
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="contract_sla_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.contract}: {self.metric} {self.target_value} {self.unit}"


class SlaMeasurement(models.Model):
    """One month of an SLA term: the measured value and the dates of its misses.

    Whether the month is breached, how many misses it counts and the remedy are
    derived (``contracts.sla_rules``), never stored.
    """

    tenant_path = "term__contract__organization"

    term = models.ForeignKey(ContractSla, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(help_text="The month measured: its first day.")
    measured_value = models.DecimalField(
        max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    breach_dates = models.JSONField(default=list, blank=True)  # ISO dates within the month
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term_id", "period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "period"], name="uniq_sla_measurement_month"),
            models.CheckConstraint(
                condition=Q(measured_value__gte=0), name="sla_measurement_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.term} in {self.period:%Y-%m}: {self.measured_value}"


class ContractDocumentKind(models.TextChoices):
    SIGNED_CONTRACT = "signed_contract", "Signed contract"
    STATEMENT_OF_WORK = "statement_of_work", "Statement of work"
    DATA_PROCESSING_AGREEMENT = "data_processing_agreement", "Data processing agreement"
    SLA_SCHEDULE = "sla_schedule", "SLA schedule"
    AMENDMENT = "amendment", "Amendment"
    OTHER = "other", "Other document"


def contract_document_path(instance, filename: str) -> str:
    """A random storage name: nothing about the contract or the original name leaks."""
    return f"contract-documents/{secrets.token_hex(16)}{extension_of(filename)}"


class ContractDocument(models.Model):
    """A document of a contract (the signed contract, a SOW, a DPA...). Checked and
    stored like a provider's evidence; the file is removed once its row's deletion
    commits."""

    tenant_path = "contract__organization"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=32, choices=ContractDocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=300, upload_to=contract_document_path)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class ContractEvent(TrailEvent):
    """One change of a contract or its SLA terms: who, when, from which value to which.

    It outlives the contract (``contract`` is then null, ``contract_ref`` keeps the id),
    so a deletion stays in the trail.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    contract_ref = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.action} of contract {self.contract_ref} by {self.actor_label}"


class ReassessmentMode(models.TextChoices):
    INTERVAL = "interval", "Every N months"
    BEFORE_RENEWAL = "before_renewal", "N days before the renewal date"


class ReassessmentSchedule(models.Model):
    """When a contract's provider is reassessed (``contracts.reassessment_rules``).

    One per contract. Beat opens each round when it is due
    (``contracts.reassessments``); ``contacts`` are who the response request goes
    to, else the contacts of the previous round's request.
    """

    tenant_path = "contract__organization"

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="reassessment_schedule"
    )
    mode = models.CharField(max_length=16, choices=ReassessmentMode.choices)
    interval_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    days_before_renewal = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(730)]
    )
    response_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    contacts = models.JSONField(default=list, blank=True)  # [{name, email}]
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract_id"]

    def __str__(self):
        return f"reassessment of {self.contract}: {self.mode}"


class ReassessmentRound(models.Model):
    """One reassessment: a new evaluation of the contract's provider, compared with
    the previous round's (the award's evaluation for the first round).

    ``due_date`` is the schedule's date (the day it was opened for a round opened
    by hand); one round per contract and due date, so beat running twice opens one.
    """

    tenant_path = "contract__organization"

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="reassessment_rounds"
    )
    evaluation = models.OneToOneField(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="reassessment_round"
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    previous_evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_candidate = models.ForeignKey(
        "evaluations.Candidate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    response_request = models.ForeignKey(
        "responses.ResponseRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)
    scheduled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract_id", "-due_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "due_date"], name="uniq_reassessment_round_due"
            ),
        ]

    def __str__(self):
        return f"reassessment of {self.contract} due {self.due_date}"


# Findings live in their own module (size); importing them here registers them with
# the app, and code reads every model of the app from ``contracts.models``.
from contracts.finding_models import (  # noqa: E402, F401
    Finding,
    FindingEvent,
    FindingMessage,
    FindingSource,
    FindingStatus,
    MessageAuthor,
    Severity,
)

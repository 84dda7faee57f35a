"""An evaluation: candidates vetted against a pinned questionnaire version and its packs."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from providers.vocabulary import Industry, choices_of


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COLLECTING = "collecting", "Collecting answers and ratings"
    SCORING = "scoring", "Scoring and review"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class Aggregation(models.TextChoices):
    MEAN = "mean", "Mean"
    MEDIAN = "median", "Median"


class Evaluation(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="evaluations"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    questionnaire_version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion", on_delete=models.PROTECT, related_name="evaluations"
    )
    # Buyer profile: what applicability (docs/scoring.md) is decided against.
    industry = models.CharField(max_length=32, choices=choices_of(Industry), default=Industry.OTHER)
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    required_service_models = models.JSONField(default=list, blank=True)
    frameworks = models.JSONField(default=list, blank=True)
    profile_notes = models.TextField(blank=True)
    needs_assessment = models.ForeignKey(
        "needs.NeedsAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    # Scoring settings.
    section_weights = models.JSONField(default=dict, blank=True)
    excluded_questions = models.JSONField(default=list, blank=True)
    aggregation = models.CharField(
        max_length=8, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    # Sourcing (docs/scoring.md v2): lots, and what proposals are priced against.
    # `lots`: [{code, title, service_models, weight}], rules in evaluations.engine.lots;
    # empty means one implicit lot `all` (v1).
    lots = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=3, blank=True)  # ISO 4217; blank until set
    horizon_months = models.PositiveSmallIntegerField(
        default=36, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    quantities = models.JSONField(default=dict, blank=True)  # {unit: count}
    price_weight = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("0.9999"))],
    )
    status = models.CharField(
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        db_index=True,
    )
    # Due dates (docs/evaluations.md): the last day for evaluators' sheets and for
    # the lead's decision. Reminders (notifications.reminders) follow ratings_due.
    ratings_due = models.DateField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    lead = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="led_evaluations"
    )
    decision_candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The award decided: lot code -> candidate id (`all` without lots). The
    # candidate above is set too when one candidate wins every lot.
    decision_award = models.JSONField(default=dict, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class EvaluationPack(models.Model):
    """A pack version pinned by an evaluation: its sections and questions follow the
    base version's, packs in ``position`` order (``evaluations.services.packs``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="pack_links")
    version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion",
        on_delete=models.PROTECT,
        related_name="evaluation_packs",
    )
    position = models.PositiveSmallIntegerField()

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["evaluation_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "version"], name="uniq_evaluation_pack"),
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="uniq_evaluation_pack_position"
            ),
        ]

    def __str__(self):
        return f"pack {self.version_id} of {self.evaluation_id}"


def implicit_bid() -> list[str]:
    """The bid of a candidate in an evaluation without lots (and of rows that
    predate lots)."""
    return ["all"]


class BidSource(models.TextChoices):
    DEFAULT = "default", "Derived from the provider's service models"
    EXPLICIT = "explicit", "Named by the buyer"


class Candidate(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="candidates")
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="candidacies"
    )
    # The lot codes it bids on (`["all"]` without lots). A derived bid follows the
    # evaluation's lots when they change; a named one never moves on its own.
    lots = models.JSONField(default=implicit_bid)
    bid_source = models.CharField(
        max_length=8, choices=BidSource.choices, default=BidSource.DEFAULT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "provider"], name="uniq_candidate"),
        ]

    def __str__(self):
        return f"{self.provider} in {self.evaluation}"


class ConflictStatus(models.TextChoices):
    UNDECLARED = "undeclared", "Not declared yet"
    NONE = "none", "Declared no conflict"
    CONFLICT = "conflict", "Declared a conflict"


class EvaluatorAssignment(models.Model):
    """A member asked to rate in one evaluation, with their conflict-of-interest
    declaration. A declared conflict bars rating unless the lead overrides it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evaluators")
    # RESTRICT: deleting a member never takes their evaluator work with it
    # (evaluations.services.evaluators.release_member decides what may go).
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.RESTRICT, related_name="evaluator_assignments"
    )
    conflict_status = models.CharField(
        max_length=16, choices=ConflictStatus.choices, default=ConflictStatus.UNDECLARED
    )
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_override_reason = models.TextField(blank=True)
    conflict_overridden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "membership"], name="uniq_evaluator"),
        ]

    def __str__(self):
        return f"{self.membership.user} on {self.evaluation}"

    @property
    def may_rate(self) -> bool:
        if self.conflict_status == ConflictStatus.NONE:
            return True
        return self.conflict_status == ConflictStatus.CONFLICT and bool(self.conflict_overridden_at)

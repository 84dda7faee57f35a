"""A candidate's priced offer for one or more of its bid lots (docs/scoring.md v2)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MONEY = {"max_digits": 14, "decimal_places": 2}


class Proposal(models.Model):
    """One priced offer. Two or more lots make a bundle. Money is in the evaluation's
    currency; the total cost over the horizon is the engine's to compute."""

    # CASCADE, like the candidate's answers: a candidate is removed only while its
    # evaluation is in draft or collecting, and the removal is audited (the
    # proposals it takes along too).
    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="proposals"
    )
    lots = models.JSONField()  # lot codes, a non-empty part of the candidate's bid
    one_time = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    monthly = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    # [{unit, monthly_price}]: monthly_price a decimal string, unit a key of the
    # evaluation's quantities.
    unit_prices = models.JSONField(default=list, blank=True)
    annual_increase_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    term_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    currency = models.CharField(max_length=3)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "candidate__evaluation__organization"

    class Meta:
        ordering = ["candidate_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(one_time__gte=0, monthly__gte=0), name="proposal_money_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(annual_increase_pct__gte=0, annual_increase_pct__lte=100),
                name="proposal_increase_0_100",
            ),
        ]

    def __str__(self):
        return f"proposal {self.pk} of candidate {self.candidate_id} for {', '.join(self.lots)}"

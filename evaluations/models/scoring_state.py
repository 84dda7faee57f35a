"""What an evaluation's latest scorecards were computed from: cheap proof that nothing changed."""

from django.db import models


class ScoringState(models.Model):
    """One row per evaluation, created and bumped by database triggers only.

    ``inputs_revision`` goes up, in the same transaction, with every change to
    what scoring reads: answers, ratings, rating sheets, overrides, candidates
    (bids, provider), the provider's name, packs, the scoring settings of the
    evaluation (version, service models, industry, section weights,
    exclusions, aggregation, lots) and the questions and sections of a pinned
    version, and the deletion of a scorecard (migration 0017). Triggers see
    every write, bulk updates and raw SQL included, which no model method would.
    Scoring records the revision it read before its inputs in
    ``scored_revision``; while the two are equal (and the engine is the same),
    rescoring would create nothing and is skipped.
    """

    evaluation = models.OneToOneField(
        "evaluations.Evaluation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="scoring_state",
    )
    inputs_revision = models.BigIntegerField(default=1)
    scored_revision = models.BigIntegerField(null=True, blank=True)
    scored_engine = models.CharField(max_length=10, blank=True)

    tenant_path = "evaluation__organization"

    def __str__(self):
        return f"scoring state of evaluation {self.evaluation_id}"

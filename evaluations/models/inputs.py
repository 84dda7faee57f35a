"""What moves a score: answers, evaluator ratings, lead overrides."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef


class Answer(models.Model):
    """A candidate's answer to one question; ``value`` is JSON as the kind requires."""

    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "candidate__evaluation__organization"

    class Meta:
        ordering = ["candidate_id", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "question"], name="uniq_answer"),
        ]

    def __str__(self):
        return f"answer {self.question_id} of candidate {self.candidate_id}"


def author_submitted():
    """The condition on ratings that their author submitted their sheet for the
    candidate. Until then a rating is the author's private draft: it is never
    scored, reported, audited or shown to anyone else (docs/evaluations.md)."""
    return Exists(
        RatingSheet.objects.filter(candidate=OuterRef("candidate"), evaluator=OuterRef("evaluator"))
    )


class RatingQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(author_submitted())


class Rating(models.Model):
    """One evaluator's score ``0..scale_max`` for a judged question of a candidate:
    a private draft until the evaluator submits their sheet for the candidate."""

    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="ratings"
    )
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        "evaluations.EvaluatorAssignment", on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    tenant_path = "candidate__evaluation__organization"

    class Meta:
        ordering = ["candidate_id", "question_id", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "question", "evaluator"], name="uniq_rating"
            ),
        ]

    def __str__(self):
        return f"rating {self.score} on {self.question_id} by {self.evaluator_id}"


class RatingSheet(models.Model):
    """An evaluator's submission for one candidate. Before it, the evaluator sees
    only their own ratings of that candidate; after it, their ratings are locked."""

    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="sheets"
    )
    # RESTRICT: an evaluator with a submitted sheet is never deleted (their
    # ratings are final); the sheet goes only with its candidate or evaluation.
    evaluator = models.ForeignKey(
        "evaluations.EvaluatorAssignment", on_delete=models.RESTRICT, related_name="sheets"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "candidate__evaluation__organization"

    class Meta:
        ordering = ["candidate_id", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "evaluator"], name="uniq_sheet"),
        ]

    def __str__(self):
        return f"sheet of evaluator {self.evaluator_id} for candidate {self.candidate_id}"


class Override(models.Model):
    """The lead's score in [0, 1] for a question of a candidate, replacing x."""

    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="overrides"
    )
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField()
    rationale = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "candidate__evaluation__organization"

    class Meta:
        ordering = ["candidate_id", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "question"], name="uniq_override"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="override_score_0_1"
            ),
        ]

    def __str__(self):
        return f"override {self.score} on {self.question_id} of {self.candidate_id}"
